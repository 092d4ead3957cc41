"""The demo's second campaign of the zone, imported from a seed plan through the
importer itself.

Seed 003 (群众评选满意政府部门, traditional characters, four phases from
self-inspection to appraisal) is read, previewed against the campaign office's
own area and imported by the demo's coordinator as a new campaign, the way a
campaign office would on /staff/plan/import/: the names the directory does not
know are mapped to the coordinator's own office, and the four phases, which the
plan gives no dates, are laid one month after the other over the zone's
efficiency campaign's four months (``campaigns.demo.demo_start``). The plan's
three measures name no office ("各部门"), so the coordinator's office leads each
and every department of the zone is added in one step (``task_assign_group``);
their reports are played as for the efficiency campaign's tasks. The coordinator
then starts it, so it runs beside the efficiency campaign: the zone's staff
switch between the two, the public pages show both. Loading the demo again
imports nothing twice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..models import AuditEvent, Campaign, Task, TaskAssignment

PLAN = Path(__file__).resolve().parent / "plans" / "seed_003.txt"
NAME = "{year}年群众评选满意政府部门活动"


def load_plan_demo(*, users: dict, today: dt.date) -> int:
    """Import the plan unless it is there; the number of records added (its tasks)."""
    from ..demo import _add_months, _play_history, demo_start
    from .groups import OfficeGroup, task_assign_group
    from .importer import offices_for, plan_import, plan_preview

    coordinator = users["coordinator"]
    first = demo_start(today)
    name = NAME.format(year=first.year)
    if Campaign.objects.filter(name=name).exists():
        return 0
    text = PLAN.read_text(encoding="utf-8")
    offices = offices_for(coordinator)
    found = plan_preview(text, year=first.year, offices=offices)
    mapping = dict.fromkeys(found.unmatched, coordinator.office_id)
    preview = plan_preview(text, year=first.year, offices=offices, mapping=mapping)
    dates = {
        i: (_add_months(first, i), _add_months(first, i + 1) - dt.timedelta(days=1))
        for i in range(len(preview.plan.phases))
    }
    campaign = plan_import(preview=preview, actor=coordinator, new_campaign_name=name, phase_dates=dates)
    tasks = list(
        Task.objects.filter(phase__campaign=campaign).select_related("phase").order_by("phase__order", "number")
    )
    for task in tasks:
        if not task.assignments.exists():
            TaskAssignment.objects.create(task=task, office_id=coordinator.office_id, role=TaskAssignment.Role.LEAD)
            task_assign_group(task_id=task.pk, group=OfficeGroup.DEPARTMENTS, actor=coordinator)
    if campaign.start_date <= today <= campaign.end_date:
        # Started by the coordinator in the admin once planned: it runs beside the
        # zone's efficiency campaign from today.
        campaign.status = Campaign.Status.RUNNING
        campaign.full_clean()
        campaign.save(update_fields=["status", "updated_at"])
        AuditEvent.record(campaign, coordinator, "campaign.start")
    for task in tasks:
        _play_history(task, today, users)
    return preview.task_count()
