"""Next year's campaign from this year's: its phases, sections, tasks (recurring
ones and their occurrences too) and assignments, every date shifted by the same
number of days, as a new draft; nothing of the old campaign's progress comes along
(statuses, reports, submissions and waivers start afresh)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..models import AuditEvent, Campaign, Phase, Section, Task, TaskAssignment
from .rules import may_plan


@transaction.atomic
def campaign_copy(*, campaign: Campaign, start: dt.date, actor, name: str = "") -> Campaign:
    """A draft copy of ``campaign`` starting on ``start``. Its name is ``name``, or the
    old one with the old year replaced by the new ("2026年…" becomes "2027年…")."""
    if actor is not None and not may_plan(actor):
        raise PermissionDenied
    source = Campaign.objects.get(pk=campaign.pk)
    if actor is not None and not Campaign.objects.planned_by(actor).filter(pk=source.pk).exists():
        # Copied with its level: a copy of another level's campaign would be that level's.
        raise PermissionDenied
    shift = start - source.start_date
    if not name:
        name = source.name.replace(str(source.year), str(start.year))
        if name == source.name:
            name = f"{source.name} ({start.year})"
    copy = Campaign(
        name=name[:200],
        year=start.year,
        description=source.description,
        office=source.office,
        start_date=start,
        end_date=source.end_date + shift,
        status=Campaign.Status.DRAFT,
    )
    copy.full_clean()
    copy.save()

    phases = list(source.phases.order_by("order"))
    new_phases = Phase.objects.bulk_create(
        Phase(
            campaign=copy,
            order=p.order,
            name=p.name,
            goal=p.goal,
            start_date=p.start_date + shift,
            end_date=p.end_date + shift,
        )
        for p in phases
    )
    phase_map = {old.pk: new for old, new in zip(phases, new_phases, strict=True)}
    sections = list(Section.objects.filter(phase__in=phases).order_by("pk"))
    new_sections = Section.objects.bulk_create(
        Section(phase=phase_map[s.phase_id], order=s.order, title=s.title) for s in sections
    )
    section_map = {old.pk: new for old, new in zip(sections, new_sections, strict=True)}

    # The tasks a recurring task's occurrences repeat first, so each can point at its copy.
    tasks = sorted(Task.objects.filter(phase__in=phases), key=lambda t: (t.repeats_id is not None, t.pk))
    task_map: dict[int, Task] = {}
    for group in ([t for t in tasks if t.repeats_id is None], [t for t in tasks if t.repeats_id is not None]):
        created = Task.objects.bulk_create(
            Task(
                phase=phase_map[t.phase_id],
                section=section_map.get(t.section_id) if t.section_id else None,
                number=t.number,
                title=t.title,
                description=t.description,
                deadline=t.deadline + shift,
                deadline_follows_phase=t.deadline_follows_phase,
                recurrence=t.recurrence,
                repeats=task_map[t.repeats_id] if t.repeats_id else None,
            )
            for t in group
        )
        task_map.update({old.pk: new for old, new in zip(group, created, strict=True)})
    TaskAssignment.objects.bulk_create(
        TaskAssignment(
            task=task_map[a.task_id],
            office_id=a.office_id,
            role=a.role,
            responsible_id=a.responsible_id,
            due_date=a.due_date + shift if a.due_date else None,
        )
        for a in TaskAssignment.objects.filter(task__in=tasks).order_by("pk")
    )
    AuditEvent.record(
        copy, actor, "campaign.copy", source=source.pk, days=shift.days, phases=len(phases), tasks=len(tasks)
    )
    return copy
