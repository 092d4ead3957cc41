"""The rules of task work, enforced in the services whoever calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import services
from campaigns.models import AuditEvent, Campaign, Task, TaskAssignment
from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_task(phase, office_a, office_b):
    """Led by office A with office B as co-office."""
    return TaskFactory(phase=phase, lead=office_a, co_offices=[office_b])


def test_lead_office_report_moves_the_task_progress_and_status(task_a, staff_a):
    report = services.task_report_create(task_id=task_a.pk, actor=staff_a, text="Meeting held.", progress=40)
    task_a.refresh_from_db()
    assert (task_a.progress, task_a.status) == (40, Task.Status.IN_PROGRESS)
    assert report.office == staff_a.office
    assert AuditEvent.objects.filter(verb="task.report", target_id=task_a.pk, actor=staff_a).exists()


def test_co_office_report_does_not_move_the_task_progress(shared_task, staff_b):
    services.task_report_create(task_id=shared_task.pk, actor=staff_b, text="Our part.", progress=90)
    shared_task.refresh_from_db()
    assert shared_task.progress == 0


def test_office_not_assigned_to_a_task_cannot_report_on_it(task_a, staff_b):
    with pytest.raises(PermissionDenied):
        services.task_report_create(task_id=task_a.pk, actor=staff_b, text="Not ours.", progress=10)
    assert not task_a.reports.exists()


def test_supervisor_cannot_report(task_a, supervisor):
    with pytest.raises(PermissionDenied):
        services.task_report_create(task_id=task_a.pk, actor=supervisor, text="Looks fine.", progress=10)


def test_report_with_progress_over_100_is_refused_and_nothing_saved(task_a, staff_a):
    with pytest.raises(ValidationError):
        services.task_report_create(task_id=task_a.pk, actor=staff_a, text="Too much.", progress=120)
    task_a.refresh_from_db()
    assert task_a.progress == 0 and not task_a.reports.exists()
    assert not AuditEvent.objects.filter(verb="task.report").exists()


def test_lead_cannot_close_task_while_a_co_office_has_not_submitted(shared_task, staff_a):
    with pytest.raises(ValidationError) as excinfo:
        services.task_complete(task_id=shared_task.pk, actor=staff_a)
    assert shared_task.assignments.get(role="co").office.name in excinfo.value.messages[0]
    shared_task.refresh_from_db()
    assert shared_task.status != Task.Status.DONE


def test_lead_closes_task_once_every_co_office_submitted(shared_task, staff_a, staff_b):
    services.task_report_create(
        task_id=shared_task.pk, actor=staff_b, text="Our part is done.", progress=100, contribution_complete=True
    )
    assert shared_task.assignments.get(role="co").submitted_at is not None
    services.task_complete(task_id=shared_task.pk, actor=staff_a)
    shared_task.refresh_from_db()
    assert shared_task.status == Task.Status.DONE and shared_task.progress == 100
    assert shared_task.completed_at is not None


def test_lead_closes_task_when_the_campaign_office_waived_the_co_office(shared_task, staff_a, coordinator):
    co = shared_task.assignments.get(role="co")
    services.assignment_waive(assignment_id=co.pk, actor=coordinator, reason="Merged into the lead's work.")
    services.task_complete(task_id=shared_task.pk, actor=staff_a)
    assert Task.objects.get(pk=shared_task.pk).status == Task.Status.DONE
    assert AuditEvent.objects.filter(verb="assignment.waive", actor=coordinator).exists()


def test_only_the_lead_office_closes_a_task(shared_task, staff_b, coordinator):
    shared_task.assignments.filter(role="co").update(submitted_at=shared_task.created_at)
    with pytest.raises(PermissionDenied):
        services.task_complete(task_id=shared_task.pk, actor=staff_b)
    with pytest.raises(PermissionDenied):
        services.task_complete(task_id=shared_task.pk, actor=coordinator)


def test_a_waiver_needs_a_reason(shared_task, coordinator):
    co = shared_task.assignments.get(role="co")
    with pytest.raises(ValidationError):
        services.assignment_waive(assignment_id=co.pk, actor=coordinator, reason="  ")
    co.refresh_from_db()
    assert co.waived_at is None


def test_only_the_campaign_office_waives(shared_task, staff_a, supervisor):
    co = shared_task.assignments.get(role="co")
    for user in (staff_a, supervisor):
        with pytest.raises(PermissionDenied):
            services.assignment_waive(assignment_id=co.pk, actor=user, reason="Because.")


def test_the_lead_office_cannot_be_waived(task_a, coordinator):
    lead = task_a.assignments.get(role=TaskAssignment.Role.LEAD)
    with pytest.raises(ValidationError):
        services.assignment_waive(assignment_id=lead.pk, actor=coordinator, reason="No.")


def test_reports_on_a_done_task_are_refused(task_a, staff_a):
    services.task_complete(task_id=task_a.pk, actor=staff_a)
    with pytest.raises(ValidationError):
        services.task_report_create(task_id=task_a.pk, actor=staff_a, text="More.", progress=100)


def test_campaign_office_reopens_a_done_task_with_a_reason(task_a, staff_a, coordinator):
    services.task_complete(task_id=task_a.pk, actor=staff_a)
    with pytest.raises(PermissionDenied):
        services.task_reopen(task_id=task_a.pk, actor=staff_a, reason="Want more.")
    with pytest.raises(ValidationError):
        services.task_reopen(task_id=task_a.pk, actor=coordinator, reason="")
    services.task_reopen(task_id=task_a.pk, actor=coordinator, reason="The minutes are missing.")
    task_a.refresh_from_db()
    assert task_a.status == Task.Status.IN_PROGRESS and task_a.completed_at is None


def test_supervisors_comment_but_office_staff_do_not(task_a, supervisor, staff_a):
    services.task_comment_create(task_id=task_a.pk, actor=supervisor, text="Please publish the minutes.")
    assert task_a.comments.count() == 1
    with pytest.raises(PermissionDenied):
        services.task_comment_create(task_id=task_a.pk, actor=staff_a, text="Me too.")


def test_making_a_campaign_current_clears_the_previous_one(campaign, coordinator):
    new = CampaignFactory()
    services.campaign_make_current(campaign_id=new.pk, actor=coordinator)
    assert list(Campaign.objects.filter(is_current=True)) == [new]
    assert AuditEvent.objects.filter(verb="campaign.make_current", target_id=new.pk).exists()


def test_office_staff_cannot_change_the_current_campaign(campaign, staff_a):
    with pytest.raises(PermissionDenied):
        services.campaign_make_current(campaign_id=CampaignFactory().pk, actor=staff_a)


def test_permissions_follow_the_role_groups(db):
    coordinator = UserFactory(role=Role.CAMPAIGN_OFFICE)
    staff = UserFactory(role=Role.OFFICE_STAFF)
    supervisor = UserFactory(role=Role.SUPERVISOR, office=None)
    assert coordinator.is_coordinator and coordinator.can_read_all
    assert not staff.is_coordinator and not staff.can_read_all
    assert supervisor.can_read_all and not supervisor.has_perm("campaigns.report_on_task")
