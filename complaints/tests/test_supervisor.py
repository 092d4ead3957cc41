"""Supervisors (监督员) read everything and change nothing: the complaint queue,
every complaint and the accountability cases, with their exports, but never who
complained — no name, phone, e-mail or address, no identity page, no identity
column in any export — and no step of the workflow (complaints/rules.py)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from complaints import rules
from complaints.models import AccountabilityCase, Complaint, ComplaintEvent, IdentityAccess
from complaints.tests.factories import submit, walk_to, workflow_steps

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME, PHONE, EMAIL, IP = "张三丰", "13812345678", "zhangsanfeng@example.com", "203.0.113.99"
SECRETS = (NAME, PHONE, EMAIL, IP)
ACTIONS = workflow_steps()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def complaints(phase, office_a, office_b, centre_staff, staff_b):
    """One complaint waiting for acceptance, one handled by office B and replied as
    substantiated (an accountability case), both real-name with an address."""
    waiting, _ = submit(office=office_a, name=NAME, phone=PHONE, email=EMAIL, ip=IP)
    replied, _ = submit(
        office=office_a,
        description="办事窗口多次要求补交同一份材料。",
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        ip=IP,
        attachments=[SimpleUploadedFile("证据.pdf", PDF)],
    )
    replied = walk_to(
        "replied", replied, centre=centre_staff, handler=staff_b, handling_office=office_b, substantiated=True
    )
    return waiting, replied


def sheet_text(response) -> str:
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None)


def test_the_rules_let_a_supervisor_read_every_complaint_and_take_no_step(supervisor, complaints):
    assert rules.reads_all_complaints(supervisor) and rules.may_open_complaint_pages(supervisor)
    assert not rules.is_centre(supervisor) and not rules.can_view_identity(supervisor)
    assert all(rules.permitted_actions(supervisor, complaint) == set() for complaint in complaints)
    assert set(Complaint.objects.visible_to(supervisor)) == set(complaints)


def test_a_supervisor_reads_the_queue_and_every_complaint_without_the_complainants_identity(
    client, supervisor, complaints
):
    waiting, replied = complaints
    client.force_login(supervisor)
    queue = client.get(reverse("complaints-staff:queue")).content.decode()
    assert waiting.tracking_number in queue and replied.tracking_number in queue
    assert 'href="/staff/complaints/new/"' not in queue  # registers nothing
    for complaint in complaints:
        detail = client.get(reverse("complaints-staff:detail", args=[complaint.pk]))
        html = detail.content.decode()
        assert detail.status_code == 200 and complaint.description in html
        assert "Real-name (withheld)" in html and 'data-testid="show-identity"' not in html
        assert 'action="/staff/complaints/' not in html  # not one form of a step
        assert not any(secret in html for secret in SECRETS)
    cases = client.get(reverse("complaints-staff:cases")).content.decode()
    assert replied.tracking_number in cases and "csrfmiddlewaretoken" not in cases.split("<main")[1]
    assert not any(secret in queue + cases for secret in SECRETS)


def test_no_export_a_supervisor_may_download_carries_the_complainants_identity(client, supervisor, complaints):
    client.force_login(supervisor)
    texts = [
        sheet_text(client.get(reverse("complaints-staff:export"))),
        sheet_text(client.get(reverse("complaints-staff:cases-export"))),
        sheet_text(client.get(reverse("oversight-staff:ledger-export", args=["complaints"]))),
        sheet_text(client.get(reverse("oversight-staff:ledger-export", args=["cases"]))),
    ]
    assert all(complaints[1].tracking_number in text for text in texts)
    assert not any(secret in text for text in texts for secret in SECRETS)
    assert not IdentityAccess.objects.exists()


def test_a_supervisor_takes_no_step_and_never_reaches_the_identity(client, supervisor, complaints):
    waiting, replied = complaints
    client.force_login(supervisor)
    events = ComplaintEvent.objects.count()
    for complaint in complaints:
        for name in ACTIONS:
            response = client.post(
                reverse(f"complaints-staff:{name}", args=[complaint.pk]),
                {"reason": "x", "question": "x", "office": complaint.office_id, "findings": "x", "reply": "x"},
            )
            assert response.status_code == 403, name
        assert client.post(reverse("complaints-staff:identity", args=[complaint.pk])).status_code == 403
    case = AccountabilityCase.objects.get()
    decide = client.post(
        reverse("complaints-staff:case-decide", args=[case.pk]), {"decision": "no_action", "reasoning": "x"}
    )
    assert decide.status_code == 403
    assert client.get(reverse("complaints-staff:new")).status_code == 403
    assert ComplaintEvent.objects.count() == events and not IdentityAccess.objects.exists()
    assert Complaint.objects.get(pk=waiting.pk).status == "registered"
    assert AccountabilityCase.objects.get().decision == "pending"
