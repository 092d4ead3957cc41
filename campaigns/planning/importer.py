"""From a plan document to a campaign: the preview (what the reader found, offices
matched against the directory, what it could not match, warnings) and the one
transaction that stores it once the campaign office has corrected it.

Never blind: ``plan_preview`` stores nothing; ``plan_import`` refuses while a named
office is neither matched nor mapped by the campaign office, or a phase has no
dates, and otherwise creates the campaign (a draft, when new), its phases,
sections, tasks and assignments at once, with one AuditEvent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import AuditEvent, Campaign, Office, Phase, Section, Task, TaskAssignment, User
from .offices import OfficeDirectory
from .reader import DraftPlan, DraftTask, read_plan
from .recurrence import recurrence_of
from .rules import level_office_id, may_plan, planning_area


def read_document(upload) -> str:
    """The text of an uploaded plan: a .docx (its paragraphs and table cells, in
    order), the spreadsheet template (.xlsx, planning/spreadsheet.py) or plain text
    in UTF-8 (GB18030 as a fallback)."""
    name = getattr(upload, "name", "") or ""
    data = upload.read()
    if name.lower().endswith(".xlsx") or (data[:2] == b"PK" and b"xl/" in data[:4096]):
        from .spreadsheet import read_workbook

        return read_workbook(data)  # the spreadsheet template, as the plan's text
    if name.lower().endswith(".docx") or data[:2] == b"PK":
        import io

        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # a broken or foreign file: say so next to the field
            raise ValidationError({"document": _("This is not a Word document (.docx) that can be read.")}) from exc
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" ".join(cell.text for cell in row.cells))
        return "\n".join(lines)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"document": _("The file is neither a Word document (.docx) nor plain text.")})


@dataclass
class PlanPreview:
    plan: DraftPlan
    directory: OfficeDirectory
    mapping: dict[str, Office | None] = field(default_factory=dict)  # every name the plan uses
    # (office pk, the person's name as the plan writes it) -> the member of that office
    people: dict[tuple[int, str], User | None] = field(default_factory=dict)

    @property
    def unmatched(self) -> list[str]:
        return [name for name, office in self.mapping.items() if office is None]

    def office(self, name: str | None) -> Office | None:
        return self.mapping.get(name) if name else None

    def person(self, task: DraftTask) -> User | None:
        """The member of the task's lead office the plan names as responsible, if the directory has them."""
        lead = self.office(task.lead)
        if lead is None or not task.responsible:
            return None
        return self.people.get((lead.pk, task.responsible))

    def task_count(self) -> int:
        return sum(len(p.tasks) for p in self.plan.phases)


def offices_for(actor):
    """The directory a plan is matched against: the actor's planning area, or
    every office for an operator at the command line (no actor)."""
    if actor is None:
        return Office.objects.filter(is_active=True)
    return planning_area(actor).filter(is_active=True)


def plan_preview(text: str, *, year: int, offices, mapping: dict[str, int] | None = None) -> PlanPreview:
    """Read the plan and match its office names; ``mapping`` is the campaign office's
    own choice for names (raw name -> office pk), which wins over the match."""
    plan = read_plan(text, year=year)
    directory = OfficeDirectory(offices)
    preview = PlanPreview(plan=plan, directory=directory)
    chosen = mapping or {}
    for phase in plan.phases:
        for task in phase.tasks:
            for name in [task.lead, *task.co_offices]:
                if name and name not in preview.mapping:
                    office = directory.get(chosen[name]) if chosen.get(name) else None
                    preview.mapping[name] = office or directory.match(name)
    _match_people(preview)
    return preview


def _match_people(preview: PlanPreview) -> None:
    """Each person a measure names, looked up among the staff of its lead office by
    name, across scripts (one query); a name nobody matches is a warning, and the
    assignment is left without a responsible person."""
    from .reader import simplified

    wanted = [
        (phase, task, lead)
        for phase in preview.plan.phases
        for task in phase.tasks
        if task.responsible and (lead := preview.office(task.lead)) is not None
    ]
    if not wanted:
        return
    staff: dict[tuple[int | None, str], User] = {}
    for user in User.objects.filter(office_id__in={lead.pk for _p, _t, lead in wanted}, is_active=True):
        for name in {user.get_full_name(), f"{user.last_name}{user.first_name}", user.first_name}:
            if name.strip():
                staff.setdefault((user.office_id, simplified(name.replace(" ", ""))), user)
    for _phase, task, lead in wanted:
        person = staff.get((lead.pk, simplified(task.responsible or "")))
        preview.people[(lead.pk, task.responsible or "")] = person
        if person is None:
            preview.plan.warnings.append(
                _("Measure %(number)s names %(person)s, not on the staff of %(office)s: no responsible person set.")
                % {"number": task.label or task.number, "person": task.responsible, "office": lead.name}
            )


def _task_json(preview: PlanPreview, task: DraftTask, number: int) -> dict:
    lead = preview.office(task.lead)
    cos = [preview.office(n) for n in task.co_offices]
    return {
        "number": number,
        "label": task.label,
        "title": task.title,
        "lead": lead.name if lead else None,
        "co_offices": [o.name for o in cos if o],
        "all_offices": task.all_offices,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "responsible": task.responsible,
        "recurrence": task.recurrence,
        "unmatched_offices": [n for n in [task.lead, *task.co_offices] if n and preview.office(n) is None],
    }


