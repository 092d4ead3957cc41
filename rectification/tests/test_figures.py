"""The commitment figures are counted once (rectification/figures.py) for the published
results, the public results page and the oversight scorecard, with one rounding:
per cent, one decimal, half up."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.tests.factories import PhaseFactory
from oversight.selectors.integrations import commitment_figures
from rectification import services
from rectification.figures import commitment_counts, satisfaction_rate
from rectification.models import Commitment, OfficeResult, RectificationSettings
from rectification.services.results import office_figures
from rectification.tests.factories import claim, published, ratings, today, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ended(campaign):
    """The rectification phase ended yesterday: the results may be published."""
    phase = PhaseFactory(
        campaign=campaign, order=5, start_date=today() - dt.timedelta(days=40), end_date=today() - dt.timedelta(days=1)
    )
    RectificationSettings.objects.create(campaign=campaign, rectification_phase=phase)


@pytest.fixture
def office_a_commitments(staff_a, coordinator):
    """Office A: four published commitments (one verified, one claimed, one overdue,
    one open) and sixteen ratings, one of them satisfied, none basically."""
    done, claimed, late, _open = (published(staff_a, coordinator) for _ in range(4))
    verified(staff_a, coordinator, done)
    claim(staff_a, claimed)
    Commitment.objects.filter(pk=late.pk).update(deadline=today() - dt.timedelta(days=1))
    ratings(done, "satisfied", *["dissatisfied"] * 15)
    return done


def test_satisfaction_is_rounded_half_up_to_one_decimal():
    # 1 satisfied + 0 basically of 16 ratings = 6.25 % → 6.3
    # (the results used to say 6 — whole per cent — and the scorecard 6.2, binary rounding)
    assert satisfaction_rate(1, 0, 16) == 6.3
    # 2 + 1 of 4 = 75 %; 1 + 1 of 3 = 66.67 % → 66.7; nothing rated: no figure
    assert (satisfaction_rate(2, 1, 4), satisfaction_rate(1, 1, 3), satisfaction_rate(0, 0, 0)) == (75.0, 66.7, None)


def test_the_hand_count_of_an_office(campaign, office_a, office_a_commitments):
    counts = commitment_counts(campaign_id=campaign.pk, day=today())[office_a.pk]
    assert (counts.made, counts.completed, counts.verified, counts.overdue) == (4, 2, 1, 1)
    assert (counts.ratings, counts.satisfied, counts.basically, counts.dissatisfied) == (16, 1, 0, 15)
    assert counts.satisfaction_rate == 6.3


def test_the_results_and_the_scorecard_give_the_same_figures(campaign, office_a, office_a_commitments):
    result = next(f for f in office_figures(campaign_id=campaign.pk, day=today()) if f.office_id == office_a.pk)
    card = commitment_figures(campaign_id=campaign.pk, today=today())[office_a.pk]
    assert (result.made, result.completed, result.verified, result.overdue) == (
        card.made,
        card.completed,
        card.verified,
        card.overdue,
    )
    assert (result.ratings, result.satisfied + result.basically) == (card.rated, card.satisfied)
    assert result.satisfaction_rate == card.satisfaction_rate == 6.3


def test_the_published_results_show_the_same_rounding(
    client,
    coordinator,
    campaign,
    office_a,
    office_a_commitments,
    ended,  # noqa: F811
):
    publication = services.results_publish(actor=coordinator, campaign_id=campaign.pk)
    row = OfficeResult.objects.get(publication=publication, office=office_a)
    assert row.satisfaction_rate == 6.3
    html = client.get(reverse("rectification:results")).content.decode()
    assert "6.3%" in html
