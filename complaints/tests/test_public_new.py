"""Filing a complaint on the public form: /complaints/new/ and its receipt."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from campaigns.tests.factories import OfficeFactory
from complaints import services
from complaints.models import ComplainantIdentity, Complaint, ComplaintAttachment
from complaints.public_views import RECEIPT_KEY
from complaints.tests.factories import problem_type

pytestmark = pytest.mark.django_db
NEW = reverse("complaints:new")
RECEIPT = reverse("complaints:receipt")
DESCRIPTION = "窗口工作人员态度恶劣，多次推诿不予办理。"


def form_data(office=None, **changes):
    data = {
        "office": office.pk if office else "",
        "problem_type": problem_type("attitude").pk,
        "description": DESCRIPTION,
        "occurred_on": "",
        "location": "政务服务中心3号窗口",
        "is_anonymous": "real",
        "name": "李四",
        "phone": "13912345678",
        "email": "lisi@example.com",
        "website": "",
    }
    data.update(changes)
    return data


def pdf(name="evidence.pdf", size=0):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence" + b"0" * size, content_type="application/pdf")


def private_files() -> set[Path]:
    root = Path(ComplaintAttachment._meta.get_field("file").storage.location)  # type: ignore[attr-defined]
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def assert_nothing_stored(files_before):
    assert Complaint.objects.count() == 0
    assert ComplainantIdentity.objects.count() == 0
    assert ComplaintAttachment.objects.count() == 0
    assert private_files() == files_before


# --- The form page ------------------------------------------------------------------
def test_the_form_offers_active_offices_grouped_by_parent_with_not_sure_first(client, office_a):
    OfficeFactory(name="财政所", parent=office_a)
    OfficeFactory(name="已撤销的办公室", is_active=False)
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', html)
    assert options[0][0] == "" and "Not sure" in options[0][1]
    assert f'<optgroup label="{office_a.name}">' in html and "财政所" in html
    assert "已撤销的办公室" not in html


def test_the_form_explains_each_problem_type(client):
    html = client.get(NEW).content.decode()
    attitude = problem_type("attitude")
    assert attitude.display_name in html and attitude.display_description in html


def test_the_honeypot_is_hidden_from_people_and_the_keyboard(client):
    html = client.get(NEW).content.decode()
    honeypot = re.search(r'<div\s+class="d-none"\s+aria-hidden="true">.*?<input[^>]*name="website"[^>]*>', html, re.S)
    assert honeypot, "the website field must sit in a hidden, aria-hidden wrapper"
    assert 'tabindex="-1"' in honeypot.group(0) and 'autocomplete="off"' in honeypot.group(0)


# --- Success --------------------------------------------------------------------------
def test_a_valid_complaint_is_stored_once_and_the_receipt_shows_both_codes(client, office_a):
    response = client.post(NEW, form_data(office_a), REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 302 and response.url == RECEIPT
    complaint = Complaint.objects.get()
    assert complaint.office == office_a and complaint.channel == Complaint.Channel.WEB
    assert complaint.location == "政务服务中心3号窗口"
    assert complaint.identity.ip_address == "198.51.100.23"
    assert (complaint.identity.name, complaint.identity.phone) == ("李四", "13912345678")

    page = client.get(RECEIPT)
    html = page.content.decode()
    code = re.search(r'data-testid="access-code">([A-Z0-9-]+)<', html).group(1)
    assert complaint.tracking_number in html
    assert services.access_code_matches(complaint, code)
    # Only the codes: never the identity, not even on the complainant's own receipt.
    for private in ("李四", "13912345678", "lisi@example.com", "198.51.100.23"):
        assert private not in html


def test_the_access_code_is_shown_once_and_then_leaves_the_session(client, office_a):
    client.post(NEW, form_data(office_a))
    first = client.get(RECEIPT).content.decode()
    code = re.search(r'data-testid="access-code">([A-Z0-9-]+)<', first).group(1)
    assert code not in str(dict(client.session))
    again = client.get(RECEIPT)
    assert again.status_code == 200
    html = again.content.decode()
    assert code not in html and 'data-testid="code-shown-before"' in html
    assert Complaint.objects.get().tracking_number in html


def test_the_receipt_page_is_not_cached(client, office_a):
    client.post(NEW, form_data(office_a))
    assert "no-store" in client.get(RECEIPT)["Cache-Control"]


def test_the_receipt_without_a_submission_leads_to_the_form(client):
    assert client.get(RECEIPT).url == NEW


def test_the_receipt_mentions_the_email_only_when_one_was_given(client, office_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, form_data(office_a))
    assert 'data-testid="emailed"' in client.get(RECEIPT).content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lisi@example.com"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, form_data(office_a, email="", description="另一件投诉，内容足够长。"))
    assert 'data-testid="emailed"' not in client.get(RECEIPT).content.decode()
    assert len(mail.outbox) == 1


def test_an_anonymous_complaint_keeps_only_the_optional_email(client, office_a):
    response = client.post(NEW, form_data(office_a, is_anonymous="anonymous", name="", phone="", email="x@example.com"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert (complaint.identity.name, complaint.identity.phone, complaint.identity.email) == ("", "", "x@example.com")


def test_not_sure_of_the_office_is_a_valid_answer(client):
    assert client.post(NEW, form_data(None)).status_code == 302
    assert Complaint.objects.get().office is None


def test_photos_and_documents_are_stored_privately(client, office_a):
    response = client.post(NEW, {**form_data(office_a), "attachments": [pdf("a.pdf"), pdf("b.pdf")]})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert sorted(complaint.attachments.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]
    assert all("/private/" in a.file.path for a in complaint.attachments.all())


def test_the_same_complaint_sent_twice_keeps_its_first_number_and_gets_no_new_code(client, office_a):
    client.post(NEW, form_data(office_a))
    first_code = re.search(r'data-testid="access-code">([A-Z0-9-]+)<', client.get(RECEIPT).content.decode()).group(1)
    response = client.post(NEW, form_data(office_a))
    assert response.status_code == 302
    html = client.get(RECEIPT).content.decode()
    complaint = Complaint.objects.get()
    assert complaint.tracking_number in html
    assert "already sent this complaint" in html
    assert 'data-testid="access-code"' not in html and first_code not in html


# --- Refusals: 400, the message next to the field, nothing stored ------------------------
BAD_INPUTS = [
    pytest.param({"description": ""}, "description", id="missing-text"),
    pytest.param({"description": "太短了"}, "description", id="short-text"),
    pytest.param({"description": "长" * 5001}, "description", id="too-long-text"),
    pytest.param({"office": "999999"}, "office", id="unknown-office"),
    pytest.param({"office": "abc"}, "office", id="malformed-office"),
    pytest.param({"problem_type": "999999"}, "problem_type", id="unknown-type"),
    pytest.param({"problem_type": ""}, "problem_type", id="missing-type"),
    pytest.param({"phone": "call me maybe"}, "phone", id="bad-phone"),
    pytest.param({"email": "not-an-email"}, "email", id="bad-email"),
    pytest.param({"phone": "", "email": ""}, "phone", id="real-name-without-contact"),
    pytest.param({"name": ""}, "name", id="real-name-without-name"),
    pytest.param({"is_anonymous": "anonymous"}, "is_anonymous", id="anonymous-with-name-and-phone"),
    pytest.param({"is_anonymous": "maybe"}, "is_anonymous", id="unknown-identity-choice"),
    pytest.param({"occurred_on": "2999-01-01"}, "occurred_on", id="date-in-the-future"),
    pytest.param({"occurred_on": "yesterday"}, "occurred_on", id="malformed-date"),
    pytest.param({"attachments": [pdf(f"{n}.pdf") for n in range(6)]}, "attachments", id="too-many-files"),
    pytest.param(
        {"attachments": [SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an exe")]}, "attachments", id="disguised-file"
    ),
    pytest.param({"attachments": [SimpleUploadedFile("notes.txt", b"plain text")]}, "attachments", id="text-file"),
]


@pytest.mark.parametrize("changes, field", BAD_INPUTS)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_stored(client, office_a, changes, field):
    before = private_files()
    response = client.post(NEW, {**form_data(office_a), **changes})
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    html = response.content.decode()
    # crispy's bootstrap5 markup puts the message right under the field.
    error_id = "id_attachments" if field == "attachments" else f"id_{field}"
    first_error = re.search(rf'id="error_1_{error_id}"><strong>(.*?)</strong>', html)
    assert first_error, f"no error shown next to {field}"
    assert 'data-testid="form-errors"' in html
    assert_nothing_stored(before)


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(client, office_a):
    before = private_files()
    response = client.post(NEW, {**form_data(office_a), "attachments": [pdf("ok.pdf"), pdf("big.pdf", size=2000)]})
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert 'id="error_1_id_attachments"' in response.content.decode()
    assert_nothing_stored(before)


def test_all_mistakes_are_shown_at_once(client, office_a):
    response = client.post(NEW, form_data(office_a, description="太短了", phone="call me", occurred_on="2999-01-01"))
    assert response.status_code == 400
    assert {"description", "phone", "occurred_on"} <= set(response.context["form"].errors)


def test_what_was_typed_is_kept_when_the_form_comes_back(client, office_a):
    response = client.post(NEW, form_data(office_a, phone="call me"))
    html = response.content.decode()
    assert DESCRIPTION in html and "政务服务中心3号窗口" in html
    assert re.search(rf'<option value="{office_a.pk}" selected>', html)


def test_the_honeypot_refuses_the_submission_with_a_neutral_message(client, office_a):
    before = private_files()
    response = client.post(NEW, {**form_data(office_a, website="http://spam.example"), "attachments": [pdf()]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "could not be sent" in html
    assert "spam.example" not in html  # the bot's value is not handed back
    assert "website" not in response.context["form"].errors
    assert_nothing_stored(before)


def test_csrf_protects_the_form(office_a):
    response = Client(enforce_csrf_checks=True).post(NEW, form_data(office_a))
    assert response.status_code == 403
    assert not Complaint.objects.exists()


# --- Rate limit ---------------------------------------------------------------------------
def test_a_sixth_complaint_from_one_address_within_ten_minutes_is_refused_politely(client, office_a):
    for n in range(5):
        response = client.post(NEW, form_data(office_a, description=f"第{n}件投诉，内容足够长的描述。"))
        assert response.status_code == 302
    before = private_files()
    response = client.post(
        NEW, {**form_data(office_a, description="第六件投诉，内容足够长的描述。"), "attachments": [pdf()]}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert 'data-testid="rate-limited"' in html
    assert "第六件投诉" in html  # what they typed waits for them
    assert Complaint.objects.count() == 5
    assert ComplaintAttachment.objects.count() == 0 and private_files() == before


def test_the_limit_is_per_address(client, office_a):
    for n in range(5):
        client.post(NEW, form_data(office_a, description=f"第{n}件投诉，内容足够长的描述。"))
    other = client.post(NEW, form_data(office_a, description="另一个地址的投诉内容。"), REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302


def test_correcting_mistakes_does_not_use_up_the_limit(client, office_a):
    for _ in range(6):
        assert client.post(NEW, form_data(office_a, phone="call me")).status_code == 400
    assert client.post(NEW, form_data(office_a)).status_code == 302


def test_honeypot_hits_count_towards_the_limit(client, office_a):
    for _ in range(5):
        client.post(NEW, form_data(office_a, website="x"))
    assert client.post(NEW, form_data(office_a)).status_code == 429
    assert not Complaint.objects.exists()


def test_the_receipt_key_holds_no_identity(client, office_a):
    client.post(NEW, form_data(office_a))
    stored = client.session[RECEIPT_KEY]
    assert set(stored) == {"tracking_number", "access_code", "emailed", "duplicate"}


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("zh-hans", "服务态度差", "“门难进、脸难看、话难听、事难办”"),
        ("zh-hant", "服務態度差", "對群眾、對企業進行刁難甚至辱罵"),
        ("en", "Poor service attitude", "Hard to get in, cold faces, harsh words"),
    ],
)
def test_each_problem_type_is_named_and_described_in_the_readers_language(client, language, name, description):
    response = client.get(NEW, headers={"accept-language": language})
    html = response.content.decode()
    assert name in html
    assert description in html
    if language != "zh-hans":
        # No simplified description is left under any of the seven types.
        assert "刁难甚至辱骂" not in html
        assert "以权谋私" not in html


def test_a_type_without_a_translated_description_shows_the_simplified_one(client):
    attitude = problem_type("attitude")
    attitude.description_en = ""
    attitude.save(update_fields=["description_en"])
    html = client.get(NEW, headers={"accept-language": "en"}).content.decode()
    assert "对群众、对企业进行刁难甚至辱骂" in html


def test_the_migration_translates_only_descriptions_nobody_changed():
    from django.apps import apps

    from complaints.migrations._problem_types import translate_descriptions

    attitude, policy = problem_type("attitude"), problem_type("policy")
    attitude.description, attitude.description_en = "本地改写的说明", ""
    attitude.save(update_fields=["description", "description_en"])
    policy.description_en = ""
    policy.save(update_fields=["description_en"])
    translate_descriptions(apps)
    attitude.refresh_from_db()
    policy.refresh_from_db()
    assert attitude.description_en == ""
    assert policy.description_en.startswith("“Policies from above")
