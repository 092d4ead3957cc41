"""Next year's campaign from this year's: phases, sections, tasks and assignments
shifted to the new dates, as a draft, in one transaction with an audit event."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AuditEvent, Campaign, Office, Section, Task, TaskAssignment
from campaigns.planning.copy import campaign_copy
from campaigns.planning.recurrence import task_schedule_occurrences
from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def zone():
    zone = OfficeFactory(name="高新区管委会", level=Office.Level.DISTRICT)
    return {
        "own": OfficeFactory(name="管委会办公室", parent=zone),
        "party": OfficeFactory(name="党委办公室", parent=zone),
    }


@pytest.fixture
def planner(zone):
    return UserFactory(username="planner", office=zone["own"], role=Role.CAMPAIGN_OFFICE)


@pytest.fixture
def campaign(zone, planner):
    """2026's campaign, half done: a section, a task with its own date, one ending
    with its phase, a recurring one with its occurrences, a responsible person."""
    campaign = CampaignFactory(
        name="2026年机关作风建设活动",
        year=2026,
        start_date=D(2026, 3, 1),
        end_date=D(2026, 12, 31),
        office=zone["own"].parent,
    )
    first = PhaseFactory(campaign=campaign, order=1, name="宣传发动", start_date=D(2026, 3, 1), end_date=D(2026, 3, 31))
    second = PhaseFactory(
        campaign=campaign, order=2, name="集中整改", start_date=D(2026, 4, 1), end_date=D(2026, 11, 30)
    )
    section = Section.objects.create(phase=second, order=1, title="（一）转变作风")
    person = UserFactory(office=zone["party"])
    own = TaskFactory(phase=first, number=1, deadline=D(2026, 3, 15), lead=zone["party"], co_offices=[zone["own"]])
    own.assignments.filter(role="lead").update(responsible=person)
    own.assignments.filter(role="co").update(due_date=D(2026, 3, 10), submitted_at=timezone.now())
    Task.objects.filter(pk=own.pk).update(status="done", progress=100, completed_at=timezone.now())
    TaskFactory(phase=second, section=section, number=1, deadline=None, lead=zone["party"])
    recurring = TaskFactory(phase=second, number=2, deadline=None, lead=zone["own"], recurrence="half_yearly")
    task_schedule_occurrences(task_id=recurring.pk, actor=planner)
    return campaign


def _shape(campaign):
    return sorted(
        (t.phase.order, t.phase.start_date, t.phase.end_date, t.section.title if t.section else "", t.number, t.title,
         t.deadline, t.deadline_follows_phase, t.recurrence, t.repeats.number if t.repeats else None)
        for t in Task.objects.filter(phase__campaign=campaign).select_related("phase", "section", "repeats")
    )  # fmt: skip


def test_a_copy_is_the_same_plan_a_year_later_as_a_draft(campaign, planner, zone):
    copy = campaign_copy(campaign=campaign, start=D(2027, 3, 1), actor=planner)
    assert (copy.name, copy.year, copy.start_date, copy.end_date, copy.status) == (
        "2027年机关作风建设活动",
        2027,
        D(2027, 3, 1),
        D(2027, 12, 31),
        Campaign.Status.DRAFT,
    )
    assert copy.office == campaign.office  # the same level of government's campaign
    year = dt.timedelta(days=365)
    old = _shape(campaign)
    shifted = [(o, s + year, e + year, sec, n, t, d + year, f, r, rep) for (o, s, e, sec, n, t, d, f, r, rep) in old]
    assert _shape(copy) == shifted
    # The offices and people come along; the progress does not.
    rows = TaskAssignment.objects.filter(task__phase__campaign=copy, task__phase__order=1).order_by("-role")
    assert [(a.office, a.role, a.responsible is not None, a.due_date, a.submitted_at) for a in rows] == [
        (zone["party"], "lead", True, None, None),
        (zone["own"], "co", False, D(2027, 3, 10), None),
    ]
    assert not Task.objects.filter(phase__campaign=copy).exclude(status="not_started").exists()
    event = AuditEvent.objects.get(verb="campaign.copy")
    assert (event.target_id, event.data["source"], event.data["tasks"]) == (copy.pk, campaign.pk, 4)
    # A task ending with its phase still does in the copy.
    copied_phase = copy.phases.get(order=2)
    copied_phase.end_date = D(2027, 10, 31)
    copied_phase.save()
    assert Task.objects.get(phase=copied_phase, section__isnull=False).deadline == D(2027, 10, 31)


def test_only_the_campaign_office_copies(campaign, zone):
    with pytest.raises(PermissionDenied):
        campaign_copy(campaign=campaign, start=D(2027, 3, 1), actor=UserFactory(office=zone["party"]))
    assert Campaign.objects.count() == 1


def test_the_campaign_office_copies_in_the_admin(client, campaign, planner):
    client.force_login(planner)
    url = reverse("admin:campaigns_campaign_changelist")
    asked = client.post(url, {"action": "copy_campaign", "_selected_action": [campaign.pk]})
    assert asked.status_code == 200 and "start" in asked.context["form"].fields
    # No date: said next to the field, nothing copied.
    refused = client.post(url, {"action": "copy_campaign", "_selected_action": [campaign.pk], "apply": "1"})
    assert refused.status_code == 200 and "start" in refused.context["form"].errors
    assert Campaign.objects.count() == 1
    done = client.post(
        url,
        {"action": "copy_campaign", "_selected_action": [campaign.pk], "apply": "1", "start": "2027-03-01", "name": ""},
    )
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert done.status_code == 302 and done.url == reverse("admin:campaigns_campaign_change", args=[copy.pk])
    assert copy.status == "draft" and copy.phases.count() == 2
