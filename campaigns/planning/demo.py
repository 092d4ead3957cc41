"""The demo's second campaign, imported from a seed plan through the importer itself.

Seed 003 (群众评选满意政府部门, traditional characters, four phases from
self-inspection to appraisal) is read, previewed against the campaign office's
own area and imported by the demo's coordinator as a new draft campaign, the way
a campaign office would on /staff/plan/import/: the names the directory does not
know are mapped to the coordinator's own office, and the four phases, which the
plan gives no dates, are laid one after the other from the first of next month.
It is the campaign the coordinator's home lists as being planned. Loading the
demo again imports nothing twice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..models import Campaign

PLAN = Path(__file__).resolve().parent / "plans" / "seed_003.txt"
PHASE_DAYS = 61


def _first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def load_plan_demo(*, users: dict, today: dt.date) -> int:
    """Import the plan unless it is there; the number of records added (its tasks)."""
    from .importer import offices_for, plan_import, plan_preview

    coordinator = users["coordinator"]
    start = _first_of_next_month(today)
    name = f"{start.year}年群众评选满意政府部门活动（草稿）"
    if Campaign.objects.filter(name=name).exists():
        return 0
    text = PLAN.read_text(encoding="utf-8")
    offices = offices_for(coordinator)
    found = plan_preview(text, year=start.year, offices=offices)
    mapping = dict.fromkeys(found.unmatched, coordinator.office_id)
    preview = plan_preview(text, year=start.year, offices=offices, mapping=mapping)
    starts = [start + dt.timedelta(days=i * PHASE_DAYS) for i in range(len(preview.plan.phases))]
    dates = {i: (day, day + dt.timedelta(days=PHASE_DAYS - 1)) for i, day in enumerate(starts)}
    plan_import(preview=preview, actor=coordinator, new_campaign_name=name, phase_dates=dates)
    return preview.task_count()
