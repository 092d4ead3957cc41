import pytest
from django.urls import reverse

from rectification.models import Commitment, PublicComment, RectificationSettings
from rectification.tests.factories import claim, published

pytestmark = pytest.mark.django_db

MODELS = ["rectificationsettings", "problem", "plan", "commitment", "publiccomment", "rating", "lookback",
          "supervisorflag", "resultspublication"]


@pytest.mark.parametrize("model", MODELS)
def test_every_rectification_admin_page_opens(client, admin_user, staff_a, coordinator, phase, model):
    commitment = published(staff_a, coordinator)
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:rectification_{model}_changelist")).status_code == 200
    if model == "commitment":
        assert client.get(reverse("admin:rectification_commitment_change", args=[commitment.pk])).status_code == 200


def test_the_campaign_office_sets_the_thresholds_and_the_rectification_phase(client, admin_user, phase, office_a):
    client.force_login(admin_user)
    response = client.post(reverse("admin:rectification_rectificationsettings_add"), {
        "campaign": phase.campaign_id, "rectification_phase": phase.pk, "hotspot_min_complaints": 4,
        "hotspot_days": 60, "lookback_min_ratings": 20, "lookback_dissatisfied_share": 40, "key_offices": [office_a.pk],
    })
    assert response.status_code == 302
    cfg = RectificationSettings.for_campaign(phase.campaign_id)
    assert (cfg.hotspot_min_complaints, cfg.lookback_dissatisfied_share, cfg.key_office_ids()) == (4, 40, {office_a.pk})


def test_a_phase_of_another_campaign_is_refused(client, admin_user, phase):
    from campaigns.tests.factories import PhaseFactory

    other = PhaseFactory()
    client.force_login(admin_user)
    response = client.post(reverse("admin:rectification_rectificationsettings_add"), {
        "campaign": phase.campaign_id, "rectification_phase": other.pk, "hotspot_min_complaints": 3,
        "hotspot_days": 90, "lookback_min_ratings": 10, "lookback_dissatisfied_share": 30,
    })
    assert response.status_code == 200 and "Choose a phase of this campaign." in response.content.decode()


def test_share_of_100_percent_or_more_is_refused(client, admin_user, phase):
    client.force_login(admin_user)
    response = client.post(reverse("admin:rectification_rectificationsettings_add"), {
        "campaign": phase.campaign_id, "hotspot_min_complaints": 3, "hotspot_days": 90, "lookback_min_ratings": 10,
        "lookback_dissatisfied_share": 100,
    })
    assert response.status_code == 200 and not RectificationSettings.objects.exists()


def test_admin_actions_go_through_the_services(client, admin_user, staff_a, coordinator, phase):
    done = claim(staff_a, published(staff_a, coordinator))
    still_open = published(staff_a, coordinator)
    client.force_login(admin_user)
    client.post(reverse("admin:rectification_commitment_changelist"), {
        "action": "verify", "_selected_action": [done.pk, still_open.pk],
    })
    assert dict(Commitment.objects.values_list("pk", "status")) == {done.pk: "verified", still_open.pk: "published"}
    from rectification import services

    comment = services.comment_submit(commitment_id=done.pk, text="很好", browser_token="t", ip=None)
    client.post(reverse("admin:rectification_publiccomment_changelist"), {
        "action": "publish", "_selected_action": [comment.pk],
    })
    assert PublicComment.objects.get().state == "published"
