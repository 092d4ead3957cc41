"""The phase timeline and the weekly trends of the dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from campaigns.figures import CampaignFigures
from campaigns.models import Campaign, Phase, Task
from kernel.percent import percent as share

from .deliverables import phase_deliverable_counts

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


@dataclass
class PhaseProgress:
    pk: int
    order: int
    name: str
    start_date: dt.date
    end_date: dt.date
    task_total: int
    task_done: int
    task_overdue: int
    deliverables_required: int = 0
    deliverables_accepted: int = 0
    state: str = "future"  # past / current / future

    @property
    def progress(self) -> float | None:
        return share(self.task_done, self.task_total)

    @property
    def progress_int(self) -> int:
        return round(self.progress or 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "name": self.name,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "task_total": self.task_total,
            "task_done": self.task_done,
            "task_overdue": self.task_overdue,
            "progress": self.progress,
            "state": self.state,
        }


def phase_progress(campaign: Campaign, today: dt.date, *, with_deliverables: bool = True) -> list[PhaseProgress]:
    phases = (
        Phase.objects.filter(campaign=campaign)
        .annotate(
            task_total=Count("tasks"),
            task_done=Count("tasks", filter=Q(tasks__status=Task.Status.DONE)),
            task_overdue=Count("tasks", filter=~Q(tasks__status=Task.Status.DONE) & Q(tasks__deadline__lt=today)),
        )
        .order_by("order")
    )
    counts = {}
    if with_deliverables:
        counts = phase_deliverable_counts(campaign.pk, today)
    result = []
    for p in phases:
        state = "past" if p.end_date < today else "current" if p.start_date <= today else "future"
        c = counts.get(p.pk, {})
        result.append(
            PhaseProgress(
                p.pk,
                p.order,
                p.name,
                p.start_date,
                p.end_date,
                p.task_total,
                p.task_done,
                p.task_overdue,
                c.get("required", 0),
                c.get("accepted", 0),
                state,
            )
        )
    return result


@dataclass
class Trend:
    """Weekly series: ``weeks`` are Mondays; each series has one value per week."""

    weeks: list[dt.date]
    series: dict[str, list[int]] = field(default_factory=dict)
    labels: dict[str, _StrOrPromise] = field(default_factory=dict)
    title: _StrOrPromise = ""
    definition: _StrOrPromise = ""
    as_of: dt.datetime | None = None  # when a snapshot behind the series was taken

    @property
    def headers(self) -> list[str]:
        return [str(self.labels[k]) for k in self.series]

    @property
    def totals(self) -> list[int]:
        return [sum(values) for values in self.series.values()]

    def rows(self) -> list[tuple[dt.date, list[int]]]:
        keys = list(self.series)
        return [(week, [self.series[k][i] for k in keys]) for i, week in enumerate(self.weeks)]

    def as_chart(self) -> dict[str, Any]:
        return {
            "weeks": [w.isoformat() for w in self.weeks],
            "title": str(self.title),
            "series": [{"key": k, "label": str(self.labels[k]), "values": v} for k, v in self.series.items()],
        }


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def campaign_weeks(campaign: Campaign, today: dt.date) -> list[dt.date]:
    first = monday(campaign.start_date)
    last = monday(min(today, campaign.end_date))
    weeks = []
    week = first
    while week <= last:
        weeks.append(week)
        week += dt.timedelta(days=7)
    return weeks


def _per_week(weeks: list[dt.date], day_counts: Iterable[tuple[dt.date | None, int]]) -> list[int]:
    """Spread (day, n) rows over the weeks; days outside the campaign's weeks are left out."""
    index = {week: i for i, week in enumerate(weeks)}
    values = [0] * len(weeks)
    for day, n in day_counts:
        if day is None:
            continue
        i = index.get(monday(day))
        if i is not None:
            values[i] += n
    return values


def complaint_trend(campaign: Campaign, today: dt.date, *, office_id: int | None = None) -> Trend:
    """Complaints received (by date received) and closed (by local date closed) per week:
    two queries grouped by day, folded into weeks; the campaign-wide counts come
    from a snapshot at most FIGURES_MAX_AGE old (kernel/figurecache.py)."""
    from django.utils.translation import gettext_lazy as _

    weeks = campaign_weeks(campaign, today)
    if office_id is None:
        snap = TREND.get(campaign.pk)
        received, closed = snap.value
        as_of = snap.computed_at
    else:
        received, closed = complaint_day_counts(campaign.pk, office_id=office_id)
        as_of = None
    return Trend(
        weeks,
        {"received": _per_week(weeks, received), "closed": _per_week(weeks, closed)},
        {"received": _("Received"), "closed": _("Closed")},
        title=_("Complaints per week: received and closed"),
        definition=_(
            "Received: complaints of this campaign by the date they were received. Closed: complaints "
            "closed, by the date they were closed. Weeks start on Monday."
        ),
        as_of=as_of,
    )


#: (day, n) rows: how many on each day.
DayCounts: TypeAlias = list[tuple[dt.date, int]]


def complaint_day_counts(campaign_id: int, *, office_id: int | None = None) -> tuple[DayCounts, DayCounts]:
    """(day, n) of complaints received and of complaints closed."""
    from complaints.models import Complaint

    complaints = Complaint.objects.filter(campaign_id=campaign_id)
    if office_id is not None:
        complaints = complaints.filter(office_id=office_id)
    received = complaints.values_list("received_on").annotate(n=Count("pk")).order_by()
    closed = (
        complaints.filter(status=Complaint.Status.CLOSED, closed_at__isnull=False)
        .annotate(day=TruncDate("closed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return list(received), list(closed)


TREND = CampaignFigures("complaint-trend", complaint_day_counts)
