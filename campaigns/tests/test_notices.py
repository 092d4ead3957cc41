"""A task the campaign office reopens goes back to its lead office, which is told at once."""

import pytest
from django.utils import timezone, translation

from campaigns import services
from campaigns.models import Task
from campaigns.roles import Role
from campaigns.tests.factories import TaskFactory, UserFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_reopened_task_tells_the_lead_office_with_the_reason(
    phase, office_a, office_b, staff_a, staff_b, coordinator, django_capture_on_commit_callbacks
):
    head_a = UserFactory(office=office_a, role=Role.OFFICE_HEAD)
    task = TaskFactory(phase=phase, lead=office_a, co_offices=[office_b], title="召开动员大会")
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, progress=100, completed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.task_reopen(task_id=task.pk, actor=coordinator, reason="会议纪要未上传。")
    notices = Notification.objects.filter(kind="task")
    assert {n.recipient for n in notices} == {staff_a, head_a}
    assert all("会议纪要未上传" in n.body and n.link == f"/staff/tasks/{task.pk}/" for n in notices)
    with translation.override("en"):
        assert notices[0].inbox_subject == f"Task {task.code} reopened"
