"""Invariants of campaigns, phases and tasks: each checked by validation (with a
message for the user) and, where it can be, by the database itself."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns.models import Campaign, Office, Phase, Task, TaskAssignment
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, today

pytestmark = pytest.mark.django_db


def test_database_refuses_progress_over_100(task_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task_a.pk).update(progress=120)


def test_validation_explains_progress_over_100(task_a):
    task_a.progress = 120
    with pytest.raises(ValidationError) as excinfo:
        task_a.full_clean()
    assert "progress" in excinfo.value.message_dict


def test_second_current_campaign_is_rejected_with_a_message(campaign):
    other = CampaignFactory.build(name="Another", is_current=True)
    with pytest.raises(ValidationError) as excinfo:
        other.full_clean()
    assert campaign.name in excinfo.value.message_dict["is_current"][0]


def test_database_allows_only_one_current_campaign(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(is_current=True)


def test_campaign_cannot_end_before_it_starts():
    campaign = CampaignFactory.build(start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 8, 1))
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    assert "end_date" in excinfo.value.message_dict


def test_phase_outside_its_campaign_is_refused(campaign):
    phase = Phase(
        campaign=campaign,
        order=1,
        name="Too early",
        start_date=campaign.start_date - dt.timedelta(days=5),
        end_date=campaign.start_date + dt.timedelta(days=5),
    )
    with pytest.raises(ValidationError) as excinfo:
        phase.full_clean()
    assert "start_date" in excinfo.value.message_dict


def test_phase_ending_after_its_campaign_is_refused(campaign):
    phase = Phase(
        campaign=campaign,
        order=1,
        name="Too late",
        start_date=campaign.end_date - dt.timedelta(days=1),
        end_date=campaign.end_date + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        phase.full_clean()
    assert "end_date" in excinfo.value.message_dict


def test_overlapping_phases_are_refused(phase):
    other = Phase(
        campaign=phase.campaign,
        order=phase.order + 1,
        name="Overlapping",
        start_date=phase.end_date,
        end_date=phase.end_date + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as excinfo:
        other.full_clean()
    assert phase.name in excinfo.value.message_dict["start_date"][0]


def test_phase_order_is_unique_within_a_campaign(phase):
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.create(
            campaign=phase.campaign,
            order=phase.order,
            name="Same order",
            start_date=phase.end_date + dt.timedelta(days=1),
            end_date=phase.end_date + dt.timedelta(days=2),
        )


def test_current_phase_is_computed_from_the_dates(campaign):
    past = PhaseFactory(
        campaign=campaign, order=1, start_date=today() - dt.timedelta(days=60), end_date=today() - dt.timedelta(days=31)
    )
    now = PhaseFactory(campaign=campaign, order=2)
    assert campaign.phase_on(today()) == now
    assert campaign.phase_on(today() - dt.timedelta(days=40)) == past
    assert campaign.phase_on(today() + dt.timedelta(days=59)) is None


def test_task_deadline_before_the_phase_starts_is_refused(phase):
    task = Task(phase=phase, number=9, title="Early", deadline=phase.start_date - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        task.full_clean()
    assert "deadline" in excinfo.value.message_dict


def test_task_number_is_unique_within_a_phase(task_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(phase=task_a.phase, number=task_a.number, title="Dup", deadline=task_a.deadline)


def test_overdue_is_derived_from_the_deadline_not_stored(task_a):
    task_a.deadline = today() - dt.timedelta(days=1)
    assert task_a.is_overdue
    task_a.status = Task.Status.DONE
    assert not task_a.is_overdue
    assert "overdue" not in Task.Status.values


def test_a_task_has_at_most_one_lead_office_in_the_database(task_a, office_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskAssignment.objects.create(task=task_a, office=office_b, role=TaskAssignment.Role.LEAD)


def test_an_office_is_assigned_to_a_task_once(task_a, office_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskAssignment.objects.create(task=task_a, office=office_a, role=TaskAssignment.Role.CO)


def test_co_office_due_date_defaults_to_the_task_deadline_and_never_after_it(task_a, office_b):
    assignment = TaskAssignment(task=task_a, office=office_b, role=TaskAssignment.Role.CO)
    assert assignment.effective_due_date == task_a.deadline
    assignment.due_date = task_a.deadline + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        assignment.full_clean()
    assert "due_date" in excinfo.value.message_dict


def test_a_waiver_without_reason_is_refused_by_the_database(task_a, office_b):
    assignment = TaskAssignment.objects.create(task=task_a, office=office_b, role=TaskAssignment.Role.CO)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskAssignment.objects.filter(pk=assignment.pk).update(waived_at=task_a.created_at, waiver_reason="")


def test_an_office_cannot_be_placed_under_its_own_sub_office():
    city = OfficeFactory()
    district = OfficeFactory(parent=city)
    city.parent = district
    with pytest.raises(ValidationError) as excinfo:
        city.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_an_office_cannot_be_its_own_parent_in_the_database():
    office = OfficeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=office.pk).update(parent=office)


def test_done_task_must_have_a_completion_time(task_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task_a.pk).update(status=Task.Status.DONE)


def test_campaign_status_is_a_choice():
    assert set(Campaign.Status.values) == {"draft", "running", "closed"}
