"""Complaints taken by phone, letter, at a visit, from a mailbox or from a
supervisor, entered by staff (首问负责: the one who enters it is the first receiver)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services
from complaints.models import ComplainantIdentity, Complaint, ComplaintAttachment
from complaints.tests.factories import problem_type

pytestmark = pytest.mark.django_db
NEW = reverse("complaints-staff:new")
DONE = reverse("complaints-staff:submitted")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _data(office, **changes):
    data = {
        "channel": "hotline",
        "office": office.pk,
        "problem_type": problem_type().pk,
        "description": "来电反映办事大厅窗口工作人员态度恶劣。",
        "occurred_on": "",
        "location": "办事大厅",
        "is_anonymous": "0",
        "name": "李四",
        "phone": "13900000000",
        "email": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_hotline_complaint_is_registered_and_its_codes_are_shown_once(client, staff_a, office_b):
    client.force_login(staff_a)
    response = client.post(NEW, _data(office_b))
    assert response.status_code == 302 and response["Location"] == DONE
    complaint = Complaint.objects.get()
    assert complaint.channel == "hotline" and complaint.office == office_b
    assert (complaint.first_receiver, complaint.first_office) == (staff_a, staff_a.office)
    assert complaint.identity.name == "李四" and complaint.identity.ip_address is None
    done = client.get(DONE)
    html = done.content.decode()
    code = html.split('data-testid="access-code">')[1].split("<")[0]
    assert complaint.tracking_number in html and services.access_code_matches(complaint, code)
    assert "no-store" in done["Cache-Control"]
    assert f'href="{reverse("complaints-staff:detail", args=[complaint.pk])}"' in html  # the first receiver follows it
    # shown once: the code is gone from the session after the page was shown
    assert client.get(DONE)["Location"] == NEW


def test_staff_channels_need_no_phone_or_email(client, centre_staff, office_b):
    client.force_login(centre_staff)
    assert client.post(NEW, _data(office_b, channel="letter", phone="")).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "letter" and complaint.identity.phone == ""
    # the centre sees what it registered and may open it straight away
    assert f'href="{reverse("complaints-staff:detail", args=[complaint.pk])}"' in client.get(DONE).content.decode()


def test_an_anonymous_complaint_keeps_no_name(client, staff_a, office_b):
    client.force_login(staff_a)
    assert client.post(NEW, _data(office_b, is_anonymous="1", name="", phone="")).status_code == 302
    identity = ComplainantIdentity.objects.get()
    assert Complaint.objects.get().is_anonymous and (identity.name, identity.phone) == ("", "")


@pytest.mark.parametrize("channel", ["web", "open311", "carrier-pigeon"])
def test_the_public_channels_are_not_offered(client, staff_a, office_b, channel):
    client.force_login(staff_a)
    response = client.post(NEW, _data(office_b, channel=channel))
    assert response.status_code == 400 and "channel" in response.context["form"].errors
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"description": "太短"}, "description"),
        ({"name": ""}, "name"),
        ({"is_anonymous": "1"}, "is_anonymous"),  # anonymous, yet a name and phone were given
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"problem_type": ""}, "problem_type"),
    ],
)
def test_bad_input_comes_back_next_to_the_field_and_nothing_is_saved(client, staff_a, office_b, changes, field):
    client.force_login(staff_a)
    response = client.post(NEW, _data(office_b, **changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Complaint.objects.exists() and not ComplainantIdentity.objects.exists()


def test_up_to_five_files_are_attached(client, staff_a, office_b):
    client.force_login(staff_a)
    files = [SimpleUploadedFile(f"材料{i}.pdf", PDF, content_type="application/pdf") for i in range(2)]
    assert client.post(NEW, {**_data(office_b), "attachments": files}).status_code == 302
    assert sorted(ComplaintAttachment.objects.values_list("original_name", flat=True)) == ["材料0.pdf", "材料1.pdf"]


def test_six_files_or_a_disguised_one_are_refused_and_nothing_is_saved(client, staff_a, office_b):
    client.force_login(staff_a)
    six = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(6)]
    response = client.post(NEW, {**_data(office_b), "attachments": six})
    assert response.status_code == 400 and "attachments" in response.context["form"].errors
    disguised = [SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an exe")]
    response = client.post(NEW, {**_data(office_b), "attachments": disguised})
    assert response.status_code == 400 and "attachments" in response.context["form"].errors
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_the_same_complaint_posted_twice_is_registered_once(client, staff_a, office_b):
    client.force_login(staff_a)
    client.post(NEW, _data(office_b))
    client.get(DONE)
    client.post(NEW, _data(office_b))
    html = client.get(DONE).content.decode()
    assert Complaint.objects.count() == 1
    assert "Already registered" in html and 'data-testid="access-code"' not in html


def test_users_who_may_not_register_complaints_get_403(client, supervisor, office_b):
    client.force_login(supervisor)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _data(office_b)).status_code == 403
    assert not Complaint.objects.exists()


def test_the_form_page_loads_its_script_from_a_static_file(client, staff_a):
    client.force_login(staff_a)
    html = client.get(NEW).content.decode()
    assert 'src="/static/js/staff_complaints.js"' in html
    assert "<script>" not in html and " style=" not in html
    assert "multiple" in html.split('name="attachments"')[1].split(">")[0]
