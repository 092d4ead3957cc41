"""Due dates in working days: set when a complaint is received, moved when the
work calendar changes or the clock stood still."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kernel.workcalendar import WorkCalendar, calendar_for

from .. import rules
from ..models import Complaint


def set_due_dates(complaint: Complaint, calendar: WorkCalendar | None = None) -> None:
    """Due dates from the day received, the limits and the days the clock stood still."""
    calendar = calendar or calendar_for(complaint.received_on)
    paused = complaint.paused_working_days
    complaint.accept_due = calendar.add_working_days(complaint.received_on, complaint.accept_limit_days + paused)
    complaint.complete_due = calendar.add_working_days(complaint.received_on, complaint.complete_limit_days + paused)


def recompute_open_due_dates() -> int:
    """After the work calendar changes, move the due dates of open complaints.
    Steps already taken keep their recorded on-time verdicts."""
    count = 0
    calendar = WorkCalendar()
    for complaint in Complaint.objects.filter(status__in=rules.HANDLING).only(
        "pk",
        "received_on",
        "accept_limit_days",
        "complete_limit_days",
        "paused_working_days",
        "accept_due",
        "complete_due",
    ):
        before = (complaint.accept_due, complaint.complete_due)
        set_due_dates(complaint, calendar)
        if (complaint.accept_due, complaint.complete_due) != before:
            Complaint.objects.filter(pk=complaint.pk).update(
                accept_due=complaint.accept_due, complete_due=complaint.complete_due
            )
            count += 1
    return count


def working_days_left(
    complaint: Complaint, due: dt.date, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> int:
    today = today or timezone.localdate()
    return (calendar or calendar_for(today)).working_days_between(today, due)
