"""The complaints' time limits in the reminder sweep (complaints/reminders.py)."""

import pytest

from complaints.tests.factories import submit
from kernel.models import CalendarDay
from notifications import services as notifications
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def sweep(**kwargs):
    return notifications.run_sweep(inline=True, **kwargs)


def test_complaint_reminders_go_to_the_centre_not_the_office_complained_about(centre_staff, office_a, staff_a):
    complaint, _ = submit(office=office_a)
    sweep(today=complaint.accept_due)
    recipients = set(Notification.objects.filter(kind="complaint_accept").values_list("recipient", flat=True))
    assert recipients == {centre_staff.pk}


def test_a_holiday_shifts_a_complaints_reminder_dates(centre_staff, office_a, django_capture_on_commit_callbacks):
    complaint, _ = submit(office=office_a)
    due = complaint.accept_due
    sweep(today=due)
    assert Notification.objects.filter(step="due", deadline=due).exists()
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=due, kind="holiday", name="临时假日")
    complaint.refresh_from_db()
    assert complaint.accept_due > due
    sweep(today=due)
    assert Notification.objects.filter(deadline=complaint.accept_due, step="before-1").exists()
