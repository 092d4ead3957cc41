"""Phase deliverables: who may hand in what, versions, review, and the pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import AuditEvent
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from oversight.models import Deliverable, Submission
from oversight.services import deliverables as services
from oversight.tests.factories import DeliverableFactory, pdf

pytestmark = pytest.mark.django_db
Status = Submission.Status


@pytest.fixture
def deliverable(phase, office_a):
    return DeliverableFactory(phase=phase, offices=[office_a], title="自查报告")


# --- Handing in ------------------------------------------------------------------------------
def test_an_office_hands_in_a_first_version(deliverable, staff_a):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf(), note="请审核")
    assert (submission.version, submission.status, submission.office_id) == (1, Status.SUBMITTED, staff_a.office_id)
    assert submission.original_name == "自查报告.pdf"
    assert submission.file.name.startswith("deliverables/") and "自查" not in submission.file.name
    assert AuditEvent.objects.filter(verb="deliverable.submit", target_id=deliverable.pk).exists()


def test_a_deliverable_for_an_office_it_does_not_apply_to_is_refused(deliverable, staff_b):
    with pytest.raises(ValidationError) as exc:
        services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_b, file=pdf())
    assert "does not apply to your office" in exc.value.message_dict["file"][0]
    assert not Submission.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_saved(deliverable, staff_a, settings):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=fake)
    assert "does not match its name" in exc.value.message_dict["file"][0]
    exe = SimpleUploadedFile("report.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=exe)
    assert not Submission.objects.exists()
    assert not (settings.MEDIA_ROOT / "private" / "deliverables").exists()


def test_a_file_over_the_size_limit_is_refused(deliverable, staff_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 20
    with pytest.raises(ValidationError) as exc:
        services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    assert "at most" in exc.value.message_dict["file"][0]


def test_a_supervisor_cannot_hand_in(deliverable, supervisor):
    with pytest.raises(PermissionDenied):
        services.deliverable_submit(deliverable_id=deliverable.pk, actor=supervisor, file=pdf())


def test_a_new_version_replaces_the_one_awaiting_review_and_the_latest_counts(deliverable, staff_a):
    first = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    second = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf("v2.pdf"))
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (Status.SUPERSEDED, Status.SUBMITTED, 2)


def test_after_a_return_the_office_hands_in_again(deliverable, staff_a, coordinator):
    first = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    services.submission_return(submission_id=first.pk, actor=coordinator, comment="请补充整改时限。")
    second = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    first.refresh_from_db()
    assert first.status == Status.RETURNED and second.version == 2


def test_nothing_more_is_handed_in_once_accepted(deliverable, staff_a, coordinator):
    first = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    services.submission_accept(submission_id=first.pk, actor=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    assert "was accepted" in exc.value.message_dict["file"][0]


# --- Reviewing ----------------------------------------------------------------------------------
def test_the_campaign_office_accepts_with_a_comment(deliverable, staff_a, coordinator):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    services.submission_accept(submission_id=submission.pk, actor=coordinator, comment="很好")
    submission.refresh_from_db()
    assert (submission.status, submission.reviewed_by, submission.review_comment) == (
        Status.ACCEPTED,
        coordinator,
        "很好",
    )


def test_a_return_needs_a_comment(deliverable, staff_a, coordinator):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    with pytest.raises(ValidationError) as exc:
        services.submission_return(submission_id=submission.pk, actor=coordinator, comment="  ")
    assert "comment" in exc.value.message_dict
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


def test_a_version_is_reviewed_only_once(deliverable, staff_a, coordinator):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    services.submission_accept(submission_id=submission.pk, actor=coordinator)
    with pytest.raises(ValidationError):
        services.submission_return(submission_id=submission.pk, actor=coordinator, comment="改")
    with pytest.raises(ValidationError):
        services.submission_accept(submission_id=submission.pk, actor=coordinator)


def test_a_superseded_version_cannot_be_reviewed(deliverable, staff_a, coordinator):
    first = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    with pytest.raises(ValidationError):
        services.submission_accept(submission_id=first.pk, actor=coordinator)


def test_office_staff_cannot_review(deliverable, staff_a):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    with pytest.raises(PermissionDenied):
        services.submission_accept(submission_id=submission.pk, actor=staff_a)


def test_the_database_refuses_two_live_versions(deliverable, staff_a):
    from django.db import IntegrityError, transaction

    services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            deliverable=deliverable,
            office=staff_a.office,
            version=2,
            file="x.pdf",
            original_name="x.pdf",
            size=1,
            submitted_by=staff_a,
        )


def test_the_due_date_must_fall_within_the_phase_and_campaign(phase, office_a):
    deliverable = Deliverable(phase=phase, title="x", due_date=phase.start_date - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        deliverable.full_clean()
    assert "due_date" in exc.value.message_dict
    deliverable.due_date = phase.campaign.end_date + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        deliverable.full_clean()


# --- Pages --------------------------------------------------------------------------------------
def test_an_office_uploads_through_the_page(client, deliverable, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("oversight-staff:deliverable-upload", args=[deliverable.pk]), {"file": pdf(), "note": "第一版"}
    )
    assert response.status_code == 302
    assert Submission.objects.get().note == "第一版"


def test_a_bad_upload_is_shown_next_to_the_field(client, deliverable, staff_a):
    client.force_login(staff_a)
    fake = SimpleUploadedFile("report.docx", b"not a word document", content_type="application/msword")
    response = client.post(reverse("oversight-staff:deliverable-upload", args=[deliverable.pk]), {"file": fake})
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert "does not match its name" in response.content.decode()
    assert not Submission.objects.exists()


def test_office_staff_reach_no_deliverable_of_other_offices(client, deliverable, staff_b, office_a):
    client.force_login(staff_b)
    assert (
        client.get(reverse("oversight-staff:deliverable-cell", args=[deliverable.pk, office_a.pk])).status_code == 404
    )
    assert (
        client.post(reverse("oversight-staff:deliverable-upload", args=[deliverable.pk]), {"file": pdf()}).status_code
        == 404
    )
    assert not Submission.objects.exists()


def test_the_campaign_office_is_told_a_deliverable_does_not_apply_to_it(client, deliverable, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("oversight-staff:deliverable-upload", args=[deliverable.pk]), {"file": pdf()})
    assert response.status_code == 400
    assert "does not apply to your office" in response.content.decode()


def test_another_office_cannot_open_a_version_file(client, deliverable, staff_a, staff_b):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    client.force_login(staff_b)
    assert client.get(reverse("oversight-staff:submission-file", args=[submission.pk])).status_code == 404
    client.force_login(staff_a)
    response = client.get(reverse("oversight-staff:submission-file", args=[submission.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_campaign_office_reviews_through_the_page(client, deliverable, staff_a, coordinator):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    client.force_login(coordinator)
    url = reverse("oversight-staff:submission-review", args=[submission.pk])
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and response.context["review_form"].errors["comment"]
    response = client.post(url, {"decision": "return", "comment": "补充时限"})
    assert response.status_code == 302
    response = client.post(url, {"decision": "accept", "comment": ""})
    assert response.status_code == 400  # already returned: refused, with the reason
    assert "only a version awaiting review" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED


def test_office_staff_cannot_review_through_the_page(client, deliverable, staff_a):
    submission = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    client.force_login(staff_a)
    response = client.post(reverse("oversight-staff:submission-review", args=[submission.pk]), {"decision": "accept"})
    assert response.status_code == 403


def test_office_staff_land_on_their_own_list(client, deliverable, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("oversight-staff:deliverables")).url == reverse("oversight-staff:deliverables-mine")
    response = client.get(reverse("oversight-staff:deliverables-mine"))
    assert response.status_code == 200 and "自查报告" in response.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_my_deliverables_query_budget(client, phase, n, django_assert_num_queries):
    office = OfficeFactory()
    user = UserFactory(office=office, role=Role.OFFICE_STAFF)
    for _ in range(n):
        DeliverableFactory(phase=phase, offices=[office])
    client.force_login(user)
    # 10 queries: session, user, current campaign, submission (+deliverable, offices, phases), offices, current
    # campaign, its phases, inbox badge, user permissions, group permissions
    with django_assert_num_queries(10):
        response = client.get(reverse("oversight-staff:deliverables-mine"))
    assert response.status_code == 200
    assert len(response.context["cells"]) == n


@pytest.mark.parametrize("n", [5, 50])
def test_version_history_query_budget(client, deliverable, staff_a, coordinator, n, django_assert_num_queries):
    for _ in range(n):
        s = services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
        services.submission_return(submission_id=s.pk, actor=coordinator, comment="改")
    client.force_login(coordinator)
    # 10 queries: session, user, user permissions, group permissions, deliverable (+phases, campaign), offices
    # (+deliverable_offices), submission (+user), current campaign, its phases, inbox badge
    with django_assert_num_queries(10):
        response = client.get(reverse("oversight-staff:deliverable-cell", args=[deliverable.pk, staff_a.office_id]))
    assert len(response.context["versions"]) == n
