"""The complaints' own periodic sweep (complaints.tasks.sweep): accountability
cases, auto-closing and lost complainant notices, each exactly once, in a fixed
number of queries per batch of complaints."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services, tasks
from complaints.models import AccountabilityCase, ComplaintEvent
from complaints.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_the_sweep_runs_on_its_own_beat_entry():
    entry = settings.CELERY_BEAT_SCHEDULE["complaints-sweep"]
    assert entry["task"] == "complaints.tasks.sweep" and entry["schedule"] == 15 * 60


def test_an_overdue_complaint_opens_exactly_one_case_through_the_periodic_task(office_a):
    complaint, _ = submit(office=office_a)
    later = dt.datetime.combine(complaint.accept_due + dt.timedelta(days=1), dt.time(9), ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(later, tick=False):
        assert tasks.sweep()["cases_opened"] == 1
        assert tasks.sweep()["cases_opened"] == 0
    assert AccountabilityCase.objects.filter(complaint=complaint).count() == 1


def test_sweep_complaints_prints_what_it_did(office_a):
    out = io.StringIO()
    call_command("sweep_complaints", stdout=out)
    assert out.getvalue().strip() == (
        "0 accountability case(s) opened, 0 closed, 0 complainant notice(s) made good, 0 staff notice(s) made good"
    )


# --- At scale ---------------------------------------------------------------------------
def _late(office, n, start=0):
    """``n`` more complaints, and the day after their acceptance limit."""
    complaint = None
    for i in range(start, start + n):
        complaint, _ = submit(office=office, description=f"窗口工作人员态度恶劣，第{i}次推诿。", ip=f"198.51.100.{i}")
    return complaint.accept_due + dt.timedelta(days=1)


def _queries(day) -> list[str]:
    """The sweep's queries, after forgetting what an earlier run did."""
    ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.CASE_OPENED).delete()
    AccountabilityCase.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        services.complaints_sweep(today=day)
    assert AccountabilityCase.objects.exists(), "nothing was late: the test data is wrong"
    return [query["sql"] for query in queries.captured_queries]


def test_the_sweep_queries_do_not_grow_with_late_complaints(office_a):
    day = _late(office_a, 10)
    services.complaints_sweep(today=day)  # warm the content type cache
    ten = _queries(day)
    _late(office_a, 50, start=10)
    assert len(_queries(day)) == len(ten)


def test_each_batch_of_late_complaints_costs_the_same_fixed_queries(office_a, monkeypatch):
    """Batches of 10: each batch after the first adds its SAVEPOINT, the INSERT of
    the cases, the INSERT of their events and the RELEASE (a transaction of its
    own outside a test)."""
    monkeypatch.setattr("complaints.services.sweep.SWEEP_BATCH_SIZE", 10)
    day = _late(office_a, 10)
    services.complaints_sweep(today=day)
    counts = {10: len(_queries(day))}
    for n in (20, 30):
        _late(office_a, 10, start=n - 10)
        counts[n] = len(_queries(day))
    assert [counts[20] - counts[10], counts[30] - counts[20]] == [4, 4]
