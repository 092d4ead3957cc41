"""Which step is due: the reminder rules on their own."""

import datetime as dt

import pytest

from kernel.models import CalendarDay
from kernel.workcalendar import WorkCalendar
from notifications.steps import Rung, current_step

DEADLINE = dt.date(2026, 11, 30)  # a Monday
LADDER = [Rung(1, True, True, False), Rung(3, True, True, True)]


def step(today, deadline=DEADLINE, calendar=None, offsets=(7, 3, 1, 0)):
    result = current_step(
        deadline=deadline, today=today, offsets=list(offsets), ladder=LADDER, repeat_every=7, calendar=calendar
    )
    return result.name if result else None


@pytest.mark.parametrize(
    "days_before, expected",
    [(10, None), (7, "before-7"), (5, "before-7"), (3, "before-3"), (2, "before-3"), (1, "before-1"), (0, "due")],
)
def test_reminders_before_the_deadline(days_before, expected):
    assert step(DEADLINE - dt.timedelta(days=days_before)) == expected


@pytest.mark.parametrize(
    "days_after, expected",
    [
        (1, "overdue-1"),
        (2, "overdue-1"),
        (3, "overdue-3"),
        (9, "overdue-3"),
        (10, "overdue-10"),
        (16, "overdue-10"),
        (17, "overdue-17"),
        (24, "overdue-24"),
    ],
)
def test_overdue_ladder_then_weekly(days_after, expected):
    assert step(DEADLINE + dt.timedelta(days=days_after)) == expected


def test_day_three_also_tells_the_oversight_office():
    first = current_step(
        deadline=DEADLINE,
        today=DEADLINE + dt.timedelta(days=1),
        offsets=[7],
        ladder=LADDER,
        repeat_every=7,
        calendar=None,
    )
    third = current_step(
        deadline=DEADLINE,
        today=DEADLINE + dt.timedelta(days=3),
        offsets=[7],
        ladder=LADDER,
        repeat_every=7,
        calendar=None,
    )
    assert first.notify_office_head and not first.notify_oversight
    assert third.notify_oversight


def test_a_deadline_already_past_gives_only_the_overdue_step():
    # Created 40 days late: one step, the latest one, not the whole ladder.
    assert step(DEADLINE + dt.timedelta(days=40)) == "overdue-38"


@pytest.mark.django_db
def test_working_days_skip_weekends_and_holidays():
    # Deadline Monday 30 Nov; Wednesday 25 Nov is 3 working days before.
    assert step(dt.date(2026, 11, 25), calendar=WorkCalendar()) == "before-3"
    CalendarDay.objects.create(date=dt.date(2026, 11, 27), kind="holiday", name="test")
    # With Friday off, Wednesday is only 2 working days before.
    assert step(dt.date(2026, 11, 25), calendar=WorkCalendar()) == "before-3"
    assert WorkCalendar().working_days_between(dt.date(2026, 11, 25), DEADLINE) == 2
    assert step(dt.date(2026, 11, 24), calendar=WorkCalendar()) == "before-3"
