"""Recurring tasks ("每季度", "每半年", "每年至少两次", "每月"): one task per period,
each due at the end of its period, within the campaign's dates.

A recurring task is its own first occurrence. Its later occurrences are tasks of
the same phase (numbered after the phase's last), with the same title, description
and offices, each due at the end of a later period, up to the campaign's end. A
recurring task with no deadline of its own is first due at the end of the first
period after its phase starts. Scheduling again adds only what is missing (the
``task_occurrence_once`` constraint: one occurrence of a task per date) and never
removes an occurrence, which may already hold reports.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import AuditEvent, Task, TaskAssignment
from .rules import may_plan

#: The months in which each kind of period ends.
PERIOD_END_MONTHS: dict[str, tuple[int, ...]] = {
    Task.Recurrence.MONTHLY: tuple(range(1, 13)),
    Task.Recurrence.QUARTERLY: (3, 6, 9, 12),
    Task.Recurrence.HALF_YEARLY: (6, 12),
    Task.Recurrence.TWICE_A_YEAR: (6, 12),
}

#: The reader's words for each kind (in simplified characters).
WORDS = [
    ("每月", Task.Recurrence.MONTHLY),
    ("每季度", Task.Recurrence.QUARTERLY),
    ("每半年", Task.Recurrence.HALF_YEARLY),
    ("每年至少两次", Task.Recurrence.TWICE_A_YEAR),
    ("每年不少于两次", Task.Recurrence.TWICE_A_YEAR),
    ("每年至少2次", Task.Recurrence.TWICE_A_YEAR),
]


def recurrence_of(words: str | None) -> str:
    """The recurrence a plan's words name ("每季度、每月": the first), or ""."""
    if not words:
        return ""
    found = [(words.find(w), kind) for w, kind in WORDS if w in words]
    return min(found)[1] if found else ""


def period_ends(recurrence: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """The last days of the periods ending between ``start`` and ``end``, inclusive."""
    months = PERIOD_END_MONTHS[recurrence]
    days = []
    for year in range(start.year, end.year + 1):
        for month in months:
            day = dt.date(year, month, calendar.monthrange(year, month)[1])
            if start <= day <= end:
                days.append(day)
    return days


@transaction.atomic
def task_schedule_occurrences(*, task_id: int, actor) -> list[Task]:
    """Create the missing occurrences of a recurring task; returns those created."""
    if actor is not None and not may_plan(actor):
        raise PermissionDenied
    task = Task.objects.select_for_update().select_related("phase", "phase__campaign").get(pk=task_id)
    if not task.recurrence:
        raise ValidationError({"recurrence": _("This task does not recur.")})
    if task.repeats_id:
        raise ValidationError(_("This task is itself an occurrence; schedule the task it repeats."))
    phase, campaign = task.phase, task.phase.campaign
    ends = period_ends(task.recurrence, phase.start_date, campaign.end_date)
    if task.deadline_follows_phase and ends and ends[0] != task.deadline:
        task.deadline, task.deadline_follows_phase = ends[0], False
        task.save(update_fields=["deadline", "updated_at"])
    existing = set(task.occurrences.values_list("deadline", flat=True))
    wanted = [day for day in ends if day > task.deadline and day not in existing]
    if not wanted:
        return []
    number = Task.objects.filter(phase=phase).aggregate(m=Max("number"))["m"] or 0
    assignments = list(task.assignments.all())
    created = []
    for day in wanted:
        number += 1
        occurrence = Task(
            phase=phase,
            section=task.section,
            number=number,
            title=task.title,
            description=task.description,
            deadline=day,
            recurrence=task.recurrence,
            repeats=task,
        )
        occurrence.full_clean(exclude=["repeats"])
        occurrence.save()
        created.append(occurrence)
    TaskAssignment.objects.bulk_create(
        TaskAssignment(task=occurrence, office_id=a.office_id, role=a.role, responsible_id=a.responsible_id)
        for occurrence in created
        for a in assignments
    )
    AuditEvent.record(
        task,
        actor,
        "task.schedule_occurrences",
        occurrences=[o.pk for o in created],
        deadlines=[o.deadline.isoformat() for o in created],
    )
    return created
