"""The demo is a live campaign on any day of the year: `make run` lays it out on the
current calendar, so a new user always finds a running campaign with work waiting in
every part of it, in March as in December."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from campaigns.demo import demo_start, load_all
from campaigns.models import Campaign, Task
from complaints.models import Complaint
from evaluations.models import Survey
from oversight.models import Submission

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

# Today (the --as-of date under make test-dates, which runs this under three more) and
# new year's day, when the shifted campaign crosses the year. demo_start's own test
# below covers the calendar of every month cheaply; each full load takes seconds.
DAYS = [None, dt.date(2027, 1, 1)]


def _at_ten(day):
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone())


@pytest.mark.parametrize("day", DAYS, ids=lambda day: str(day or "today"))
def test_the_demo_is_a_live_campaign_on_any_day(day):
    day = day or timezone.localdate()
    with time_machine.travel(_at_ten(day), tick=False):
        load_all(today=day)
        campaign = Campaign.objects.get(is_current=True)
        phases = list(campaign.phases.order_by("order"))

        assert campaign.status == Campaign.Status.RUNNING
        assert campaign.start_date <= day <= campaign.end_date
        assert phases[0].end_date < day, "the first phase is behind"
        current = next(p for p in phases if p.start_date <= day <= p.end_date)
        # The phases follow each other without a gap and end with the campaign.
        for before, after in zip(phases, phases[1:], strict=False):
            assert after.start_date == before.end_date + dt.timedelta(days=1)
        assert (phases[0].start_date, phases[-1].end_date) == (campaign.start_date, campaign.end_date)

        # Work waits everywhere: an overdue task, done ones, complaints to accept,
        # a deliverable of the current phase waiting for review, an open survey.
        assert Task.objects.filter(phase__campaign=campaign, deadline__lt=day).exclude(status="done").exists()
        assert Task.objects.filter(phase__campaign=campaign, status="done").exists()
        assert Complaint.objects.filter(status=Complaint.Status.REGISTERED).exists()
        assert Submission.objects.filter(deliverable__phase=current, status=Submission.Status.SUBMITTED).exists(), (
            "the matrix opens on the current phase, which must have something to review"
        )
        assert Survey.objects.filter(status=Survey.Status.OPEN).exists()


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (dt.date(2026, 10, 1), dt.date(2026, 9, 1)),
        (dt.date(2026, 12, 31), dt.date(2026, 9, 1)),
        (dt.date(2026, 9, 30), dt.date(2026, 7, 1)),
        (dt.date(2027, 3, 16), dt.date(2027, 1, 1)),
        (dt.date(2027, 1, 15), dt.date(2026, 11, 1)),
        (dt.date(2027, 2, 28), dt.date(2026, 12, 1)),
    ],
)
def test_the_plan_keeps_its_months_from_october_and_shifts_otherwise(day, first):
    assert demo_start(day) == first


def test_load_demo_lays_the_demo_on_the_day_it_is_given(capsys):
    call_command("load_demo", "--today", "2027-03-16")
    campaign = Campaign.objects.get(is_current=True)
    assert (campaign.start_date, campaign.end_date) == (dt.date(2027, 1, 1), dt.date(2027, 4, 30))
    assert "demo" in capsys.readouterr().out
