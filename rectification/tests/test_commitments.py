"""Commitments: what makes one acceptable, how a published one is revised, the
progress reports and the completion claim, verification and send-back, and who
may touch which."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AuditEvent
from notifications.models import Notification
from rectification import services
from rectification.models import Commitment, CommitmentRevision, Evidence, ProgressUpdate, RectificationSettings
from rectification.tests.factories import (
    add_commitment,
    approved_plan,
    claim,
    commitment_fields,
    edit_data,
    pdf,
    published,
    record_problem,
    start_plan,
    today,
)

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


# --- What a commitment needs -----------------------------------------------------------
@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"measures": ""}, "measures", "without measures is not accepted"),
        ({"deadline": None}, "deadline", "every commitment has one"),
        ({"deadline": lambda: timezone.localdate() - DAY}, "deadline", "cannot be before today"),
        ({"handling": "gradual", "explanation": ""}, "explanation", "needs a public explanation"),
        ({"handling": "upward", "higher_office": None}, "higher_office", "Name the higher office"),
        ({"problems": []}, "problems", "Choose the problem"),
        ({"responsible_person": ""}, "responsible_person", "Name the person responsible"),
        ({"content": "  "}, "content", "Say what will be rectified"),
    ],
)
def test_a_commitment_with_bad_input_is_refused_next_to_its_field(staff_a, phase, changes, field, words):
    plan = start_plan(staff_a)
    changes = {key: value() if callable(value) else value for key, value in changes.items()}
    with pytest.raises(ValidationError) as exc:
        add_commitment(staff_a, plan, **changes)
    assert field in exc.value.error_dict and words in " ".join(exc.value.message_dict[field])
    assert not Commitment.objects.exists()


def test_an_upward_report_names_an_office_other_than_its_own(staff_a, phase):
    plan = start_plan(staff_a)
    with pytest.raises(ValidationError) as exc:
        add_commitment(staff_a, plan, handling="upward", higher_office=staff_a.office)
    assert "higher_office" in exc.value.error_dict


def test_explanation_and_higher_office_are_kept_only_for_their_handling(staff_a, office_b, phase):
    plan = start_plan(staff_a)
    commitment = add_commitment(staff_a, plan, handling="by_deadline", explanation="多余", higher_office=office_b)
    assert (commitment.explanation, commitment.higher_office) == ("", None)
    upward = add_commitment(staff_a, plan, handling="upward", higher_office=office_b)
    assert upward.higher_office == office_b


def test_a_commitment_answers_its_own_offices_problems_only(staff_a, staff_b, phase):
    plan = start_plan(staff_a)
    with pytest.raises(ValidationError) as exc:
        add_commitment(staff_a, plan, problems=[record_problem(staff_b)])
    assert "problems" in exc.value.error_dict


def test_a_key_department_publishes_through_the_media(staff_a, phase):
    settings = RectificationSettings.objects.create(campaign=phase.campaign)
    settings.key_offices.add(staff_a.office)
    plan = start_plan(staff_a)
    with pytest.raises(ValidationError) as exc:
        add_commitment(staff_a, plan, scope="public")
    assert "key department" in exc.value.message_dict["scope"][0]
    assert add_commitment(staff_a, plan, scope="media").scope == "media"
    assert add_commitment(staff_a, plan, scope="internal").scope == "internal"


def test_commitments_are_numbered_within_the_plan(staff_a, phase):
    plan = start_plan(staff_a)
    assert [add_commitment(staff_a, plan).code for _ in range(3)] == ["党办-1", "党办-2", "党办-3"]


# --- Drafts -------------------------------------------------------------------------------------
def test_a_draft_is_changed_without_a_revision_and_may_be_deleted(staff_a, phase):
    plan = start_plan(staff_a)
    commitment = add_commitment(staff_a, plan)
    new_deadline = today() + 60 * DAY
    services.commitment_update(
        actor=staff_a, commitment_id=commitment.pk, **edit_data(commitment, deadline=new_deadline)
    )
    commitment.refresh_from_db()
    assert commitment.original_deadline == new_deadline and not CommitmentRevision.objects.exists()
    services.commitment_delete(actor=staff_a, commitment_id=commitment.pk)
    assert not Commitment.objects.exists()


def test_a_draft_added_after_approval_is_published_by_the_office(staff_a, coordinator, phase):
    plan, _ = approved_plan(staff_a, coordinator)
    later = add_commitment(staff_a, plan)
    services.commitment_publish(actor=staff_a, commitment_id=later.pk)
    assert Commitment.objects.get(pk=later.pk).status == "published"


def test_a_draft_in_a_plan_not_yet_filed_cannot_be_published(staff_a, phase):
    commitment = add_commitment(staff_a, start_plan(staff_a))
    with pytest.raises(ValidationError, match="approves the plan"):
        services.commitment_publish(actor=staff_a, commitment_id=commitment.pk)


def test_a_published_commitment_cannot_be_deleted(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.commitment_delete(actor=staff_a, commitment_id=commitment.pk)


# --- Revisions of a published commitment ---------------------------------------------------------
def test_revising_a_published_commitment_keeps_the_earlier_text_with_who_when_and_why(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    before = commitment.measures
    services.commitment_update(
        actor=staff_a,
        commitment_id=commitment.pk,
        reason="根据群众意见补充措施。",
        **edit_data(commitment, measures="开展培训；增设导办员。"),
    )
    revision = CommitmentRevision.objects.get()
    assert (revision.measures, revision.reason, revision.revised_by, revision.changed_fields) == (
        before,
        "根据群众意见补充措施。",
        staff_a,
        ["measures"],
    )
    assert Commitment.objects.get().measures == "开展培训；增设导办员。"
    assert AuditEvent.objects.filter(verb="rectification.commitment.revise").exists()


def test_a_revision_without_a_reason_is_refused_and_nothing_changes(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.commitment_update(
            actor=staff_a, commitment_id=commitment.pk, **edit_data(commitment, content="新的内容")
        )
    assert "reason" in exc.value.error_dict
    assert Commitment.objects.get().content == commitment.content and not CommitmentRevision.objects.exists()


def test_a_deadline_is_extended_only_with_a_reason_and_the_original_stays(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    later = commitment.deadline + 20 * DAY
    with pytest.raises(ValidationError) as exc:
        services.commitment_update(actor=staff_a, commitment_id=commitment.pk, **edit_data(commitment, deadline=later))
    assert "extended only with a reason" in exc.value.message_dict["reason"][0]
    services.commitment_update(
        actor=staff_a, commitment_id=commitment.pk, reason="需上级审批。", **edit_data(commitment, deadline=later)
    )
    commitment.refresh_from_db()
    assert (commitment.deadline, commitment.original_deadline, commitment.was_extended) == (
        later,
        commitment.original_deadline,
        True,
    )
    revision = CommitmentRevision.objects.get()
    assert revision.is_extension and (revision.deadline, revision.new_deadline) == (commitment.original_deadline, later)


def test_an_overdue_commitment_may_be_revised_but_not_moved_into_the_past(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    Commitment.objects.filter(pk=commitment.pk).update(deadline=today() - 3 * DAY)
    commitment.refresh_from_db()
    services.commitment_update(
        actor=staff_a, commitment_id=commitment.pk, reason="补充目标", **edit_data(commitment, goal="新的目标")
    )
    with pytest.raises(ValidationError) as exc:
        services.commitment_update(
            actor=staff_a, commitment_id=commitment.pk, reason="提前", **edit_data(commitment, deadline=today() - DAY)
        )
    assert "deadline" in exc.value.error_dict


def test_a_published_commitment_is_never_taken_out_of_public_view(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.commitment_update(
            actor=staff_a, commitment_id=commitment.pk, reason="改为内部", **edit_data(commitment, scope="internal")
        )
    assert "scope" in exc.value.error_dict
    services.commitment_update(actor=staff_a, commitment_id=commitment.pk, **edit_data(commitment, scope="media"))
    assert Commitment.objects.get().scope == "media"


def test_a_verified_commitment_cannot_be_revised(staff_a, coordinator, phase):
    commitment = claim(staff_a, published(staff_a, coordinator))
    services.commitment_verify(actor=coordinator, commitment_id=commitment.pk)
    with pytest.raises(ValidationError, match="look-back can reopen"):
        services.commitment_update(
            actor=staff_a, commitment_id=commitment.pk, reason="x", **edit_data(commitment, goal="y")
        )


def test_the_edit_form_starts_from_the_commitment_as_it_is(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator, scope="media", responsible_title="科长")
    client.force_login(staff_a)
    form = client.get(reverse("rectification-staff:commitment-edit", args=[commitment.pk])).context["form"]
    assert form["measures"].value() == commitment.measures and form["scope"].value() == "media"
    assert form["deadline"].value() == commitment.deadline and form["responsible_title"].value() == "科长"
    assert {getattr(p, "pk", p) for p in form["problems"].value()} == {p.pk for p in commitment.problems.all()}
    # Its scope can only widen: "internal" and "public" are not offered any more.
    assert [value for value, _label in form.fields["scope"].choices] == ["media"]


def test_the_edit_form_asks_for_the_reason_next_to_the_field(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    client.force_login(staff_a)
    url = reverse("rectification-staff:commitment-edit", args=[commitment.pk])
    data = {
        "problems": [p.pk for p in commitment.problems.all()],
        "content": commitment.content,
        "measures": "新的措施",
        "goal": commitment.goal,
        "deadline": commitment.deadline.isoformat(),
        "handling": commitment.handling,
        "explanation": "",
        "higher_office": "",
        "responsible_office": commitment.responsible_office_id,
        "responsible_person": commitment.responsible_person,
        "responsible_title": "",
        "scope": commitment.scope,
        "reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    response = client.post(url, {**data, "reason": "补充措施"})
    assert response.status_code == 302 and Commitment.objects.get().measures == "新的措施"


# --- Progress and completion -------------------------------------------------------------------------
def test_the_first_progress_update_starts_the_commitment(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    update = services.progress_report(
        actor=staff_a, commitment_id=commitment.pk, percent=30, text="已开展培训。", evidence=[pdf("签到表.pdf")]
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 30)
    assert [e.original_name for e in update.evidence.all()] == ["签到表.pdf"]


def test_progress_never_goes_down_without_a_reason(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=60, text="过半")
    with pytest.raises(ValidationError) as exc:
        services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=40, text="回退")
    assert "decrease_reason" in exc.value.error_dict and ProgressUpdate.objects.count() == 1
    services.progress_report(
        actor=staff_a,
        commitment_id=commitment.pk,
        percent=40,
        text="回退",
        decrease_reason="试运行发现问题，部分工作返工。",
    )
    assert Commitment.objects.get().progress == 40


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"percent": 120}, "percent"),
        ({"text": " "}, "text"),
        ({"reported_on": lambda: timezone.localdate() + DAY}, "reported_on"),
    ],
)
def test_bad_progress_is_refused_next_to_its_field(staff_a, coordinator, phase, kwargs, field):
    commitment = published(staff_a, coordinator)
    kwargs = {key: value() if callable(value) else value for key, value in kwargs.items()}
    with pytest.raises(ValidationError) as exc:
        services.progress_report(
            actor=staff_a, commitment_id=commitment.pk, **{"percent": 10, "text": "做了", **kwargs}
        )
    assert field in exc.value.error_dict and not ProgressUpdate.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_saved(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=10, text="做了", evidence=[fake])
    assert "evidence" in exc.value.error_dict
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    assert Commitment.objects.get().progress == 0


def test_completion_is_claimed_only_with_evidence(staff_a, coordinator, phase, django_capture_on_commit_callbacks):
    commitment = published(staff_a, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.commitment_claim_completion(actor=staff_a, commitment_id=commitment.pk, text="完成了", evidence=[])
    assert "evidence" in exc.value.error_dict and Commitment.objects.get().status == "published"
    with django_capture_on_commit_callbacks(execute=True):
        commitment = claim(staff_a, commitment)
    assert (commitment.status, commitment.progress) == ("completed", 100)
    assert Notification.objects.filter(step="claimed-1", recipient=coordinator).exists()


def test_the_completion_form_shows_the_missing_evidence_next_to_the_field(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    client.force_login(staff_a)
    response = client.post(
        reverse("rectification-staff:commitment-complete", args=[commitment.pk]),
        {"text": "完成了", "reported_on": today().isoformat()},
    )
    assert response.status_code == 400
    assert "attach at least one document" in response.context["forms"]["complete"].errors["evidence"][0]


# --- Verification -----------------------------------------------------------------------------------
def test_the_campaign_office_verifies_a_claimed_completion(
    staff_a, coordinator, phase, django_capture_on_commit_callbacks
):
    commitment = claim(staff_a, published(staff_a, coordinator))
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_verify(actor=coordinator, commitment_id=commitment.pk)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.verified_by) == ("verified", coordinator)
    assert Notification.objects.filter(step="verified-1", recipient=staff_a).exists()


def test_sending_back_needs_a_reason_and_the_office_carries_on(
    staff_a, coordinator, phase, django_capture_on_commit_callbacks
):
    commitment = claim(staff_a, published(staff_a, coordinator))
    with pytest.raises(ValidationError):
        services.commitment_send_back(actor=coordinator, commitment_id=commitment.pk, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_send_back(actor=coordinator, commitment_id=commitment.pk, reason="缺少统计数据。")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.send_back_reason, commitment.completed_at) == (
        "sent_back",
        "缺少统计数据。",
        None,
    )
    assert "缺少统计数据" in Notification.objects.get(step="sent-back-1").body
    # The office reports again and claims anew.
    services.progress_report(
        actor=staff_a, commitment_id=commitment.pk, percent=90, text="补充数据中", decrease_reason="被退回补充材料"
    )
    assert claim(staff_a, commitment).status == "completed"


@pytest.mark.parametrize("state", ["draft", "published", "verified"])
def test_only_a_claimed_completion_can_be_verified_or_sent_back(staff_a, coordinator, phase, state):
    plan = start_plan(staff_a)
    commitment = add_commitment(staff_a, plan)
    if state != "draft":
        commitment = published(staff_a, coordinator)
    if state == "verified":
        claim(staff_a, commitment)
        services.commitment_verify(actor=coordinator, commitment_id=commitment.pk)
    with pytest.raises(ValidationError, match="Only a commitment whose completion was claimed"):
        services.commitment_verify(actor=coordinator, commitment_id=commitment.pk)
    with pytest.raises(ValidationError, match="Only a commitment whose completion was claimed"):
        services.commitment_send_back(actor=coordinator, commitment_id=commitment.pk, reason="x")


def test_an_office_cannot_verify_its_own_commitment(client, staff_a, coordinator, phase):
    commitment = claim(staff_a, published(staff_a, coordinator))
    with pytest.raises(PermissionDenied):
        services.commitment_verify(actor=staff_a, commitment_id=commitment.pk)
    client.force_login(staff_a)
    assert client.post(reverse("rectification-staff:commitment-verify", args=[commitment.pk])).status_code == 403
    assert Commitment.objects.get().status == "completed"


def test_progress_cannot_be_reported_on_a_finished_or_draft_commitment(staff_a, coordinator, phase):
    draft = add_commitment(staff_a, start_plan(staff_a))
    with pytest.raises(ValidationError, match="cannot be done while"):
        services.progress_report(actor=staff_a, commitment_id=draft.pk, percent=10, text="x")
    done = claim(staff_a, published(staff_a, coordinator))
    with pytest.raises(ValidationError, match="cannot be done while"):
        services.progress_report(actor=staff_a, commitment_id=done.pk, percent=100, text="x")


# --- Another office's commitments -------------------------------------------------------------------
def test_another_offices_commitment_is_a_404_on_every_staff_url(client, staff_a, staff_b, coordinator, phase):
    commitment = add_commitment(staff_b, start_plan(staff_b), scope="internal")
    client.force_login(staff_a)
    for name in ("commitment-detail", "commitment-edit"):
        assert client.get(reverse(f"rectification-staff:{name}", args=[commitment.pk])).status_code == 404
    for name in (
        "commitment-edit",
        "commitment-delete",
        "commitment-publish",
        "commitment-progress",
        "commitment-complete",
        "commitment-verify",
        "commitment-send-back",
        "commitment-flag",
        "commitment-lookback",
    ):
        assert client.post(reverse(f"rectification-staff:{name}", args=[commitment.pk]), {}).status_code == 404
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_another_offices_staff_cannot_edit_through_the_service(staff_a, staff_b, coordinator, phase):
    commitment = published(staff_b, coordinator)
    with pytest.raises(PermissionDenied):
        services.commitment_update(actor=staff_a, commitment_id=commitment.pk, reason="x", **edit_data(commitment))
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=10, text="x")


def test_the_responsible_office_reports_on_a_commitment_in_another_offices_plan(staff_a, staff_b, coordinator, phase):
    commitment = published(staff_a, coordinator, responsible_office=staff_b.office)
    services.progress_report(actor=staff_b, commitment_id=commitment.pk, percent=20, text="协办推进")
    with pytest.raises(PermissionDenied):
        services.commitment_update(actor=staff_b, commitment_id=commitment.pk, reason="x", **edit_data(commitment))


def test_the_progress_form_on_the_page_shows_errors_next_to_fields(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=50, text="过半")
    client.force_login(staff_a)
    response = client.post(
        reverse("rectification-staff:commitment-progress", args=[commitment.pk]),
        {"percent": 20, "text": "回退", "reported_on": today().isoformat(), "decrease_reason": ""},
    )
    assert response.status_code == 400
    assert response.context["failed"] == "progress"
    assert "decrease_reason" in response.context["forms"]["progress"].errors


def test_commitment_form_offers_only_the_offices_own_problems(client, staff_a, staff_b, phase):
    own = record_problem(staff_a)
    other = record_problem(staff_b)
    plan = start_plan(staff_a)
    client.force_login(staff_a)
    choices = list(
        client.get(reverse("rectification-staff:commitment-new", args=[plan.pk]))
        .context["form"]
        .fields["problems"]
        .queryset
    )
    assert own in choices and other not in choices


def test_the_new_commitment_form_adds_a_draft(client, staff_a, phase):
    problem = record_problem(staff_a)
    plan = start_plan(staff_a)
    client.force_login(staff_a)
    fields = commitment_fields(plan, staff_a, problems=[problem])
    data = {
        **fields,
        "problems": [problem.pk],
        "deadline": fields["deadline"].isoformat(),
        "responsible_office": plan.office_id,
        "higher_office": "",
    }
    response = client.post(reverse("rectification-staff:commitment-new", args=[plan.pk]), data)
    assert response.status_code == 302
    assert Commitment.objects.get().status == "draft"
