"""GET Service Requests, GET Service Request and tokens: anyone may follow a
complaint's status; only the system that filed a complaint reads back what it
sent; nobody ever gets the complainant's identity."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from complaints.open311 import views
from complaints.open311.keys import key_create, key_revoke
from complaints.tests.factories import submit, walk_to

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL, IP = "欧阳娜娜", "13912345678", "nana.ouyang@example.org", "198.51.100.23"
DESCRIPTION = "办证窗口工作人员态度恶劣，多次推诿不予办理。"
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
STATUS_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
]


def url(name, fmt="json", **kwargs):
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


def get_json(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


@pytest.fixture
def hotline():
    return key_create(name="12345 hotline")


@pytest.fixture
def other_system():
    return key_create(name="another system")


def filed_by(key, office, **kwargs):
    """A complaint sent by an integrating system, with the complainant's identity."""
    kwargs.setdefault("description", DESCRIPTION)
    complaint, _code = submit(
        office=office,
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        ip=IP,
        channel=Complaint.Channel.OPEN311,
        open311_key=key,
        location="市政务服务中心二楼",
        **kwargs,
    )
    return complaint


def age(complaint, days):
    Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


# --- What is returned, to whom ---------------------------------------------------
def test_anyone_gets_the_status_fields_only(client, office_a, hotline):
    complaint = filed_by(hotline[0], office_a)
    (row,) = get_json(client, url("requests"))
    assert list(row) == STATUS_FIELDS
    assert row["service_request_id"] == complaint.tracking_number
    assert row["status"] == "open" and row["service_code"] == "attitude"


def test_another_systems_key_gets_the_status_fields_only(client, office_a, hotline, other_system):
    filed_by(hotline[0], office_a)
    (row,) = get_json(client, url("requests"), api_key=other_system[1])
    assert list(row) == STATUS_FIELDS
    assert DESCRIPTION not in json.dumps(row, ensure_ascii=False)


def test_the_filing_system_also_reads_back_its_description_and_location(client, office_a, hotline):
    complaint = filed_by(hotline[0], office_a)
    (row,) = get_json(client, url("requests"), api_key=hotline[1])
    assert row["description"] == DESCRIPTION
    assert row["address"] == "市政务服务中心二楼" and row["address_id"] == office_a.pk
    (one,) = get_json(client, url("request", service_request_id=complaint.tracking_number), api_key=hotline[1])
    assert one["description"] == DESCRIPTION


def test_web_complaints_never_show_their_description_to_any_system(client, office_a, hotline):
    submit(office=office_a, description=DESCRIPTION)
    (row,) = get_json(client, url("requests"), api_key=hotline[1])
    assert "description" not in row


def test_a_wrong_or_revoked_key_on_a_read_is_403(client, office_a, hotline):
    filed_by(hotline[0], office_a)
    assert client.get(url("requests"), {"api_key": "cp311_deadbeef_nope"}).status_code == 403
    key_revoke(prefix=hotline[0].prefix)
    response = client.get(url("requests"), {"api_key": hotline[1]})
    assert response.status_code == 403 and json.loads(response.content)[0]["code"] == 403


def test_personal_data_is_never_in_any_response(client, office_a, hotline, centre_staff, staff_b, office_b):
    complaint = filed_by(hotline[0], office_a)
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    pages = (
        [
            (url(name, fmt), params)
            for fmt in ("json", "xml")
            for name in ("requests",)
            for params in ({}, {"api_key": hotline[1]})
        ]
        + [
            (url("request", fmt, service_request_id=complaint.tracking_number), params)
            for fmt in ("json", "xml")
            for params in ({}, {"api_key": hotline[1]})
        ]
        + [(url("token", fmt, token=complaint.tracking_number), {}) for fmt in ("json", "xml")]
    )
    for path, params in pages:
        response = client.get(path, params)
        assert response.status_code == 200, path
        text = response.content.decode()
        for secret in (NAME, PHONE, EMAIL, IP, "张三", "13800138000"):
            assert secret not in text, (path, params, secret)


def test_the_office_complained_about_is_not_shown_to_others(client, office_a, hotline):
    filed_by(hotline[0], office_a)
    for fmt in ("json", "xml"):
        text = client.get(url("requests", fmt)).content.decode()
        assert office_a.name not in text