def preview_json(preview: PlanPreview) -> dict:
    """The preview as the command line prints it (``import_plan --dry-run --format json``):
    office names as stored in the directory, dates as YYYY-MM-DD. A task in a
    section appears both in its section and in its phase's task list."""
    phases = []
    for phase in preview.plan.phases:
        numbered = {id(task): i for i, task in enumerate(phase.tasks, start=1)}
        phases.append(
            {
                "name": phase.name,
                "start": phase.start.isoformat() if phase.start else None,
                "end": phase.end.isoformat() if phase.end else None,
                "sections": [
                    {
                        "number": section.number,
                        "label": section.label,
                        "title": section.title,
                        "tasks": [_task_json(preview, t, numbered[id(t)]) for t in section.tasks],
                    }
                    for section in phase.sections
                ],
                "tasks": [_task_json(preview, t, numbered[id(t)]) for t in phase.tasks],
            }
        )
    return {
        "title": preview.plan.title,
        "phases": phases,
        "unmatched_offices": preview.unmatched,
        "warnings": preview.plan.warnings,
    }


def _all_offices(offices) -> list[Office]:
    return [o for o in offices if o.level == Office.Level.DEPARTMENT]


@transaction.atomic
def plan_import(
    *,
    preview: PlanPreview,
    actor,
    campaign_id: int | None = None,
    new_campaign_name: str = "",
    phase_dates: dict[int, tuple[dt.date, dt.date]] | None = None,
) -> Campaign:
    """Store the previewed plan in one transaction: into an existing campaign (its
    phases appended after the last) or a new draft campaign spanning the phases."""
    if actor is not None and not may_plan(actor):
        raise PermissionDenied(_("Only the campaign office plans campaigns."))
    if preview.unmatched:
        raise ValidationError(
            _("Choose an office for each name the directory does not know: %(names)s.")
            % {"names": "、".join(preview.unmatched)}
        )
    plan = preview.plan
    if not plan.phases:
        raise ValidationError(_("The plan has no phases and no measures to import."))
    dates = []
    for index, draft_phase in enumerate(plan.phases):
        start, end = (phase_dates or {}).get(index, (draft_phase.start, draft_phase.end))
        if start is None or end is None:
            raise ValidationError(_("Give the dates of phase “%(name)s”.") % {"name": draft_phase.name})
        dates.append((start, end))

    if campaign_id is not None:
        planned = Campaign.objects.planned_by(actor) if actor is not None else Campaign.objects.all()
        campaign = planned.select_for_update(of=("self",)).filter(pk=campaign_id).first()
        if campaign is None:
            raise ValidationError({"campaign": _("Choose a campaign of your own level of government.")})
        first_order = (campaign.phases.aggregate(m=Max("order"))["m"] or 0) + 1
    else:
        name = (new_campaign_name or plan.title or "").strip()[:200]
        if not name:
            raise ValidationError({"new_campaign_name": _("Name the new campaign.")})
        start = min(d[0] for d in dates)
        campaign = Campaign(
            name=name,
            year=start.year,
            start_date=start,
            end_date=max(d[1] for d in dates),
            status=Campaign.Status.DRAFT,
            office_id=level_office_id(actor),  # the campaign office's level of government
        )
        campaign.full_clean()
        campaign.save()
        first_order = 1

    everyone = _all_offices(preview.directory.offices)
    lead_for_all = getattr(actor, "office", None)
    task_count = 0
    for index, draft in enumerate(plan.phases):
        start, end = dates[index]
        phase = Phase(
            campaign=campaign,
            order=first_order + index,
            name=draft.name,
            goal=draft.goal,
            start_date=start,
            end_date=end,
        )
        phase.full_clean()
        phase.save()
        sections = []
        for order, draft_section in enumerate(draft.sections, start=1):
            section = Section(phase=phase, order=order, title=f"{draft_section.label}{draft_section.title}"[:200])
            section.full_clean()
            section.save()
            sections.append(section)
        for number, draft_task in enumerate(draft.tasks, start=1):
            deadline = draft_task.deadline
            if deadline is not None and (deadline < start or deadline > campaign.end_date):
                deadline = None  # one outside its phase is not kept: the task ends with its phase
            task = Task(
                phase=phase,
                section=sections[draft_task.section] if draft_task.section is not None else None,
                number=number,
                title=draft_task.title[:300],
                description=draft_task.description,
                deadline=deadline,  # type: ignore[misc]  # None: it ends with its phase (Task.save)
                recurrence=recurrence_of(draft_task.recurrence),
            )
            task.full_clean()
            task.save()
            task_count += 1
            _assign(task, preview, draft_task, everyone, lead_for_all)
    AuditEvent.record(
        campaign,
        actor,
        "campaign.import",
        phases=len(plan.phases),
        tasks=task_count,
        offices={name: office.pk for name, office in preview.mapping.items() if office},
    )
    return campaign


def _assign(task: Task, preview: PlanPreview, draft: DraftTask, everyone: list[Office], lead_for_all) -> None:
    lead = preview.office(draft.lead)
    cos = [preview.office(n) for n in draft.co_offices]
    if draft.all_offices:
        # "各部门负责": every department takes part; the campaign office leads unless one is named.
        lead = lead or lead_for_all
        cos = [*cos, *everyone]
    rows: dict[int, TaskAssignment] = {}
    if lead is not None:
        rows[lead.pk] = TaskAssignment(
            task=task, office=lead, role=TaskAssignment.Role.LEAD, responsible=preview.person(draft)
        )
    for office in cos:
        if office is not None and office.pk not in rows:
            rows[office.pk] = TaskAssignment(task=task, office=office, role=TaskAssignment.Role.CO)
    TaskAssignment.objects.bulk_create(rows.values())
