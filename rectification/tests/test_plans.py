"""The plan: one per office, approved collectively by the leadership, submitted,
filed (publishing its commitments) or returned with comments."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from notifications.models import Notification
from rectification import services
from rectification.models import Commitment, Plan
from rectification.tests.factories import add_commitment, approved_plan, start_plan, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_an_office_starts_one_plan_for_the_current_campaign(staff_a, phase):
    plan = start_plan(staff_a)
    assert (plan.office, plan.campaign, plan.status) == (staff_a.office, phase.campaign, "draft")
    with pytest.raises(ValidationError, match="already has a plan"):
        start_plan(staff_a)


def test_my_plan_page_starts_the_plan_then_leads_to_it(client, staff_a, phase):
    client.force_login(staff_a)
    assert client.get(reverse("rectification-staff:my-plan")).status_code == 200
    response = client.post(
        reverse("rectification-staff:my-plan"), {"summary": "整改方案", "approved_collectively_on": ""}
    )
    plan = Plan.objects.get()
    assert response["Location"] == reverse("rectification-staff:plan-detail", args=[plan.pk])
    assert client.get(reverse("rectification-staff:my-plan"))["Location"] == reverse(
        "rectification-staff:plan-detail", args=[plan.pk]
    )


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"summary": ""}, "summary"),
        ({"approved_collectively_on": None}, "approved_collectively_on"),
    ],
)
def test_a_plan_is_submitted_only_complete_and_approved_by_the_leadership(staff_a, phase, changes, field):
    plan = start_plan(staff_a, **changes)
    add_commitment(staff_a, plan)
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=staff_a, plan_id=plan.pk)
    assert field in exc.value.error_dict
    assert Plan.objects.get().status == "draft"


def test_a_plan_without_commitments_cannot_be_submitted(staff_a, phase):
    plan = start_plan(staff_a)
    with pytest.raises(ValidationError, match="at least one commitment"):
        services.plan_submit(actor=staff_a, plan_id=plan.pk)


def test_the_leadership_approval_cannot_be_in_the_future(staff_a, phase):
    with pytest.raises(ValidationError) as exc:
        start_plan(staff_a, approved_collectively_on=today() + dt.timedelta(days=1))
    assert "approved_collectively_on" in exc.value.error_dict
    assert not Plan.objects.exists()


def test_submitting_tells_the_campaign_office_and_locks_the_plan(
    staff_a, coordinator, phase, django_capture_on_commit_callbacks
):
    plan = start_plan(staff_a)
    commitment = add_commitment(staff_a, plan)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(actor=staff_a, plan_id=plan.pk)
    assert Notification.objects.get(step="plan-submitted-1").recipient == coordinator
    with pytest.raises(ValidationError):
        services.plan_save(actor=staff_a, plan_id=plan.pk, summary="改一下")
    with pytest.raises(ValidationError):
        add_commitment(staff_a, Plan.objects.get())
    with pytest.raises(ValidationError):
        services.commitment_delete(actor=staff_a, commitment_id=commitment.pk)
    with pytest.raises(ValidationError, match="draft or returned"):
        services.plan_submit(actor=staff_a, plan_id=plan.pk)


def test_approving_files_the_plan_and_publishes_its_drafts(
    staff_a, coordinator, phase, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan, commitments = approved_plan(staff_a, coordinator, n=2)
    assert plan.status == "approved" and plan.reviewed_by == coordinator
    assert {c.status for c in commitments} == {"published"}
    assert all(c.published_at and c.original_deadline == c.deadline for c in commitments)
    assert Notification.objects.filter(step="plan-approved-1", recipient=staff_a).exists()


def test_returning_needs_comments_and_tells_the_office(staff_a, coordinator, phase, django_capture_on_commit_callbacks):
    plan = start_plan(staff_a)
    add_commitment(staff_a, plan)
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    with pytest.raises(ValidationError) as exc:
        services.plan_return(actor=coordinator, plan_id=plan.pk, comments="  ")
    assert "comments" in exc.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(actor=coordinator, plan_id=plan.pk, comments="措施不具体，请补充时间节点。")
    plan.refresh_from_db()
    assert (plan.status, plan.review_comments) == ("returned", "措施不具体，请补充时间节点。")
    notice = Notification.objects.get(step="plan-returned-1")
    assert notice.recipient == staff_a and "措施不具体" in notice.body and notice.state == "sent"
    # Returned, it is the office's again, and can go back for review.
    services.plan_save(actor=staff_a, plan_id=plan.pk, summary="补充了时间节点。", approved_collectively_on=today())
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    assert Plan.objects.get().submission_count == 2


def test_the_same_return_notice_is_written_and_sent_once(
    staff_a, coordinator, phase, django_capture_on_commit_callbacks
):
    from django.core import mail

    from campaigns.models import AuditEvent
    from rectification.tasks import notify_staff

    plan = start_plan(staff_a)
    add_commitment(staff_a, plan)
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(actor=coordinator, plan_id=plan.pk, comments="请修改。")
    sent = len(mail.outbox)
    event = AuditEvent.objects.get(verb="rectification.plan.return")
    assert notify_staff(event.pk) == 0 and notify_staff(event.pk) == 0
    assert Notification.objects.filter(step="plan-returned-1").count() == 1 and len(mail.outbox) == sent


def test_only_the_campaign_office_reviews_and_only_submitted_plans(staff_a, staff_b, coordinator, phase):
    plan = start_plan(staff_a)
    add_commitment(staff_a, plan)
    with pytest.raises(ValidationError, match="Only a submitted plan"):
        services.plan_approve(actor=coordinator, plan_id=plan.pk)
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    for actor in (staff_a, staff_b):
        with pytest.raises(PermissionDenied):
            services.plan_approve(actor=actor, plan_id=plan.pk)
    with pytest.raises(PermissionDenied):
        services.plan_submit(actor=staff_b, plan_id=plan.pk)


def test_a_plan_whose_deadlines_passed_under_review_is_not_approved(staff_a, coordinator, phase):
    plan = start_plan(staff_a)
    commitment = add_commitment(staff_a, plan)
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    Commitment.objects.filter(pk=commitment.pk).update(deadline=today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="already passed"):
        services.plan_approve(actor=coordinator, plan_id=plan.pk)
    assert Commitment.objects.get().status == "draft"


# --- Pages ---------------------------------------------------------------------------------
def test_another_offices_plan_is_a_404(client, staff_a, staff_b, phase):
    plan = start_plan(staff_b)
    client.force_login(staff_a)
    for name in ("plan-detail", "plan-edit", "commitment-new"):
        assert client.get(reverse(f"rectification-staff:{name}", args=[plan.pk])).status_code == 404
    assert client.post(reverse("rectification-staff:plan-submit", args=[plan.pk])).status_code == 404


def test_the_return_form_shows_the_missing_comments_next_to_the_field(client, staff_a, coordinator, phase):
    plan = start_plan(staff_a)
    add_commitment(staff_a, plan)
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    client.force_login(coordinator)
    response = client.post(reverse("rectification-staff:plan-return", args=[plan.pk]), {"reason": ""})
    assert response.status_code == 400
    assert response.context["forms"]["return"].errors["reason"]
    assert Plan.objects.get().status == "submitted"


def test_office_staff_cannot_approve_by_posting(client, staff_a, phase):
    plan = start_plan(staff_a)
    add_commitment(staff_a, plan)
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    client.force_login(staff_a)
    assert client.post(reverse("rectification-staff:plan-approve", args=[plan.pk]), {"reason": ""}).status_code == 403
    assert Plan.objects.get().status == "submitted"


def test_the_plan_page_offers_the_office_what_it_may_do(client, staff_a, coordinator, phase):
    plan = start_plan(staff_a)
    add_commitment(staff_a, plan)
    client.force_login(staff_a)
    context = client.get(reverse("rectification-staff:plan-detail", args=[plan.pk])).context
    assert (context["can_edit"], context["can_submit"], context["can_add"], context["can_review"]) == (
        True,
        True,
        True,
        False,
    )
    services.plan_submit(actor=staff_a, plan_id=plan.pk)
    client.force_login(coordinator)
    context = client.get(reverse("rectification-staff:plan-detail", args=[plan.pk])).context
    assert (context["can_edit"], context["can_submit"], context["can_add"], context["can_review"]) == (
        False,
        False,
        False,
        True,
    )


@pytest.mark.parametrize("n", [5, 50])
def test_plans_list_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    for _i in range(n):
        user = UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF)
        plan = start_plan(user)
        add_commitment(user, plan)
    client.force_login(coordinator)
    # 10 queries: session, user, user permissions, group permissions, current campaign, count of plan, current
    # campaign, its phases, inbox badge, plan (+commitment, campaign, offices, user)
    with django_assert_num_queries(10):
        response = client.get(reverse("rectification-staff:plans"))
    assert response.status_code == 200 and len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_overview_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    for _i in range(n):
        user = UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF)
        add_commitment(user, start_plan(user))
    client.force_login(coordinator)
    # 14 queries: session, user, user permissions, group permissions, current campaign, count of commitment,
    # rectificationsettings (+phases), plan (+commitment, campaign, offices, user), count of publiccomment, count of
    # commitment, current campaign, its phases, inbox badge, offices
    with django_assert_num_queries(14):
        response = client.get(reverse("rectification-staff:overview"))
    assert response.status_code == 200 and len(response.context["plans"]) == n


@pytest.mark.parametrize("n", [5, 50])
def test_our_plan_query_budget(client, staff_a, phase, n, django_assert_num_queries):
    plan = start_plan(staff_a)
    for _ in range(n):
        add_commitment(staff_a, plan)
    client.force_login(staff_a)
    # The office's own plan, as its menu entry reaches it: "our plan", then the plan it leads to.
    # 15 queries: our plan: session, user, user permissions, group permissions, current campaign, plan (+offices);
    # the plan: session, user, user permissions, group permissions, plan (+offices, campaign, user), commitment
    # (+plan, offices), current campaign, its phases, inbox badge
    with django_assert_num_queries(15):
        response = client.get(reverse("rectification-staff:my-plan"), follow=True)
    assert response.redirect_chain == [(reverse("rectification-staff:plan-detail", args=[plan.pk]), 302)]
    assert len(response.context["commitments"]) == n