# --- Statuses and dates --------------------------------------------------------------
def test_status_is_open_or_closed_with_the_public_label_in_status_notes(
    client, office_a, office_b, centre_staff, staff_b
):
    investigating = walk_to(
        "investigating", submit(office=office_a)[0], centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    refused = submit(office=office_a, description="另一件投诉，窗口人员推诿不办。")[0]
    services.complaint_not_accept(complaint_id=refused.pk, actor=centre_staff, reason="不属于受理范围，请向法院起诉。")
    response = client.get(url("requests"), HTTP_ACCEPT_LANGUAGE="en")
    rows = {r["service_request_id"]: r for r in json.loads(response.content)}
    row = rows[investigating.tracking_number]
    assert (row["status"], row["status_notes"]) == ("open", "Under investigation")
    assert row["agency_responsible"] == office_b.name
    row = rows[refused.tracking_number]
    assert (row["status"], row["status_notes"]) == ("closed", "Not accepted")
    assert "法院" not in response.content.decode()  # the reason is for the complainant, not the public


def test_a_complaint_the_centre_holds_names_the_centre_as_responsible(client, office_a):
    submit(office=office_a)
    (row,) = get_json(client, url("requests"))
    assert row["agency_responsible"]  # the complaint centre, never the office complained about
    assert row["agency_responsible"] != office_a.name


def test_datetimes_are_iso_8601_with_an_offset(client, office_a):
    complaint, _ = submit(office=office_a)
    (row,) = get_json(client, url("requests"))
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(row[field]), row[field]
    assert dt.datetime.fromisoformat(row["requested_datetime"]) == complaint.created_at.replace(microsecond=0)
    expected = dt.datetime.fromisoformat(row["expected_datetime"])
    assert expected.date() == complaint.complete_due and expected.utcoffset() == dt.timedelta(hours=8)


def test_a_closed_request_is_updated_when_it_was_closed(client, office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    services.complaint_not_accept(complaint_id=complaint.pk, actor=centre_staff, reason="不属于受理范围。")
    complaint.refresh_from_db()
    Complaint.objects.filter(pk=complaint.pk).update(updated_at=timezone.now() + dt.timedelta(hours=1))
    (row,) = get_json(client, url("requests"))
    assert dt.datetime.fromisoformat(row["updated_datetime"]) == complaint.closed_at.replace(microsecond=0)


# --- GET Service Requests: the list and its filters ------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_list_is_an_array_even_for_one_request(client, office_a, fmt):
    submit(office=office_a)
    response = client.get(url("requests", fmt))
    if fmt == "json":
        assert isinstance(json.loads(response.content), list)
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "service_requests"
        (request,) = root.findall("request")
        assert [child.tag for child in request] == STATUS_FIELDS


def test_the_default_window_is_the_last_90_days(client, office_a):
    recent, _ = submit(office=office_a, description="最近的投诉，窗口人员推诿不办。")
    old, _ = submit(office=office_a, description="很久以前的投诉，窗口人员推诿不办。")
    age(recent, 89)
    age(old, 91)
    assert [r["service_request_id"] for r in get_json(client, url("requests"))] == [recent.tracking_number]


def test_start_and_end_date_choose_the_window(client, office_a):
    old, _ = submit(office=office_a, description="很久以前的投诉，窗口人员推诿不办。")
    age(old, 200)
    submit(office=office_a, description="最近的投诉，窗口人员推诿不办。")
    start = (timezone.now() - dt.timedelta(days=210)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=190)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = get_json(client, url("requests"), start_date=start, end_date=end)
    assert [r["service_request_id"] for r in rows] == [old.tracking_number]
    rows = get_json(client, url("requests"), start_date=start)  # start alone: the 90 days after it
    assert [r["service_request_id"] for r in rows] == [old.tracking_number]


def test_an_offset_whose_plus_was_not_url_encoded_still_reads(client, office_a):
    complaint, _ = submit(office=office_a)
    start = timezone.localtime() - dt.timedelta(days=1)
    # "+08:00" sent raw in a query string arrives as " 08:00"
    rows = get_json(client, url("requests") + f"?start_date={start:%Y-%m-%dT%H:%M:%S}+08:00")
    assert [r["service_request_id"] for r in rows] == [complaint.tracking_number]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},  # more than 90 days
        {"start_date": "2025-02-01T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"},  # backwards
        {"start_date": "last tuesday"},
        {"end_date": "2025-13-45"},
        {"status": "pending"},
    ],
)
def test_bad_filters_are_400(client, params):
    response = client.get(url("requests"), params)
    assert response.status_code == 400
    assert json.loads(response.content)[0]["code"] == 400


