"""The staff detail page: 404 for what the user may not see, the complainant's
identity only for the centre and only through a logged POST, attachments,
the timeline, and the query budget."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from complaints import services
from complaints.models import ComplaintEvent, IdentityAccess
from complaints.tests.factories import submit, walk_to, workflow_steps

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IDENTITY = {"name": "张三丰", "phone": "13812345678", "email": "zhangsanfeng@example.com"}
ACTION_URLS = workflow_steps()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def handled_by_b(office_a, office_b, centre_staff, staff_b):
    """A real-name complaint about office A with a PDF, handled by office B."""
    complaint, _code = submit(office=office_a, attachments=[SimpleUploadedFile("证据.pdf", PDF)], **IDENTITY)
    return walk_to("assigned", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)


def _detail(complaint):
    return reverse("complaints-staff:detail", args=[complaint.pk])


# --- Scope --------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["staff_a", "other_office"])
def test_staff_opening_a_complaint_they_may_not_see_get_404_everywhere(client, handled_by_b, who, request):
    """staff_a works in the office complained about; the other office has nothing to do with it."""
    if who == "other_office":
        from campaigns.roles import Role
        from campaigns.tests.factories import UserFactory

        user = UserFactory(role=Role.OFFICE_STAFF)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    pk = handled_by_b.pk
    assert client.get(_detail(handled_by_b)).status_code == 404
    assert client.post(reverse("complaints-staff:identity", args=[pk])).status_code == 404
    for name in ACTION_URLS:
        assert client.post(reverse(f"complaints-staff:{name}", args=[pk]), {"reason": "x"}).status_code == 404, name
    attachment = handled_by_b.attachments.get()
    assert client.get(reverse("complaints-staff:attachment", args=[attachment.pk])).status_code == 404
    assert not IdentityAccess.objects.exists()


def test_action_endpoints_take_only_post(client, centre_staff, handled_by_b):
    client.force_login(centre_staff)
    for name in ACTION_URLS + ["identity"]:
        assert client.get(reverse(f"complaints-staff:{name}", args=[handled_by_b.pk])).status_code == 405, name


# --- Identity -----------------------------------------------------------------------------
def test_office_staff_cannot_see_complainant_identity(client, staff_b, handled_by_b):
    client.force_login(staff_b)
    detail = client.get(_detail(handled_by_b))
    queue = client.get(reverse("complaints-staff:queue"))
    export = client.get(reverse("complaints-staff:export"))
    assert detail.status_code == queue.status_code == export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content), read_only=True).active
    cells = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    assert handled_by_b.tracking_number in cells
    for page in (detail.content.decode(), queue.content.decode(), cells):
        for secret in (*IDENTITY.values(), "203.0.113.5"):
            assert secret not in page
    assert "Real-name (withheld)" in detail.content.decode()
    assert 'data-testid="show-identity"' not in detail.content.decode()
    assert client.post(reverse("complaints-staff:identity", args=[handled_by_b.pk])).status_code == 403
    assert not IdentityAccess.objects.exists()


def test_anonymous_complaints_say_so(client, office_a, office_b, centre_staff, staff_b):
    complaint, _code = submit(office=office_a, anonymous=True, email="")
    walk_to("assigned", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    client.force_login(staff_b)
    html = client.get(_detail(complaint)).content.decode()
    assert 'data-testid="identity-label">Anonymous<' in html


def test_centre_sees_identity_only_through_the_post_and_each_look_is_logged(client, centre_staff, handled_by_b):
    client.force_login(centre_staff)
    detail = client.get(_detail(handled_by_b)).content.decode()
    assert 'data-testid="show-identity"' in detail
    for secret in IDENTITY.values():
        assert secret not in detail
    url = reverse("complaints-staff:identity", args=[handled_by_b.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    for secret in IDENTITY.values():
        assert secret in html
    assert "no-store" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert IdentityAccess.objects.filter(complaint=handled_by_b, user=centre_staff).count() == 1
    client.post(url)
    assert IdentityAccess.objects.filter(complaint=handled_by_b, user=centre_staff).count() == 2
    assert handled_by_b.events.filter(kind="identity_viewed", actor=centre_staff).count() == 2


def test_readers_of_all_complaints_read_but_never_see_the_identity(client, coordinator, handled_by_b):
    client.force_login(coordinator)
    html = client.get(_detail(handled_by_b)).content.decode()
    assert "Real-name (withheld)" in html and 'data-testid="show-identity"' not in html
    assert 'data-testid="no-actions"' in html
    assert client.post(reverse("complaints-staff:identity", args=[handled_by_b.pk])).status_code == 403
    assert not IdentityAccess.objects.exists()


# --- What the page shows -------------------------------------------------------------------
def test_detail_shows_responsibility_time_limits_and_the_full_timeline(
    client, office_a, office_b, centre_staff, staff_b
):
    complaint, _code = submit(office=office_a)
    services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    services.complaint_transfer_request(
        complaint_id=complaint.pk, actor=centre_staff, to_office=office_b, note="请宣传办核查此事。"
    )
    client.force_login(staff_b)
    response = client.get(_detail(complaint))
    html = response.content.decode()
    assert response.status_code == 200
    assert complaint.description in html
    assert 'data-testid="pending-transfer"' in html and office_b.name in html
    assert "请宣传办核查此事。" in html  # internal notes are for staff
    assert "Transfer requested" in html and "internal" in html
    assert str(centre_staff) in html and centre_staff.office.name in html  # first received by
    assert set(response.context["forms"]) == {"transfer_accept", "transfer_refuse"}


def test_a_paused_complaint_shows_the_stopped_clock(client, office_a, office_b, centre_staff, staff_b):
    complaint, _code = submit(office=office_a)
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_request_info(complaint_id=complaint.pk, actor=staff_b, question="请提供办理时间。")
    client.force_login(staff_b)
    response = client.get(_detail(complaint))
    html = response.content.decode()
    assert 'data-testid="paused"' in html and "Clock paused" in html
    assert "request_info" not in response.context["forms"]  # already asked, not answered yet


@pytest.mark.parametrize(
    "who, status, offered",
    [
        ("centre_staff", "registered", {"accept", "not_accept"}),
        ("centre_staff", "accepted", {"transfer", "start", "request_info"}),
        ("centre_staff", "assigned", set()),
        ("staff_b", "assigned", {"transfer", "start", "request_info"}),
        ("staff_b", "investigating", {"transfer", "request_info", "reply"}),
        ("centre_staff", "replied", {"callback", "close"}),
        ("staff_b", "replied", set()),
        ("coordinator", "investigating", set()),
    ],
)
def test_detail_offers_only_the_steps_the_user_may_take_now(
    client, office_a, office_b, centre_staff, staff_b, coordinator, who, status, offered, request
):
    complaint, _code = submit(office=office_a)
    if status != "registered":
        walk_to(status, complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    client.force_login(request.getfixturevalue(who))
    assert set(client.get(_detail(complaint)).context["forms"]) == offered


# --- Attachments ----------------------------------------------------------------------------
def test_attachments_download_for_those_who_see_the_complaint(client, centre_staff, staff_b, handled_by_b):
    attachment = handled_by_b.attachments.get()
    url = reverse("complaints-staff:attachment", args=[attachment.pk])
    for user in (centre_staff, staff_b):
        client.force_login(user)
        assert f'href="{url}"' in client.get(_detail(handled_by_b)).content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%E8%AF%81%E6%8D%AE.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_missing_attachment_file_is_a_404(client, centre_staff, handled_by_b):
    attachment = handled_by_b.attachments.get()
    attachment.file.delete(save=False)
    client.force_login(centre_staff)
    assert client.get(reverse("complaints-staff:attachment", args=[attachment.pk])).status_code == 404


# --- Query budget -----------------------------------------------------------------------------
@pytest.mark.parametrize("n", [5, 50])
def test_detail_query_budget(client, office_a, office_b, centre_staff, staff_b, n, django_assert_num_queries):
    complaint, _code = submit(office=office_a, attachments=[SimpleUploadedFile("a.pdf", PDF)])
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    for i in range(n - complaint.events.count()):
        ComplaintEvent.record(complaint, centre_staff, ComplaintEvent.Kind.NOTE, internal_note=f"备注{i}")
    assert complaint.events.count() == n
    client.force_login(centre_staff)
    # 12 queries: session, user, user permissions, group permissions, complaint (+offices, campaign, problemtype,
    # user, callback, typicalcase), complaintevent (+user, offices), complaintattachment, accountabilitycase
    # (+offices, user), working-day calendar, offices, current campaign, inbox badge
    with django_assert_num_queries(12):
        response = client.get(_detail(complaint))
    assert response.status_code == 200 and len(response.context["timeline"]) == n
    client.force_login(staff_b)
    # 13 queries: session, user, user permissions, group permissions, complaint (+offices, user, campaign,
    # problemtype, callback, typicalcase), complaintevent (+user, offices), complaintattachment, accountabilitycase
    # (+offices, user), working-day calendar, offices, the campaigns this user sees (the header's, cached per
    # user: none, so no phases), inbox badge, the offices offered in the transfer form
    with django_assert_num_queries(13):
        assert client.get(_detail(complaint)).status_code == 200
