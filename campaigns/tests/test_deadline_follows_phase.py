"""A task without a deadline of its own ends with its phase, wherever the phase's end
moves — and every reader of deadlines (overdue, the workspace's urgency, reminders)
sees that date. Recurring tasks get one occurrence per period, once."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.models import AuditEvent, Office, Phase, Task
from campaigns.planning.importer import plan_import, plan_preview
from campaigns.planning.recurrence import period_ends, recurrence_of, task_schedule_occurrences
from campaigns.reminders import TaskSource
from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(dt.datetime(2026, 5, 10, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def zone():
    zone = OfficeFactory(name="高新区管委会", level=Office.Level.DISTRICT)
    return {
        "zone": zone,
        "own": OfficeFactory(name="管委会办公室", short_name="管委办", parent=zone),
        "party": OfficeFactory(name="党委办公室", short_name="党办", parent=zone),
    }


@pytest.fixture
def planner(zone):
    return UserFactory(username="planner", office=zone["own"], role=Role.CAMPAIGN_OFFICE)


@pytest.fixture
def phase(zone):
    campaign = CampaignFactory(start_date=D(2026, 3, 1), end_date=D(2026, 12, 31), year=2026, office=zone["zone"])
    return PhaseFactory(campaign=campaign, order=2, start_date=D(2026, 4, 1), end_date=D(2026, 6, 30))


def test_a_task_without_a_deadline_ends_with_its_phase_and_moves_with_it(phase, zone):
    follower = TaskFactory(phase=phase, deadline=None, lead=zone["party"])
    own = TaskFactory(phase=phase, deadline=D(2026, 5, 20), lead=zone["party"])
    assert (follower.deadline, follower.deadline_follows_phase) == (D(2026, 6, 30), True)
    phase.end_date = D(2026, 5, 5)
    phase.save()
    follower.refresh_from_db()
    own.refresh_from_db()
    assert follower.deadline == D(2026, 5, 5) and own.deadline == D(2026, 5, 20)
    # Today is 10 May: the phase has ended, so has the task that ends with it.
    assert follower.is_overdue and not own.is_overdue
    staff = UserFactory(office=zone["party"])
    urgency = dict(Task.objects.for_task_list(staff, D(2026, 5, 10)).values_list("pk", "urgency"))
    assert urgency[follower.pk] == "overdue" and urgency[own.pk] != "overdue"


def test_the_reminder_sweep_reminds_of_the_phases_end(phase, zone):
    follower = TaskFactory(phase=phase, deadline=None, lead=zone["party"])
    moved = Phase.objects.get(pk=phase.pk)
    moved.end_date = D(2026, 6, 15)
    moved.save()
    due = [(i.target.task_id, i.deadline) for i in TaskSource().items(D(2026, 6, 1), D(2026, 6, 20))]
    assert due == [(follower.pk, D(2026, 6, 15))]


def test_a_date_of_its_own_stops_a_task_following_its_phase(phase, zone):
    task = TaskFactory(phase=phase, deadline=None, lead=zone["party"])
    task.deadline = D(2026, 5, 31)
    task.save()
    phase.end_date = D(2026, 6, 20)
    phase.save()
    task.refresh_from_db()
    assert (task.deadline, task.deadline_follows_phase) == (D(2026, 5, 31), False)


def _task_form(task, deadline):
    lead = task.assignments.get()
    return {
        "phase": task.phase_id,
        "number": task.number,
        "title": task.title,
        "description": "",
        "deadline": deadline,
        "recurrence": "",
        "assignments-TOTAL_FORMS": 1,
        "assignments-INITIAL_FORMS": 1,
        "assignments-MIN_NUM_FORMS": 0,
        "assignments-MAX_NUM_FORMS": 1000,
        "assignments-0-id": lead.pk,
        "assignments-0-task": task.pk,
        "assignments-0-office": lead.office_id,
        "assignments-0-role": "lead",
        "_save": "Save",
    }


def test_in_the_admin_an_empty_deadline_means_with_the_phase(client, planner, phase, zone):
    task = TaskFactory(phase=phase, deadline=D(2026, 5, 20), lead=zone["party"])
    client.force_login(planner)
    url = reverse("admin:campaigns_task_change", args=[task.pk])
    assert client.post(url, _task_form(task, "")).status_code == 302
    task.refresh_from_db()
    assert (task.deadline, task.deadline_follows_phase) == (D(2026, 6, 30), True)
    # The page shows it empty, so saving it again keeps it with the phase.
    form = client.get(url).context["adminform"].form
    assert form.initial["deadline"] is None
    assert client.post(url, _task_form(task, "2026-06-10")).status_code == 302
    task.refresh_from_db()
    assert (task.deadline, task.deadline_follows_phase) == (D(2026, 6, 10), False)


def test_the_task_page_says_the_task_ends_with_its_phase(client, phase, zone):
    task = TaskFactory(phase=phase, deadline=None, lead=zone["party"], recurrence="quarterly")
    client.force_login(UserFactory(office=zone["party"], role=Role.OFFICE_STAFF))
    page = client.get(reverse("staff:task-detail", args=[task.pk])).content.decode()
    assert 'data-testid="deadline-with-phase"' in page and 'data-testid="task-recurrence"' in page


@pytest.mark.parametrize(
    ("recurrence", "first", "later"),
    [
        ("quarterly", D(2026, 6, 30), [D(2026, 9, 30), D(2026, 12, 31)]),
        ("half_yearly", D(2026, 6, 30), [D(2026, 12, 31)]),
        ("twice_a_year", D(2026, 6, 30), [D(2026, 12, 31)]),
        ("monthly", D(2026, 4, 30), [D(2026, m, 31 if m in (5, 7, 8, 10, 12) else 30) for m in range(5, 13)]),
    ],
)
def test_a_recurring_task_gets_one_occurrence_per_period_until_the_campaign_ends(
    phase, zone, planner, recurrence, first, later
):
    person = UserFactory(office=zone["party"])
    task = TaskFactory(phase=phase, number=1, deadline=None, lead=zone["party"], recurrence=recurrence)
    task.assignments.update(responsible=person)
    TaskFactory(phase=phase, number=2, lead=zone["own"])
    created = task_schedule_occurrences(task_id=task.pk, actor=planner)
    task.refresh_from_db()
    assert task.deadline == first
    assert [o.deadline for o in created] == later
    # Numbered after the phase's last task, with the same offices and people.
    assert [o.number for o in created] == list(range(3, 3 + len(later)))
    assert all(
        list(o.assignments.values_list("office_id", "role", "responsible_id"))
        == [(zone["party"].pk, "lead", person.pk)]
        for o in created
    )
    assert AuditEvent.objects.filter(verb="task.schedule_occurrences").count() == 1
    # Again: nothing more.
    assert task_schedule_occurrences(task_id=task.pk, actor=planner) == []
    assert task.occurrences.count() == len(later)


def test_only_a_recurring_task_is_scheduled_and_only_by_the_campaign_office(phase, zone, planner):
    plain = TaskFactory(phase=phase, lead=zone["party"])
    with pytest.raises(ValidationError):
        task_schedule_occurrences(task_id=plain.pk, actor=planner)
    recurring = TaskFactory(phase=phase, lead=zone["party"], recurrence="quarterly")
    with pytest.raises(PermissionDenied):
        task_schedule_occurrences(task_id=recurring.pk, actor=UserFactory(office=zone["party"]))
    assert not Task.objects.filter(repeats__isnull=False).exists()


def test_the_admin_action_creates_the_occurrences(client, phase, zone, planner):
    task = TaskFactory(phase=phase, deadline=None, lead=zone["party"], recurrence="half_yearly")
    client.force_login(planner)
    response = client.post(
        reverse("admin:campaigns_task_changelist"),
        {"action": "schedule_occurrences", "_selected_action": [task.pk]},
    )
    assert response.status_code == 302
    assert list(task.occurrences.values_list("deadline", flat=True)) == [D(2026, 12, 31)]


def test_period_ends_and_the_plans_words():
    assert period_ends("quarterly", D(2026, 3, 31), D(2027, 3, 31)) == [
        D(2026, 3, 31),
        D(2026, 6, 30),
        D(2026, 9, 30),
        D(2026, 12, 31),
        D(2027, 3, 31),
    ]
    assert recurrence_of("每季度") == "quarterly"
    assert recurrence_of("每年至少两次") == "twice_a_year"
    assert recurrence_of("每半年、每月") == "half_yearly"
    assert recurrence_of(None) == recurrence_of("每周") == ""


PLAN = """作风建设实施方案
一、集中整改阶段（4月1日—6月30日）
1.每季度开展一次明察暗访。（党委办公室负责）
2.清理规范性文件，5月15日前完成。（党委办公室负责）
"""


def test_the_import_stores_the_recurrence_and_leaves_a_task_without_a_date_with_its_phase(zone, planner):
    preview = plan_preview(PLAN, year=2026, offices=Office.objects.all())
    campaign = plan_import(preview=preview, actor=planner, new_campaign_name="作风建设")
    first, second = Task.objects.filter(phase__campaign=campaign).order_by("number")
    assert (first.recurrence, first.deadline, first.deadline_follows_phase) == ("quarterly", D(2026, 6, 30), True)
    assert (second.recurrence, second.deadline, second.deadline_follows_phase) == ("", D(2026, 5, 15), False)
