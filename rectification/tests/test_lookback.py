"""Moderation of the public's comments, supervisors' flags and the look-back (回头看)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from notifications.models import Notification
from rectification import services
from rectification.models import Commitment, LookBack, PublicComment, RectificationSettings, SupervisorFlag
from rectification.tests.factories import approved_plan, claim, published, ratings, record_problem, verified

pytestmark = pytest.mark.django_db
QUEUE = reverse("rectification-staff:lookback")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def in_queue(campaign):
    cfg = RectificationSettings.for_campaign(campaign.pk)
    return set(
        Commitment.objects.filter(plan__campaign=campaign).for_lookback(
            min_ratings=cfg.lookback_min_ratings, dissatisfied_share=cfg.lookback_dissatisfied_share
        )
    )


# --- Moderation ------------------------------------------------------------------------------
def _held(commitment, text="意见", n=1):
    return [
        services.comment_submit(commitment_id=commitment.pk, text=f"{text}{i}", browser_token=f"b{i}", ip="203.0.113.9")
        for i in range(n)
    ]


def test_the_campaign_office_publishes_or_rejects_held_comments(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    keep, drop = _held(commitment, n=2)
    client.force_login(coordinator)
    page = client.get(reverse("rectification-staff:moderation"))
    assert {c.pk for c in page.context["rows"]} == {keep.pk, drop.pk}
    client.post(reverse("rectification-staff:moderate", args=[keep.pk]), {"decision": "publish", "note": ""})
    response = client.post(reverse("rectification-staff:moderate", args=[drop.pk]), {"decision": "reject", "note": ""})
    assert response.status_code == 400 and response.context["rows"][0].form.errors["note"]
    client.post(reverse("rectification-staff:moderate", args=[drop.pk]), {"decision": "reject", "note": "含人身攻击"})
    assert dict(PublicComment.objects.values_list("pk", "state")) == {keep.pk: "published", drop.pk: "rejected"}
    with pytest.raises(ValidationError, match="already been moderated"):
        services.comment_moderate(actor=coordinator, comment_id=keep.pk, publish=False, note="x")


def test_only_the_campaign_office_moderates(client, staff_a, coordinator, phase):
    [comment] = _held(published(staff_a, coordinator))
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=staff_a, comment_id=comment.pk, publish=True)
    client.force_login(staff_a)
    assert client.get(reverse("rectification-staff:moderation")).status_code == 403
    assert (
        client.post(reverse("rectification-staff:moderate", args=[comment.pk]), {"decision": "publish"}).status_code
        == 403
    )


@pytest.mark.parametrize("n", [5, 50])
def test_moderation_queue_query_budget(client, staff_a, coordinator, phase, n, django_assert_num_queries):
    commitment = published(staff_a, coordinator)
    PublicComment.objects.bulk_create(PublicComment(commitment=commitment, text=f"意见{i}") for i in range(n))
    client.force_login(coordinator)
    # 10 queries: session, user, user permissions, group permissions, current campaign, count of publiccomment,
    # publiccomment (+commitment, plan, offices, rating), current campaign, its phases, inbox badge
    with django_assert_num_queries(10):
        response = client.get(reverse("rectification-staff:moderation"))
    assert len(response.context["rows"]) == min(n, 25)


# --- The look-back queue -----------------------------------------------------------------------------
def test_ten_ratings_with_more_than_30_percent_dissatisfied_go_to_the_look_back_queue(staff_a, coordinator, phase):
    _plan, (exactly, above, too_few) = approved_plan(staff_a, coordinator, n=3)
    ratings(exactly, *["dissatisfied"] * 3 + ["satisfied"] * 7)  # 30%: not more than 30%
    ratings(above, *["dissatisfied"] * 4 + ["satisfied"] * 6)  # 40%
    ratings(too_few, *["dissatisfied"] * 9)  # 9 ratings only
    assert in_queue(phase.campaign) == {above}


def test_the_look_back_thresholds_are_set_per_campaign(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    ratings(commitment, *["dissatisfied"] * 2 + ["satisfied"] * 3)
    assert in_queue(phase.campaign) == set()
    RectificationSettings.objects.create(
        campaign=phase.campaign, lookback_min_ratings=5, lookback_dissatisfied_share=30
    )
    assert in_queue(phase.campaign) == {commitment}


def test_a_supervisors_flag_puts_a_commitment_in_the_queue_and_tells_the_campaign_office(
    client, staff_a, coordinator, supervisor, phase, django_capture_on_commit_callbacks
):
    commitment = published(staff_a, coordinator)
    client.force_login(supervisor)
    response = client.post(reverse("rectification-staff:commitment-flag", args=[commitment.pk]), {"reason": ""})
    assert response.status_code == 400 and response.context["forms"]["flag"].errors["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("rectification-staff:commitment-flag", args=[commitment.pk]), {"reason": "听证会上群众仍有意见。"}
        )
    flag = SupervisorFlag.objects.get()
    assert flag.flagged_by == supervisor
    assert in_queue(phase.campaign) == {commitment}
    notice = Notification.objects.get(step=f"flag-{flag.pk}")
    assert notice.recipient == coordinator and notice.link == QUEUE
    with pytest.raises(ValidationError, match="already flagged"):
        services.commitment_flag(actor=supervisor, commitment_id=commitment.pk, reason="再次")


def test_only_supervisors_flag_and_only_public_commitments(staff_a, coordinator, supervisor, phase):
    commitment = published(staff_a, coordinator)
    with pytest.raises(PermissionDenied):
        services.commitment_flag(actor=staff_a, commitment_id=commitment.pk, reason="x")
    internal = published(staff_a, coordinator, scope="internal")
    with pytest.raises(ValidationError):
        services.commitment_flag(actor=supervisor, commitment_id=internal.pk, reason="x")


def test_reopening_records_the_reason_and_tells_the_office(
    client, staff_a, coordinator, phase, django_capture_on_commit_callbacks
):
    commitment = verified(staff_a, coordinator, published(staff_a, coordinator))
    ratings(commitment, *["dissatisfied"] * 6 + ["satisfied"] * 4)
    client.force_login(coordinator)
    queue = client.get(QUEUE)
    assert [c.pk for c in queue.context["page"].object_list] == [commitment.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rectification-staff:commitment-lookback", args=[commitment.pk]),
            {"outcome": "reopened", "reason": "多数群众不满意，窗口仍要求额外材料。"},
        )
    assert response.status_code == 302
    commitment.refresh_from_db()
    lookback = LookBack.objects.get()
    assert (commitment.status, commitment.verified_at, commitment.lookback_count) == ("reopened", None, 1)
    assert (lookback.previous_status, lookback.ratings, lookback.dissatisfied, lookback.reason) == (
        "verified",
        10,
        6,
        "多数群众不满意，窗口仍要求额外材料。",
    )
    notice = Notification.objects.get(step="lookback-1")
    assert notice.recipient == staff_a and "窗口仍要求额外材料" in notice.body
    # It leaves the queue: only ratings after the decision count now.
    assert list(client.get(QUEUE).context["page"].object_list) == []
    # Reopened, it is the office's again: progress, then a new claim.
    services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=100, text="重新整改")
    assert claim(staff_a, commitment).status == "completed"


def test_a_kept_commitment_leaves_the_queue_until_new_ratings_come(staff_a, coordinator, supervisor, phase):
    commitment = verified(staff_a, coordinator, published(staff_a, coordinator))
    earlier = timezone.now() - dt.timedelta(hours=1)
    ratings(commitment, *["dissatisfied"] * 10, at=earlier)
    services.commitment_flag(actor=supervisor, commitment_id=commitment.pk, reason="请复查")
    lookback = services.lookback_decide(
        actor=coordinator, commitment_id=commitment.pk, outcome="kept", reason="经实地核查，整改已到位。"
    )
    assert (lookback.flag_count, Commitment.objects.get().status) == (1, "verified")
    assert SupervisorFlag.objects.get().lookback == lookback
    assert in_queue(phase.campaign) == set()
    ratings(commitment, *["dissatisfied"] * 10, at=timezone.now() + dt.timedelta(seconds=1))
    assert in_queue(phase.campaign) == {commitment}


@pytest.mark.parametrize("state", ["published", "in_progress", "sent_back"])
def test_only_a_completed_or_verified_commitment_can_be_reopened(staff_a, coordinator, phase, state):
    commitment = published(staff_a, coordinator)
    if state == "in_progress":
        services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=10, text="x")
    if state == "sent_back":
        claim(staff_a, commitment)
        services.commitment_send_back(actor=coordinator, commitment_id=commitment.pk, reason="缺材料")
    with pytest.raises(ValidationError, match="Only a completed or verified commitment can be reopened"):
        services.lookback_decide(actor=coordinator, commitment_id=commitment.pk, outcome="reopened", reason="x")


def test_a_look_back_needs_a_reason_and_the_campaign_office(staff_a, coordinator, phase):
    commitment = claim(staff_a, published(staff_a, coordinator))
    with pytest.raises(ValidationError) as exc:
        services.lookback_decide(actor=coordinator, commitment_id=commitment.pk, outcome="reopened", reason="")
    assert "reason" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.lookback_decide(actor=staff_a, commitment_id=commitment.pk, outcome="reopened", reason="x")
    assert not LookBack.objects.exists()


@pytest.mark.parametrize("n", [5, 50])
def test_look_back_queue_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    for _i in range(n):
        user = UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF)
        commitment = published(user, coordinator, problems=[record_problem(user)])
        ratings(commitment, *["dissatisfied"] * 10)
    client.force_login(coordinator)
    # 11 queries: session, user, user permissions, group permissions, current campaign, rectificationsettings
    # (+phases), count of commitment, rating (+commitment, plan, offices), current campaign, its phases, inbox badge
    with django_assert_num_queries(11):
        response = client.get(QUEUE)
    assert len(response.context["page"].object_list) == min(n, 25)
