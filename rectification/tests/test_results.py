"""The rectification results: published by the campaign office at the end of the
rectification phase, per office, frozen as they stood."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, PhaseFactory, UserFactory
from rectification import services
from rectification.models import Commitment, OfficeResult, RectificationSettings, ResultsPublication
from rectification.tests.factories import approved_plan, claim, published, ratings, record_problem, today, verified

pytestmark = pytest.mark.django_db
PUBLIC = reverse("rectification:results")
STAFF = reverse("rectification-staff:results")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ended(campaign):
    """The campaign's rectification phase ended yesterday."""
    phase = PhaseFactory(
        campaign=campaign,
        order=5,
        name="集中整改阶段",
        start_date=today() - dt.timedelta(days=40),
        end_date=today() - dt.timedelta(days=1),
    )
    RectificationSettings.objects.create(campaign=campaign, rectification_phase=phase)
    return phase


def test_results_are_not_published_before_the_rectification_phase_ends(coordinator, campaign):
    with pytest.raises(ValidationError, match="Mark the campaign's rectification phase"):
        services.results_publish(actor=coordinator, campaign_id=campaign.pk)
    phase = PhaseFactory(
        campaign=campaign, order=5, start_date=today() - dt.timedelta(days=5), end_date=today() + dt.timedelta(days=5)
    )
    RectificationSettings.objects.create(campaign=campaign, rectification_phase=phase)
    with pytest.raises(ValidationError, match="at the end of the rectification phase"):
        services.results_publish(actor=coordinator, campaign_id=campaign.pk)
    assert not ResultsPublication.objects.exists()


def test_results_are_published_once_by_the_campaign_office(staff_a, coordinator, campaign, ended):
    with pytest.raises(PermissionDenied):
        services.results_publish(actor=staff_a, campaign_id=campaign.pk)
    services.results_publish(actor=coordinator, campaign_id=campaign.pk)
    with pytest.raises(ValidationError, match="already been published"):
        services.results_publish(actor=coordinator, campaign_id=campaign.pk)


def test_the_published_figures_are_frozen_per_office(client, staff_a, staff_b, coordinator, campaign, ended):
    _plan, (done, late, open_) = approved_plan(staff_a, coordinator, n=3)
    verified(staff_a, coordinator, done)
    Commitment.objects.filter(pk=late.pk).update(deadline=today() - dt.timedelta(days=3))
    claim(staff_b, published(staff_b, coordinator))
    ratings(done, "satisfied", "satisfied", "basically", "dissatisfied")
    publication = services.results_publish(actor=coordinator, campaign_id=campaign.pk, note="整改情况如下。")
    rows = {r.office: r for r in OfficeResult.objects.filter(publication=publication)}
    a, b = rows[staff_a.office], rows[staff_b.office]
    assert (a.made, a.completed, a.verified, a.overdue, a.ratings, a.satisfaction_rate) == (3, 1, 1, 1, 4, 75)
    assert (b.made, b.completed, b.verified, b.overdue, b.ratings, b.satisfaction_rate) == (1, 1, 0, 0, 0, None)
    # Later changes do not move the published figures.
    services.commitment_verify(actor=coordinator, commitment_id=Commitment.objects.get(plan__office=staff_b.office).pk)
    ratings(done, *["dissatisfied"] * 10)
    response = client.get(PUBLIC)
    assert [(r.office_name, r.verified, r.ratings) for r in response.context["rows"]] == [
        (staff_a.office.name, 1, 4),
        (staff_b.office.name, 0, 0),
    ]
    html = response.content.decode()
    assert "整改情况如下。" in html and "75%" in html
    assert response.context["totals"]["made"] == 4


def test_the_public_results_page_says_when_nothing_is_published(client, campaign):
    response = client.get(PUBLIC)
    assert response.status_code == 200 and 'data-testid="not-published"' in response.content.decode()


def test_the_staff_results_page_publishes_after_confirmation(client, staff_a, coordinator, campaign, ended):
    published(staff_a, coordinator)
    client.force_login(coordinator)
    page = client.get(STAFF)
    assert page.context["refusal"] is None and [f.made for f in page.context["figures"]] == [1]
    response = client.post(STAFF, {"note": ""})
    assert response.status_code == 400 and response.context["form"].errors["confirm"]
    assert not ResultsPublication.objects.exists()
    assert client.post(STAFF, {"note": "", "confirm": "on"})["Location"] == PUBLIC
    assert ResultsPublication.objects.get().published_by == coordinator


def test_the_staff_results_page_explains_why_it_cannot_publish_yet(client, coordinator, campaign):
    client.force_login(coordinator)
    response = client.get(STAFF)
    assert "Mark the campaign's rectification phase" in response.context["refusal"]
    assert (
        'data-testid="refusal"' in response.content.decode()
        and 'data-testid="results-form"' not in response.content.decode()
    )
    assert client.post(STAFF, {"confirm": "on"}).status_code == 400


@pytest.mark.parametrize("n", [5, 50])
def test_public_results_query_budget(client, coordinator, campaign, ended, n, django_assert_num_queries):
    for _i in range(n):
        user = UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF)
        commitment = published(user, coordinator, problems=[record_problem(user)])
        ratings(commitment, "satisfied", "dissatisfied")
    services.results_publish(actor=coordinator, campaign_id=campaign.pk)
    # 4 queries: current campaign, its phases, resultspublication (+campaign), officeresult
    with django_assert_num_queries(4):
        response = client.get(PUBLIC)
    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [5, 50])
def test_staff_results_preview_query_budget(client, coordinator, campaign, ended, n, django_assert_num_queries):
    for _i in range(n):
        user = UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF)
        published(user, coordinator, problems=[record_problem(user)])
    client.force_login(coordinator)
    # 15 queries: session, user, user permissions, group permissions, current campaign, rectificationsettings
    # (+phases), resultspublication (+user), resultspublication, plan (+offices), count of commitment, count of
    # rating, count of lookback, current campaign, its phases, inbox badge
    with django_assert_num_queries(15):
        response = client.get(STAFF)
    assert len(response.context["figures"]) == n
