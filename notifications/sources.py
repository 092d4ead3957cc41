"""Everything with a deadline that the reminder sweep watches.

A source lists the open items whose deadline falls in a window, each with the
office responsible for it. Adding a new kind of deadline (commitments, surveys)
is a subclass here plus a ``DeadlineKind`` value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.roles import Role

from .models import DeadlineKind

# Rows a source fetches from the database at a time: the sweep never holds all the
# items of a source in memory. 500 keeps the sweep's ``IN (...)`` lists under
# SQLite's 999 parameters.
CHUNK_SIZE = 500


@dataclass
class DueItem:
    target: object
    deadline: dt.date
    office: object | None  # None: the complaint centre holds it
    title: str
    link: str
    # Staff of this office never hear about it (the office a complaint is about).
    excluded_office_id: int | None = None


class DeadlineSource:
    kind: str
    oversight_role: str = Role.CAMPAIGN_OFFICE

    def items(self, start: dt.date, end: dt.date) -> Iterable[DueItem]:
        """Stream the items (``.iterator(chunk_size=CHUNK_SIZE)``) and select every
        related row that ``title``, ``link`` and ``office`` read: building a
        ``DueItem`` must never query, or the sweep makes one query per item."""
        raise NotImplementedError


class TaskSource(DeadlineSource):
    """Each office's part of an open task, by its own due date; a co-office whose
    part is submitted or waived is no longer reminded."""

    kind = DeadlineKind.TASK

    def items(self, start, end):
        from django.db.models.functions import Coalesce

        from campaigns.models import Task, TaskAssignment

        assignments = (
            TaskAssignment.objects.exclude(task__status=Task.Status.DONE)
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
                title=_("Task %(code)s “%(title)s”") % {"code": task.code, "title": task.title},
                link=reverse("staff:task-detail", args=[task.pk]),
            )


class _ComplaintSource(DeadlineSource):
    oversight_role = Role.COMPLAINT_CENTRE
    field: str
    statuses: list[str]

    def items(self, start, end):
        from complaints.models import Complaint

        complaints = (
            Complaint.objects.filter(status__in=self.statuses, paused_since__isnull=True)
            .filter(Q(**{f"{self.field}__gte": start}) & Q(**{f"{self.field}__lte": end}))
            .select_related("handling_office")
            .order_by("pk")
        )
        for complaint in complaints.iterator(chunk_size=CHUNK_SIZE):
            yield DueItem(
                target=complaint,
                deadline=getattr(complaint, self.field),
                office=complaint.handling_office if self.kind == DeadlineKind.COMPLAINT_COMPLETE else None,
                title=self.title % {"number": complaint.tracking_number},
                link=reverse("complaints-staff:detail", args=[complaint.pk]),
                excluded_office_id=complaint.office_id,
            )


class ComplaintAcceptSource(_ComplaintSource):
    kind = DeadlineKind.COMPLAINT_ACCEPT
    field = "accept_due"
    statuses = ["registered"]

    @property
    def title(self):
        return _("Acceptance of complaint %(number)s")


class ComplaintCompleteSource(_ComplaintSource):
    kind = DeadlineKind.COMPLAINT_COMPLETE
    field = "complete_due"
    statuses = ["accepted", "assigned", "investigating"]

    @property
    def title(self):
        return _("Completion of complaint %(number)s")


def all_sources() -> list[DeadlineSource]:
    """The sources above plus each app's ``<app>/reminders.py`` SOURCES."""
    from importlib import import_module

    from django.apps import apps

    sources: list[DeadlineSource] = [TaskSource(), ComplaintAcceptSource(), ComplaintCompleteSource()]
    for config in apps.get_app_configs():
        if config.name in ("campaigns", "complaints", "notifications"):
            continue
        try:
            module = import_module(f"{config.name}.reminders")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reminders":
                raise
            continue
        sources.extend(getattr(module, "SOURCES", []))
    return sources
