"""POST Service Request: a complaint from an integrating system, made through
``services.complaint_submit`` under the same rules as the public form, with the
system's api_key instead of a session."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import ComplainantIdentity, Complaint, ProblemType
from complaints.open311.keys import key_create, key_revoke

pytestmark = pytest.mark.django_db

NAME_FIRST, NAME_LAST = "娜娜", "欧阳"
PHONE, EMAIL, IP = "13912345678", "nana.ouyang@example.org", "198.51.100.23"


def url(fmt="json"):
    return reverse("open311:requests", kwargs={"fmt": fmt})


@pytest.fixture
def key(db):
    return key_create(name="12345 政务服务便民热线")


@pytest.fixture
def form(key, office_a):
    _key, raw = key
    return {
        "api_key": raw,
        "service_code": "attitude",
        "attribute[office]": str(office_a.pk),
        "attribute[real_name]": "true",
        "first_name": NAME_FIRST,
        "last_name": NAME_LAST,
        "phone": PHONE,
        "email": EMAIL,
        "description": "办证窗口工作人员态度恶劣，多次推诿不予办理。",
        "address_string": "市政务服务中心二楼",
    }


def post(client, data, fmt="json", **extra):
    return client.post(url(fmt), data, REMOTE_ADDR=IP, **extra)


def errors_of(response):
    body = json.loads(response.content)
    assert isinstance(body, list) and all(set(e) == {"code", "description"} for e in body)
    return body


# --- Creating --------------------------------------------------------------------
def test_post_creates_a_complaint_through_the_service_on_the_open311_channel(client, form, key, office_a, monkeypatch):
    calls = []
    real_submit = services.complaint_submit

    def spy(**kwargs):
        calls.append(kwargs)
        return real_submit(**kwargs)

    monkeypatch.setattr(services, "complaint_submit", spy)
    response = post(client, form)
    assert response.status_code == 200, response.content
    (body,) = json.loads(response.content)
    assert list(body) == ["service_request_id", "service_notice", "account_id"]
    complaint = Complaint.objects.get(tracking_number=body["service_request_id"])
    assert len(calls) == 1 and calls[0]["channel"] == Complaint.Channel.OPEN311 and calls[0]["ip"] == IP
    assert complaint.channel == Complaint.Channel.OPEN311
    assert complaint.open311_key == key[0]
    assert complaint.office == office_a and complaint.problem_type.code == "attitude"
    assert complaint.location == "市政务服务中心二楼" and not complaint.is_anonymous
    assert body["account_id"] is None and body["service_notice"]


def test_the_identity_is_stored_but_never_returned(client, form):
    response = post(client, form)
    complaint = Complaint.objects.get()
    identity = ComplainantIdentity.objects.get(complaint=complaint)
    assert identity.name == "欧阳娜娜"  # family name first, as written in Chinese
    assert (identity.phone, identity.email, identity.ip_address) == (PHONE, EMAIL, IP)
    text = response.content.decode()
    for secret in (NAME_FIRST, NAME_LAST, PHONE, EMAIL, IP):
        assert secret not in text


def test_post_in_xml_answers_with_service_requests_request(client, form):
    response = post(client, form, fmt="xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]
    assert request.findtext("service_request_id") == Complaint.objects.get().tracking_number


def test_latin_names_join_given_name_first(client, form):
    post(client, {**form, "first_name": "Mary", "last_name": "Smith"})
    assert ComplainantIdentity.objects.get().name == "Mary Smith"


def test_the_access_code_goes_to_the_complainant_by_email_never_to_the_system(
    client, form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form)
    complaint = Complaint.objects.get()
    (message,) = mail.outbox
    assert message.to == [EMAIL] and complaint.tracking_number in message.body
    code = next(word for word in message.body.split() if services.access_code_matches(complaint, word))
    assert code not in response.content.decode()


def test_address_id_is_an_office_id_and_satisfies_the_location(client, form, office_b):
    data = {k: v for k, v in form.items() if k not in ("address_string", "attribute[office]")}
    response = post(client, {**data, "address_id": str(office_b.pk)})
    assert response.status_code == 200, response.content
    assert Complaint.objects.get().office == office_b


def test_lat_and_long_satisfy_the_location(client, form):
    data = {k: v for k, v in form.items() if k != "address_string"}
    response = post(client, {**data, "lat": "23.1291", "long": "113.2644"})
    assert response.status_code == 200, response.content
    assert Complaint.objects.get().location == "WGS84 23.1291,113.2644"


def test_an_anonymous_complaint_sends_no_name(client, form):
    data = {k: v for k, v in form.items() if k not in ("first_name", "last_name", "phone")}
    response = post(client, {**data, "attribute[real_name]": "false"})
    assert response.status_code == 200, response.content
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous and complaint.identity.name == ""


def test_the_occurred_on_attribute_is_kept_as_a_date(client, form):
    post(client, {**form, "attribute[occurred_on]": "2025-03-01T23:30:00Z"})
    # 23:30 UTC is the next morning in Beijing.
    assert Complaint.objects.get().occurred_on.isoformat() == "2025-03-02"


def test_post_needs_no_csrf_token(form):
    response = post(Client(enforce_csrf_checks=True), form)
    assert response.status_code == 200, response.content


def test_sending_the_same_complaint_twice_makes_one_and_answers_with_it(client, form):
    first = json.loads(post(client, form).content)[0]
    second = json.loads(post(client, form).content)[0]
    assert Complaint.objects.count() == 1
    assert first["service_request_id"] == second["service_request_id"]


# --- The key ---------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_api_key_is_403_with_the_error_array(client, form, fmt):
    data = {k: v for k, v in form.items() if k != "api_key"}
    response = post(client, data, fmt=fmt)
    assert response.status_code == 403
    if fmt == "json":
        assert errors_of(response)[0]["code"] == 403
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.findtext("error/code") == "403"
        assert root.findtext("error/description")
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "api_key",
    ["nonsense", "cp311_00000000_guess", "", "   "],
)
def test_wrong_api_key_is_403(client, form, api_key):
    response = post(client, {**form, "api_key": api_key})
    assert response.status_code == 403
    assert errors_of(response)[0]["code"] == 403
    assert not Complaint.objects.exists()


def test_a_key_with_a_right_prefix_and_a_wrong_secret_is_403(client, form, key):
    prefix = key[0].prefix
    response = post(client, {**form, "api_key": f"cp311_{prefix}_{'x' * 43}"})
    assert response.status_code == 403


def test_revoked_api_key_is_403(client, form, key):
    key_revoke(prefix=key[0].prefix)
    response = post(client, form)
    assert response.status_code == 403
    assert "revoked" in errors_of(response)[0]["description"]
    assert not Complaint.objects.exists()


def test_posts_are_rate_limited_per_key(client, form, settings):
    settings.OPEN311_POST_RATE = "2/m"
    for n in range(2):
        assert post(client, {**form, "description": f"第{n}件投诉，窗口人员推诿不办。"}).status_code == 200
    response = post(client, {**form, "description": "第三件投诉，窗口人员推诿不办。"})
    assert response.status_code == 429 and response["Retry-After"]
    assert errors_of(response)[0]["code"] == 429
    other_key, other_raw = key_create(name="another system")
    assert post(client, {**form, "api_key": other_raw}).status_code == 200


# --- Arguments -------------------------------------------------------------------
@pytest.mark.parametrize(
    "drop, mentioned",
    [
        (["service_code"], "service_code"),
        (["description"], "description"),
        (["address_string"], "location"),
        (["attribute[real_name]"], "real_name"),
    ],
)
def test_missing_required_arguments_are_400(client, form, drop, mentioned):
    # attribute[office] stays: the office complained about is not a location (address_id is)
    data = {k: v for k, v in form.items() if k not in drop}
    response = post(client, data)
    assert response.status_code == 400
    (error,) = errors_of(response)
    assert error["code"] == 400 and mentioned in error["description"]
    assert not Complaint.objects.exists()


def test_unknown_service_code_is_404(client, form):
    response = post(client, {**form, "service_code": "potholes"})
    assert response.status_code == 404
    assert errors_of(response)[0]["code"] == 404


def test_inactive_service_code_is_404(client, form):
    ProblemType.objects.filter(code="attitude").update(is_active=False)
    assert post(client, form).status_code == 404


@pytest.mark.parametrize(
    "changes, mentioned",
    [
        ({"description": "太短"}, "description"),  # the service's own minimum
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"first_name": "", "last_name": ""}, "first_name/last_name"),
        ({"attribute[real_name]": "false"}, "attribute[real_name]"),  # anonymous but named
        ({"attribute[real_name]": "maybe"}, "real_name"),
        ({"attribute[office]": "999999"}, "attribute[office]"),
        ({"attribute[office]": "abc"}, "attribute[office]"),
        ({"address_id": "999999", "attribute[office]": ""}, "address_id"),
        ({"lat": "23.1"}, "lat and long"),
        ({"lat": "123", "long": "500"}, "lat and long"),
        ({"attribute[occurred_on]": "yesterday"}, "occurred_on"),
    ],
)
def test_invalid_arguments_are_400_with_the_reason(client, form, changes, mentioned):
    response = post(client, {**form, **changes})
    assert response.status_code == 400, response.content
    descriptions = " ".join(e["description"] for e in errors_of(response))
    assert mentioned in descriptions
    assert not Complaint.objects.exists()


def test_an_inactive_office_is_refused_as_on_the_web_form(client, form, office_a):
    office_a.is_active = False
    office_a.save()
    response = post(client, form)
    assert response.status_code == 400
    assert "attribute[office]" in errors_of(response)[0]["description"]


def test_office_and_address_id_must_agree(client, form, office_b):
    response = post(client, {**form, "address_id": str(office_b.pk)})
    assert response.status_code == 400


def test_every_problem_is_reported_at_once(client, form):
    data = {k: v for k, v in form.items() if k not in ("description", "attribute[real_name]", "address_string")}
    response = post(client, data)
    assert response.status_code == 400
    assert len(errors_of(response)) == 3