def test_status_and_service_code_filter_the_list(client, office_a, centre_staff):
    open_one, _ = submit(office=office_a, code="attitude")
    closed_one, _ = submit(office=office_a, code="inefficiency", description="办事拖拉，一个月没有答复。")
    services.complaint_not_accept(complaint_id=closed_one.pk, actor=centre_staff, reason="重复投诉。")

    def ids(**params):
        return {r["service_request_id"] for r in get_json(client, url("requests"), **params)}

    assert ids(status="open") == {open_one.tracking_number}
    assert ids(status="closed") == {closed_one.tracking_number}
    assert ids(status="open,closed") == {open_one.tracking_number, closed_one.tracking_number}
    assert ids(service_code="inefficiency") == {closed_one.tracking_number}
    assert ids(service_code="attitude,inefficiency") == {open_one.tracking_number, closed_one.tracking_number}
    assert ids(service_code="attitude", status="closed") == set()


def test_service_request_id_overrides_every_other_filter(client, office_a):
    first, _ = submit(office=office_a, description="第一件投诉，窗口人员推诿不办。")
    second, _ = submit(office=office_a, description="第二件投诉，窗口人员推诿不办。")
    age(first, 300)
    rows = get_json(
        client,
        url("requests"),
        service_request_id=f"{first.tracking_number}, {second.tracking_number},TS-1999-000001",
        status="closed",
        service_code="corruption",
    )
    assert {r["service_request_id"] for r in rows} == {first.tracking_number, second.tracking_number}


def test_the_list_stops_at_the_limit_newest_first(client, office_a, monkeypatch):
    assert views.REQUEST_LIMIT == 1000
    monkeypatch.setattr(views, "REQUEST_LIMIT", 3)
    made = [submit(office=office_a, description=f"第{n}件投诉，窗口人员推诿不办。")[0] for n in range(5)]
    rows = get_json(client, url("requests"))
    assert [r["service_request_id"] for r in rows] == [c.tracking_number for c in reversed(made)][:3]


@pytest.mark.parametrize("n", [5, 50])
def test_the_list_runs_a_fixed_number_of_queries(client, office_a, office_b, hotline, n, django_assert_num_queries):
    for i in range(n):
        filed_by(hotline[0], office_a if i % 2 else office_b, description=f"第{i}件投诉，窗口人员推诿不办。")
    # 2 queries: open311key, complaint (+problemtype, offices)
    with django_assert_num_queries(2):
        response = client.get(url("requests"), {"api_key": hotline[1]})
    assert len(json.loads(response.content)) == n


# --- GET Service Request and tokens ---------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_is_an_array_of_one(client, office_a, fmt):
    complaint, _ = submit(office=office_a)
    response = client.get(url("request", fmt, service_request_id=complaint.tracking_number))
    assert response.status_code == 200
    if fmt == "json":
        (row,) = json.loads(response.content)
        assert row["service_request_id"] == complaint.tracking_number
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "service_requests" and len(root.findall("request")) == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_is_404(client, fmt):
    response = client.get(url("request", fmt, service_request_id="TS-1999-000001"))
    assert response.status_code == 404
    if fmt == "xml":
        assert ET.fromstring(response.content).findtext("error/code") == "404"


def test_a_token_is_the_service_request_id_itself(client, office_a):
    complaint, _ = submit(office=office_a)
    (row,) = get_json(client, url("token", token=complaint.tracking_number))
    assert row == {"service_request_id": complaint.tracking_number, "token": complaint.tracking_number}


def test_an_unknown_token_is_404(client):
    response = client.get(url("token", "xml", token="12345"))
    assert response.status_code == 404
    assert ET.fromstring(response.content).tag == "errors"
