"""Rectification belongs to a campaign: with two campaigns running, the public board,
its counts and office list, the published results and the office's home panel show
the campaign the page shows (``?campaign=``), not only the one shown first."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory, PhaseFactory
from rectification.models import Plan
from rectification.tests.factories import published

pytestmark = pytest.mark.django_db
BOARD = reverse("rectification:board")


@pytest.fixture
def second(phase):
    """A second running campaign beside ``campaign`` (shown first)."""
    other = CampaignFactory(name="政务公开专项行动", status=Campaign.Status.RUNNING)
    PhaseFactory(campaign=other, order=1)
    return other


@pytest.fixture
def commitments(staff_a, staff_b, coordinator, second):
    """staff_a's office commits in the campaign shown first, staff_b's in the second."""
    first = published(staff_a, coordinator)
    other = published(staff_b, coordinator)
    Plan.objects.filter(pk=other.plan_id).update(campaign=second)
    return first, other


def _codes(response):
    return {c.code for c in response.context["page"].object_list}


def test_the_board_shows_the_campaign_the_address_names(client, commitments, second, office_a, office_b):
    first, other = commitments
    shown_first = client.get(BOARD)
    assert _codes(shown_first) == {first.code}
    assert shown_first.context["counts"]["total"] == 1
    assert [pk for pk, _ in shown_first.context["form"].fields["office"].choices if pk] == [str(office_a.pk)]

    response = client.get(BOARD, {"campaign": second.pk})
    assert _codes(response) == {other.code}
    assert response.context["counts"]["total"] == 1
    assert [pk for pk, _ in response.context["form"].fields["office"].choices if pk] == [str(office_b.pk)]


def test_a_campaign_not_on_show_is_404_on_the_public_pages(client, commitments):
    draft = CampaignFactory(name="草拟中", status=Campaign.Status.DRAFT)
    assert client.get(BOARD, {"campaign": draft.pk}).status_code == 404
    assert client.get(reverse("rectification:results"), {"campaign": draft.pk}).status_code == 404
    assert client.get(reverse("complaints:stats"), {"campaign": draft.pk}).status_code == 404


def test_the_office_home_panel_counts_the_campaign_shown(client, commitments, staff_b, second):
    client.force_login(staff_b)
    home = reverse("staff:workspace")
    plan_link = reverse("rectification-staff:plan-detail", args=[commitments[1].plan_id])
    assert plan_link not in client.get(home).content.decode()
    assert plan_link in client.get(home, {"campaign": second.pk}).content.decode()
