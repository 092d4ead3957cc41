"""The scorecard against figures counted by hand on a small campaign."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Task, TaskAssignment
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, TaskFactory, today
from complaints.models import Complaint
from complaints.tests.factories import submit
from oversight.selectors.scorecard import scorecard
from oversight.services import deliverables as services
from oversight.tests.factories import DeliverableFactory, pdf

pytestmark = pytest.mark.django_db


def _done(task, days_ago):
    at = timezone.make_aware(dt.datetime.combine(today() - dt.timedelta(days=days_ago), dt.time(15)))
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, progress=100, completed_at=at)


def _complaint(office, *, status="registered", on_time=None, rating=""):
    # Distinct texts: the same text from the same address within minutes is one complaint.
    _complaint.n = getattr(_complaint, "n", 0) + 1
    complaint, _code = submit(
        office=office, description=f"窗口工作人员态度恶劣，多次推诿不予办理（第{_complaint.n}次）。"
    )
    Complaint.objects.filter(pk=complaint.pk).update(status=status, replied_on_time=on_time, rating=rating)
    return complaint


@pytest.fixture
def small_campaign(campaign, phase, office_a, office_b, coordinator, staff_a, staff_b):
    """Offices A, B and C with tasks, complaints and deliverables counted below by hand."""
    office_c = OfficeFactory(name="科技发展办公室")
    d = lambda n: today() + dt.timedelta(days=n)  # noqa: E731
    # Tasks
    t1 = TaskFactory(phase=phase, lead=office_a, co_offices=[office_b], deadline=d(-5))
    _done(t1, 6)  # on time
    TaskFactory(phase=phase, lead=office_a, deadline=d(-2))  # A overdue
    t3 = TaskFactory(phase=phase, lead=office_b, co_offices=[office_a], deadline=d(10))
    TaskAssignment.objects.filter(task=t3, office=office_a).update(due_date=d(-3))  # A's own due date passed
    t4 = TaskFactory(phase=phase, lead=office_c, co_offices=[office_a], deadline=d(-1))  # C overdue
    TaskAssignment.objects.filter(task=t4, office=office_a).update(submitted_at=timezone.now())  # A's part is in
    t5 = TaskFactory(phase=phase, lead=office_b, deadline=d(-10))
    _done(t5, 8)  # late
    # A task of another campaign never counts.
    other_phase = PhaseFactory(campaign=CampaignFactory())
    TaskFactory(phase=other_phase, lead=office_a, deadline=d(-3))
    # Complaints (the current campaign is set when a complaint is received)
    _complaint(office_a, status="closed", on_time=True, rating="satisfied")
    _complaint(office_a, status="closed", on_time=False, rating="dissatisfied")
    _complaint(office_a)
    _complaint(office_b, status="closed", on_time=True, rating="basically")
    outside = _complaint(office_a, status="closed", on_time=True, rating="satisfied")
    Complaint.objects.filter(pk=outside.pk).update(campaign=None)
    _complaint(None)
    # Deliverables: D1 due yesterday for A, B, C; D2 due in five days for A and B
    d1 = DeliverableFactory(phase=phase, offices=[office_a, office_b, office_c], due_date=d(-1))
    d2 = DeliverableFactory(phase=phase, offices=[office_a, office_b], due_date=d(5))
    s = services.deliverable_submit(deliverable_id=d1.pk, actor=staff_a, file=pdf())
    services.submission_accept(submission_id=s.pk, actor=coordinator)
    services.deliverable_submit(deliverable_id=d2.pk, actor=staff_a, file=pdf())
    s = services.deliverable_submit(deliverable_id=d1.pk, actor=staff_b, file=pdf())
    services.submission_return(submission_id=s.pk, actor=coordinator, comment="补充")
    return {"a": office_a, "b": office_b, "c": office_c}


def test_scorecard_matches_the_figures_counted_by_hand(campaign, small_campaign):
    card = scorecard(campaign_id=campaign.pk, today=today())
    rows = {row.office_id: row for row in card.rows}
    a, b, c = (rows[small_campaign[k].pk] for k in "abc")

    assert a.tasks.as_dict() == {"total": 4, "done": 1, "done_on_time": 1, "overdue": 2}
    assert b.tasks.as_dict() == {"total": 3, "done": 2, "done_on_time": 1, "overdue": 0}
    assert c.tasks.as_dict() == {"total": 1, "done": 0, "done_on_time": 0, "overdue": 1}
    assert (b.tasks.on_time_rate, b.tasks.done_rate) == (50.0, 66.7)

    assert a.complaints.as_dict() == {"received": 3, "closed": 2, "closed_on_time": 1, "rated": 2, "satisfied": 1}
    assert (a.complaints.on_time_rate, a.complaints.satisfaction_rate) == (50.0, 50.0)
    assert b.complaints.as_dict() == {"received": 1, "closed": 1, "closed_on_time": 1, "rated": 1, "satisfied": 1}
    assert c.complaints.received == 0 and c.complaints.on_time_rate is None

    assert a.deliverables.as_dict() == {"required": 2, "accepted": 1, "awaiting": 1, "returned": 0, "overdue": 0}
    assert b.deliverables.as_dict() == {"required": 2, "accepted": 0, "awaiting": 0, "returned": 1, "overdue": 1}
    assert c.deliverables.as_dict() == {"required": 1, "accepted": 0, "awaiting": 0, "returned": 0, "overdue": 1}


def test_scorecard_lists_only_offices_with_something_to_count(campaign, small_campaign, coordinator):
    card = scorecard(campaign_id=campaign.pk, today=today())
    names = [row.office_name for row in card.rows]
    assert names == sorted(names)
    assert coordinator.office.name not in names  # nothing assigned, complained about or due


def test_one_office_only(campaign, small_campaign):
    card = scorecard(campaign_id=campaign.pk, today=today(), office_ids=[small_campaign["c"].pk])
    assert [row.office_id for row in card.rows] == [small_campaign["c"].pk]
    assert card.rows[0].tasks.overdue == 1


def test_an_office_with_nothing_yet_gets_zeros(campaign, phase):
    office = OfficeFactory()
    card = scorecard(campaign_id=campaign.pk, today=today(), office_ids=[office.pk])
    row = card.rows[0]
    assert (row.tasks.total, row.complaints.received, row.deliverables.required) == (0, 0, 0)
    assert row.complaints.satisfaction_rate is None
