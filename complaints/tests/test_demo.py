import pytest
from django.core.management import call_command

from complaints.models import AccountabilityCase, Complaint, ComplaintEvent, TypicalCase

pytestmark = pytest.mark.django_db


def test_demo_complaints_are_spread_over_the_workflow_and_load_once():
    call_command("load_demo")
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {"registered", "accepted", "assigned", "investigating", "replied", "closed", "not_accepted"} <= statuses
    assert Complaint.objects.count() >= 24
    assert TypicalCase.objects.exists() and AccountabilityCase.objects.exists()
    counts = (Complaint.objects.count(), ComplaintEvent.objects.count(), AccountabilityCase.objects.count())
    call_command("load_demo")
    assert (Complaint.objects.count(), ComplaintEvent.objects.count(), AccountabilityCase.objects.count()) == counts


def test_demo_history_is_dated_on_its_days_not_all_today():
    call_command("load_demo")
    days = set(ComplaintEvent.objects.values_list("created_at__date", flat=True))
    assert len(days) > 10
