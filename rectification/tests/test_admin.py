import pytest
from django.urls import reverse

from rectification.models import Commitment, PublicComment, RectificationSettings
from rectification.tests.factories import claim, published

pytestmark = pytest.mark.django_db

MODELS = [
    "rectificationsettings",
    "problem",
    "plan",
    "commitment",
    "publiccomment",
    "rating",
    "lookback",
    "supervisorflag",
    "resultspublication",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_rectification_admin_page_opens(client, admin_user, staff_a, coordinator, phase, model):
    commitment = published(staff_a, coordinator)
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:rectification_{model}_changelist")).status_code == 200
    if model == "commitment":
        assert client.get(reverse("admin:rectification_commitment_change", args=[commitment.pk])).status_code == 200


def test_the_campaign_office_sets_the_thresholds_and_the_rectification_phase(client, admin_user, phase, office_a):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:rectification_rectificationsettings_add"),
        {
            "campaign": phase.campaign_id,
            "rectification_phase": phase.pk,
            "hotspot_min_complaints": 4,
            "hotspot_days": 60,
            "lookback_min_ratings": 20,
            "lookback_dissatisfied_share": 40,
            "key_offices": [office_a.pk],
        },
    )
    assert response.status_code == 302
    cfg = RectificationSettings.for_campaign(phase.campaign_id)
    assert (cfg.hotspot_min_complaints, cfg.lookback_dissatisfied_share, cfg.key_office_ids()) == (4, 40, {office_a.pk})


def test_a_phase_of_another_campaign_is_refused(client, admin_user, phase):
    from campaigns.tests.factories import PhaseFactory

    other = PhaseFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:rectification_rectificationsettings_add"),
        {
            "campaign": phase.campaign_id,
            "rectification_phase": other.pk,
            "hotspot_min_complaints": 3,
            "hotspot_days": 90,
            "lookback_min_ratings": 10,
            "lookback_dissatisfied_share": 30,
        },
    )
    assert response.status_code == 200 and "Choose a phase of this campaign." in response.content.decode()


def test_share_of_100_percent_or_more_is_refused(client, admin_user, phase):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:rectification_rectificationsettings_add"),
        {
            "campaign": phase.campaign_id,
            "hotspot_min_complaints": 3,
            "hotspot_days": 90,
            "lookback_min_ratings": 10,
            "lookback_dissatisfied_share": 100,
        },
    )
    assert response.status_code == 200 and not RectificationSettings.objects.exists()


def test_admin_actions_go_through_the_services(client, admin_user, staff_a, coordinator, phase):
    done = claim(staff_a, published(staff_a, coordinator))
    still_open = published(staff_a, coordinator)
    client.force_login(admin_user)
    client.post(
        reverse("admin:rectification_commitment_changelist"),
        {
            "action": "verify",
            "_selected_action": [done.pk, still_open.pk],
        },
    )
    assert dict(Commitment.objects.values_list("pk", "status")) == {done.pk: "verified", still_open.pk: "published"}
    from rectification import services

    comment = services.comment_submit(commitment_id=done.pk, text="很好", browser_token="t", ip=None)
    client.post(
        reverse("admin:rectification_publiccomment_changelist"),
        {
            "action": "publish",
            "_selected_action": [comment.pk],
        },
    )
    assert PublicComment.objects.get().state == "published"


# Each changelist (the header's current campaign cached by the first page): session, user, its filters' choices,
# the paginator's count and the full count, the page with what its columns name, joined.
CHANGELIST_QUERIES = {
    # offices and campaigns for the filters; the page (+campaign, office)
    "problem": 7,
    # campaigns for the filter; the page (+campaign, office)
    "plan": 6,
    # campaigns and offices for the filters; the page (+plan, office, responsible office)
    "commitment": 7,
    # no filter choices; the page (+commitment, plan, office)
    "publiccomment": 5,
    "rating": 5,
    # the page (+commitment, plan, office, decided by)
    "lookback": 5,
    # the page (+commitment, plan, office, flagged by, lookback)
    "supervisorflag": 5,
}


@pytest.mark.parametrize("n", [5, 50])
def test_rectification_changelists_query_budget(
    client, admin_user, coordinator, supervisor, phase, n, django_assert_num_queries
):
    from campaigns.roles import Role
    from campaigns.tests.factories import OfficeFactory, UserFactory
    from rectification.models import LookBack, Rating, SupervisorFlag
    from rectification.tests.factories import ratings

    for _ in range(n):
        commitment = published(UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF), coordinator)
        (rating,) = ratings(commitment, Rating.Value.DISSATISFIED)
        PublicComment.objects.create(commitment=commitment, rating=rating, text="还没有改。", browser_key="b")
        lookback = LookBack.objects.create(
            commitment=commitment,
            number=1,
            outcome=LookBack.Outcome.KEPT,
            reason="群众满意。",
            previous_status=commitment.status,
            decided_by=coordinator,
        )
        SupervisorFlag.objects.create(
            commitment=commitment, flagged_by=supervisor, reason="进展缓慢。", lookback=lookback
        )
    client.force_login(admin_user)
    client.get(reverse("admin:rectification_problem_changelist"))  # the header's current campaign, cached
    for model, budget in CHANGELIST_QUERIES.items():
        with django_assert_num_queries(budget):
            assert client.get(reverse(f"admin:rectification_{model}_changelist")).status_code == 200, model
