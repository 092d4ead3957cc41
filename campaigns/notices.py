"""Notices to staff about tasks, when work comes back to them: a task the
campaign office reopens goes back to its lead office, whose staff and head are
told at once (the reminder sweep tells them of its deadline as before).

The service records the step's ``AuditEvent`` and queues ``tasks.notify_staff``
with it once the step commits; each notice is written and sent once per person."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications.notices import HandOver, office_staff, tell_step
from notifications.texts import Text

from .models import AuditEvent, Task, TaskAssignment

KIND = "task"


def _reopened(event: AuditEvent) -> HandOver:
    task = Task.objects.select_related("phase").get(pk=event.target_id)
    lead = TaskAssignment.objects.filter(task=task, role=TaskAssignment.Role.LEAD).values_list("office_id", flat=True)
    params = {"code": task.code, "title": task.title}
    return HandOver(
        office_staff(*lead),
        task,
        f"reopened-{event.pk}",
        reverse("staff:task-detail", args=[task.pk]),
        Text(gettext_noop("Task %(code)s reopened"), params),
        Text(gettext_noop("The campaign office reopened task %(code)s “%(title)s”: it is in progress again."), params),
        event.data.get("reason", ""),
    )


#: The audit verbs that hand work to someone, and the notice each calls for.
NOTICES: dict[str, Callable[[AuditEvent], HandOver]] = {"task.reopen": _reopened}


def tell(event: AuditEvent) -> int:
    """Write the notices of one step, each once; returns how many were new."""
    build = NOTICES.get(event.verb)
    return tell_step(build(event) if build else None, kind=KIND, actor_id=event.actor_id, at=event.created_at)
