"""The reminder sweep knows an open survey's closing day, and tells the campaign office."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.tests.factories import today
from evaluations.models import Survey
from evaluations.reminders import SOURCES, SurveyClosingSource
from evaluations.tests.factories import make_survey
from notifications import services as notifications
from notifications.models import DeadlineKind, Notification
from notifications.sources import all_sources

pytestmark = pytest.mark.django_db


def closing_in(campaign, days, **fields):
    return make_survey(campaign, closes_at=timezone.now() + dt.timedelta(days=days), **fields)


def test_the_sweep_finds_the_appraisal_source():
    assert any(isinstance(source, SurveyClosingSource) for source in all_sources())
    assert SOURCES[0].kind == DeadlineKind.SURVEY


def test_only_open_surveys_closing_in_the_window_are_due(campaign):
    due = closing_in(campaign, 3)
    closing_in(campaign, 30)
    closing_in(campaign, 3, status=Survey.Status.CLOSED)
    closing_in(campaign, 3, status=Survey.Status.DRAFT)
    items = list(SurveyClosingSource().items(today(), today() + dt.timedelta(days=7)))
    assert [item.target for item in items] == [due]
    item = items[0]
    assert item.deadline == timezone.localdate(due.closes_at) and item.office is None
    assert item.link == f"/staff/appraisal/{due.pk}/" and due.title in item.title


def test_the_campaign_office_hears_when_a_survey_is_left_open_past_its_closing_day(campaign, coordinator):
    survey = closing_in(campaign, -3, opens_at=timezone.now() - dt.timedelta(days=10))
    notifications.run_sweep(inline=True)
    recipients = set(
        Notification.objects.filter(kind=DeadlineKind.SURVEY, target_id=survey.pk).values_list("recipient", flat=True)
    )
    assert coordinator.pk in recipients


def test_run_sweep_reminds_the_campaign_office_before_an_open_survey_closes(
    campaign, coordinator, centre_staff, staff_a
):
    survey = closing_in(campaign, 3)
    report = notifications.run_sweep(inline=True)
    assert report["created"][(DeadlineKind.SURVEY, "before-3")] == 1
    notice = Notification.objects.get(kind=DeadlineKind.SURVEY)
    assert (notice.target_id, notice.recipient, notice.step) == (survey.pk, coordinator, "before-3")
    assert survey.title in notice.subject
