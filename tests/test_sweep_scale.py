"""The reminder sweep at scale: a fixed number of queries per batch of due items,
whatever the number due, for every kind of deadline of every app (a cross-app
test: notifications itself names none of them)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.roles import Role
from campaigns.tests.factories import TaskFactory, UserFactory, today
from complaints.tests.factories import submit
from evaluations.tests.factories import make_survey
from notifications import services
from notifications.models import Notification
from notifications.sources import DueItem
from notifications.steps import Step
from oversight.tests.factories import DeliverableFactory
from rectification.tests.factories import approved_plan

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(days=3)


# Each maker adds ``n`` items of its kind with one recipient each, due (or, for
# complaints, overdue) on the day it returns.
def add_tasks(n, ctx):
    for _ in range(n):
        TaskFactory(phase=ctx["phase"], lead=ctx["office_a"], deadline=today() + SOON)
    return today()


def add_complaints(n, ctx):
    start = ctx.setdefault("complaints", 0)
    ctx["complaints"] += n
    complaint = None
    for i in range(start, start + n):
        complaint, _ = submit(
            office=ctx["office_b"], description=f"窗口工作人员态度恶劣，第{i}次推诿。", ip=f"198.51.100.{i}"
        )
    # A day past the acceptance limit: an escalation for each.
    return complaint.accept_due + dt.timedelta(days=1)


def add_commitments(n, ctx):
    approved_plan(ctx["staff_a"], ctx["coordinator"], n=n, deadline=today() + SOON)
    return today()


def add_surveys(n, ctx):
    for _ in range(n):
        make_survey(ctx["campaign"], offices=[ctx["office_a"]], closes_at=timezone.now() + SOON)
    return today()


def add_deliverables(n, ctx):
    for _ in range(n):
        DeliverableFactory(phase=ctx["phase"], offices=[ctx["office_a"]], due_date=today() + SOON)
    return today()


MAKERS = [add_tasks, add_complaints, add_commitments, add_surveys, add_deliverables]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A deliverable's target (the auto-created offices through model) has no content
    # type from the migrations: the sweep creates it, the test's rollback removes it,
    # and Django's cache would still hold its id for the next test.
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def ctx(phase, campaign, office_a, office_b, staff_a, coordinator, centre_staff):
    return {
        "phase": phase,
        "campaign": campaign,
        "office_a": office_a,
        "office_b": office_b,
        "staff_a": staff_a,
        "coordinator": coordinator,
    }


def _forget_the_sweep():
    """As if the sweep had never run, so the next one does all the work again."""
    Notification.objects.all().delete()


def _queries(sweep, day) -> list[str]:
    """The sweep's queries, one per bulk_create: SQLite sends a long one as several
    INSERTs (999 parameters: 39 notices), PostgreSQL as one."""
    _forget_the_sweep()
    with CaptureQueriesContext(connection) as queries:
        sweep(day)
    assert Notification.objects.exists(), "nothing was due: the test data is wrong"
    statements: list[str] = []
    for query in queries.captured_queries:
        sql = query["sql"]
        into = sql.split(" (", 1)[0] if sql.startswith("INSERT") else None
        if into and statements and statements[-1].startswith(into):
            continue
        statements.append(sql)
    return statements


def _write_due(day):
    services.write_due_reminders(day)


def _whole_sweep(day):
    services.run_sweep(today=day, inline=False)


def _growth(counts: dict[int, list[str]]) -> str:
    lines = []
    for n, sql in counts.items():
        lines.append(f"{n} due: {len(sql)} queries")
        lines.extend(f"    {statement[:160]}" for statement in sql)
    return "\n".join(lines)


SWEEPS = [_write_due, _whole_sweep]
# Queries each batch of due items adds: the notices already written for the batch;
# one INSERT. (The complaints' own sweep is pinned in complaints/tests/test_sweep.py.)
PER_BATCH = 2


@pytest.mark.parametrize("sweep", SWEEPS, ids=["write_due_reminders", "run_sweep"])
@pytest.mark.parametrize("make", MAKERS, ids=lambda make: make.__name__)
def test_sweep_queries_do_not_grow_with_due_items(make, sweep, ctx):
    day = make(10, ctx)
    sweep(day)  # warm the content type cache
    counts = {10: _queries(sweep, day)}
    make(50, ctx)
    counts[60] = _queries(sweep, day)
    assert len(counts[60]) == len(counts[10]), _growth(counts)


@pytest.mark.parametrize("sweep", SWEEPS, ids=["write_due_reminders", "run_sweep"])
@pytest.mark.parametrize("make", MAKERS, ids=lambda make: make.__name__)
def test_each_batch_of_due_items_costs_the_same_fixed_queries(make, sweep, ctx, monkeypatch):
    """Batches of 10: 10, 20 and 30 items due take 1, 2 and 3 batches, and the 2nd
    and 3rd batches each add the same few queries."""
    monkeypatch.setattr("notifications.services.reminders.BATCH_SIZE", 10)
    day = make(10, ctx)
    sweep(day)  # warm the content type cache
    counts = {10: _queries(sweep, day)}
    for n in (20, 30):
        make(10, ctx)
        counts[n] = _queries(sweep, day)
    expected = PER_BATCH
    growth = [len(counts[20]) - len(counts[10]), len(counts[30]) - len(counts[20])]
    assert growth == [expected, expected], _growth({20: counts[20], 30: counts[30]})


def test_recipients_from_the_directory_match_the_rules(office_a, office_b, staff_a, staff_b, coordinator):
    """One directory for the whole sweep resolves recipients as the per-item rules do:
    the office's staff and head, the oversight role, never the excluded office."""
    head = UserFactory(office=office_a, role=Role.OFFICE_HEAD)
    UserFactory(office=office_a, role=Role.OFFICE_STAFF, is_active=False)
    both = UserFactory(office=office_b, role=Role.OFFICE_STAFF)
    both.groups.add(*both.groups.model.objects.filter(name=Role.CAMPAIGN_OFFICE))
    directory = services.StaffDirectory.load()

    def who(office, step, excluded=None):
        item = DueItem(target=None, deadline=today(), office=office, title="", link="", excluded_office_id=excluded)
        return {user.pk for user in directory.recipients(item, step, Role.CAMPAIGN_OFFICE)}

    assert who(office_a, Step("due")) == {staff_a.pk}
    assert who(office_a, Step("overdue-1", True, True)) == {staff_a.pk, head.pk}
    assert who(office_a, Step("overdue-3", True, True, True)) == {staff_a.pk, head.pk, coordinator.pk, both.pk}
    assert who(None, Step("due")) == {coordinator.pk, both.pk}
    assert who(None, Step("due"), excluded=office_b.pk) == {coordinator.pk}
    assert who(office_b, Step("due")) == {staff_b.pk, both.pk}
