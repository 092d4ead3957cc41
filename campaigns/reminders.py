"""Task deadlines in the reminder sweep (notifications.sources discovers ``SOURCES``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications.models import DeadlineKind
from notifications.sources import CHUNK_SIZE, DeadlineSource, DueItem
from notifications.texts import Text


class TaskSource(DeadlineSource):
    """Each office's part of an open task of every running campaign (however many
    run at once, each part once), by its own due date; a co-office whose part is
    submitted or waived is no longer reminded. Campaigns being drafted or closed
    remind no one."""

    kind = DeadlineKind.TASK

    def items(self, start, end):
        from django.db.models.functions import Coalesce

        from .models import Campaign, Task, TaskAssignment

        assignments = (
            TaskAssignment.objects.exclude(task__status=Task.Status.DONE)
            .filter(task__phase__campaign__status=Campaign.Status.RUNNING)
            .filter(submitted_at__isnull=True, waived_at__isnull=True)
            .annotate(due=Coalesce("due_date", "task__deadline"))
            .filter(due__gte=start, due__lte=end)
            .select_related("task", "task__phase", "office")
            .order_by("pk")
        )
        for assignment in assignments.iterator(chunk_size=CHUNK_SIZE):
            task = assignment.task
            yield DueItem(
                target=assignment,
                deadline=assignment.due,
                office=assignment.office,
                title=Text(gettext_noop("Task %(code)s “%(title)s”"), {"code": task.code, "title": task.title}),
                link=reverse("staff:task-detail", args=[task.pk]),
            )


SOURCES = [TaskSource()]
