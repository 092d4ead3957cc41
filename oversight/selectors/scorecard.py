"""The office scorecard: one provider per data family, each returning
``{office_id: figures}`` from one aggregate query, and the table built from them.

Definitions (shown in the dashboard's legend and in docs/oversight.md, so an
auditor can recompute every figure):

Tasks (the office is assigned to, as lead or co-office, in this campaign's phases)
    total         assignments of the office to the campaign's tasks
    done          of these, tasks marked done
    done_on_time  done tasks whose completion date (local) is on or before the task's deadline
    overdue       tasks not done whose due date for the office (its own due date, else the
                  deadline) is before today; a co-office part already submitted or waived
                  is not overdue
Complaints (about the office, registered in this campaign)
    received, closed (status closed), closed_on_time (closed, reply on time),
    rated (a rating given), satisfied (satisfied or basically satisfied)
Deliverables (that apply to the office, in this campaign's phases)
    required   deliverables that apply to the office
    accepted   the latest version is accepted
    awaiting   the latest version waits for review
    returned   the latest version was returned
    overdue    due date before today and neither accepted nor awaiting review
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from campaigns.figures import CampaignFigures
from campaigns.models import Office, Task, TaskAssignment

from ..models import Deliverable, Submission
from . import integrations
from .deliverables import latest_submission
from .figures import AppraisalFigures, CommitmentFigures, ComplaintFigures, DeliverableFigures, Figures, TaskFigures

DONE = Task.Status.DONE


# --- Providers ----------------------------------------------------------------------
def task_figures(
    *, campaign_id: int, today: dt.date, office_ids: Collection[int] | None = None
) -> dict[int, TaskFigures]:
    assignments = TaskAssignment.objects.filter(task__phase__campaign_id=campaign_id)
    if office_ids is not None:
        assignments = assignments.filter(office_id__in=office_ids)
    rows = (
        assignments.annotate(office_due=Coalesce("due_date", "task__deadline"))
        .values("office_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(task__status=DONE)),
            done_on_time=Count("pk", filter=Q(task__status=DONE, task__completed_at__date__lte=F("task__deadline"))),
            overdue=Count(
                "pk",
                filter=~Q(task__status=DONE)
                & Q(office_due__lt=today, submitted_at__isnull=True, waived_at__isnull=True),
            ),
        )
        .order_by()
    )
    return {row["office_id"]: TaskFigures.from_row(row) for row in rows}


def complaint_counts(prefix: str = "", **scope: Any) -> dict[str, Count]:
    """Conditional counts of complaints. ``prefix`` reaches them from another model;
    ``scope`` (e.g. ``campaign_id=3``) is a condition of every count."""
    from complaints import rules
    from complaints.models import Complaint

    def q(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in {**scope, **lookups}.items()})

    target = f"{prefix}pk" if prefix else "pk"
    rating = Complaint.Rating
    return {
        "received": Count(target, filter=q()),
        "closed": Count(target, filter=q(status=Complaint.Status.CLOSED)),
        "closed_on_time": Count(target, filter=q(status=Complaint.Status.CLOSED, replied_on_time=True)),
        "rated": Count(target, filter=q(rating__in=rating.values)),
        "satisfied": Count(target, filter=q(rating__in=rules.SATISFIED_RATINGS)),
    }


def complaint_figures(
    *, campaign_id: int, today: dt.date, office_ids: Collection[int] | None = None
) -> FiguresByOffice:
    """Every office's complaint figures from a snapshot at most FIGURES_MAX_AGE old
    (one aggregate over all the campaign's complaints; kernel/figurecache.py);
    ``as_of`` on the result says when it was taken."""
    snap = COMPLAINT_FIGURES.get(campaign_id)
    wanted = None if office_ids is None else set(office_ids)
    return FiguresByOffice(
        {pk: figures for pk, figures in snap.value.items() if wanted is None or pk in wanted}, as_of=snap.computed_at
    )


def count_complaint_figures(campaign_id: int) -> dict[int, ComplaintFigures]:
    from complaints.models import Complaint

    complaints = Complaint.objects.filter(campaign_id=campaign_id, office__isnull=False)
    rows = complaints.values("office_id").annotate(**complaint_counts()).order_by()
    return {row["office_id"]: ComplaintFigures.from_row(row) for row in rows}


COMPLAINT_FIGURES = CampaignFigures("scorecard-complaints", count_complaint_figures)


class FiguresByOffice(dict[int, ComplaintFigures]):
    """``{office_id: figures}`` from a snapshot, with the time it was taken."""

    def __init__(self, *args: Any, as_of: dt.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.as_of = as_of


def deliverable_counts(today: dt.date) -> dict[str, Count]:
    return {
        "required": Count("pk"),
        "accepted": Count("pk", filter=Q(latest_status=Submission.Status.ACCEPTED)),
        "awaiting": Count("pk", filter=Q(latest_status=Submission.Status.SUBMITTED)),
        "returned": Count("pk", filter=Q(latest_status=Submission.Status.RETURNED)),
        "overdue": Count(
            "pk",
            filter=Q(deliverable__due_date__lt=today)
            & (Q(latest_status__isnull=True) | Q(latest_status=Submission.Status.RETURNED)),
        ),
    }


def deliverable_figures(
    *, campaign_id: int, today: dt.date, office_ids: Collection[int] | None = None
) -> dict[int, DeliverableFigures]:
    pairs = Deliverable.offices.through.objects.filter(deliverable__phase__campaign_id=campaign_id)
    if office_ids is not None:
        pairs = pairs.filter(office_id__in=office_ids)
    rows = (
        pairs.annotate(latest_status=latest_submission())
        .values("office_id")
        .annotate(**deliverable_counts(today))
        .order_by()
    )
    return {row["office_id"]: DeliverableFigures.from_row(row) for row in rows}


class FiguresProvider(Protocol):
    """``{office_id: figures}`` of one family, for ``office_ids`` (all offices: None)."""

    def __call__(
        self, *, campaign_id: int, today: dt.date, office_ids: Collection[int] | None = None
    ) -> Mapping[int, Figures | AppraisalFigures]: ...


@dataclass(frozen=True)
class Provider:
    key: str
    function: FiguresProvider


def providers() -> list[Provider]:
    """Tasks, complaints and deliverables always; commitments and appraisal when the
    rectification and evaluations apps provide them (see ``integrations``)."""
    found = [
        Provider("tasks", task_figures),
        Provider("complaints", complaint_figures),
    ]
    if integrations.commitments_available():
        found.append(Provider("commitments", integrations.commitment_figures))
    if integrations.appraisal_available():
        found.append(Provider("appraisal", integrations.appraisal_figures))
    found.append(Provider("deliverables", deliverable_figures))
    return found


# --- The table ------------------------------------------------------------------------
@dataclass
class ScorecardRow:
    office_id: int
    office_name: str
    figures: dict[str, Any] = field(default_factory=dict)  # provider key -> figures (of that family's type)

    def __post_init__(self) -> None:
        # ``row.tasks``, ``row.complaints``... as plain attributes: the scorecard reads
        # them for every cell, and a ``__getattr__`` fallback costs a failed lookup each time.
        for name, figures in self.figures.items():
            if name not in _ROW_FIELDS:
                self.__dict__[name] = figures

    def __getattr__(self, name: str) -> Any:
        # Families added to ``figures`` after the row was made.
        figures = self.__dict__.get("figures", {})
        if name in figures:
            return figures[name]
        raise AttributeError(name)


_ROW_FIELDS = {"office_id", "office_name", "figures"}


@dataclass
class Scorecard:
    columns: list[str]
    rows: list[ScorecardRow]
    today: dt.date
    # When the oldest snapshot behind the figures was taken (None: all counted now).
    as_of: dt.datetime | None = None

    def has(self, key: str) -> bool:
        return key in self.columns

    @property
    def has_commitments(self) -> bool:
        return self.has("commitments")

    @property
    def has_appraisal(self) -> bool:
        return self.has("appraisal")


EMPTY = {"tasks": TaskFigures, "complaints": ComplaintFigures, "deliverables": DeliverableFigures}


def _empty_factory(key: str) -> Callable[[], object]:
    factory = EMPTY.get(key) or integrations.EMPTY.get(key)
    if factory is None:
        raise KeyError(f"no empty figures for the family {key!r}")
    return factory


def _empty(key: str) -> object:
    return _empty_factory(key)()


def scorecard(
    *,
    campaign_id: int,
    today: dt.date,
    office_ids: Collection[int] | None = None,
    fresh: bool = False,
    offices: QuerySet[Office] | None = None,
) -> Scorecard:
    """One row per office with a figure in any family (or every office in ``office_ids``),
    among ``offices`` (a queryset: the reader's reach, campaigns/scope.py) when given.
    ``fresh``: retake the snapshots first (documents: the ledger, the printed summary)."""
    if fresh:
        COMPLAINT_FIGURES.get(campaign_id, fresh=True)
    found = {
        provider.key: provider.function(campaign_id=campaign_id, today=today, office_ids=office_ids)
        for provider in providers()
    }
    ids = set(office_ids or ())
    for per_office in found.values():
        ids.update(per_office)
    named = (Office.objects.all() if offices is None else offices).filter(pk__in=ids).order_by("name")
    families = [(key, per_office, _empty_factory(key)) for key, per_office in found.items()]
    rows = [
        ScorecardRow(pk, name, {key: per_office.get(pk) or empty() for key, per_office, empty in families})
        for pk, name in named.values_list("pk", "name")
    ]
    taken = [p.as_of for p in found.values() if isinstance(p, FiguresByOffice) and p.as_of]
    return Scorecard(columns=list(found), rows=rows, today=today, as_of=min(taken, default=None))


# --- Late offices (the staff home) -----------------------------------------------------------
@dataclass(frozen=True)
class LateOffice:
    office_id: int
    office_name: str
    tasks: int
    commitments: int
    deliverables: int

    @property
    def total(self) -> int:
        return self.tasks + self.commitments + self.deliverables


def late_offices(*, campaign_id: int, today: dt.date, offices: QuerySet[Office] | None = None) -> list[LateOffice]:
    """Offices with a task, commitment or deliverable overdue, by the scorecard's own
    definitions (its "overdue" columns), the latest first: three aggregates and the
    offices' names, whatever the number of offices; among ``offices`` (the reader's
    reach) when given."""
    tasks = task_figures(campaign_id=campaign_id, today=today)
    commitments = (
        integrations.commitment_figures(campaign_id=campaign_id, today=today)
        if integrations.commitments_available()
        else {}
    )
    deliverables = deliverable_figures(campaign_id=campaign_id, today=today)

    def overdue(figures: Mapping[int, TaskFigures | CommitmentFigures | DeliverableFigures], pk: int) -> int:
        return figures[pk].overdue if pk in figures else 0

    late = {pk for figures in (tasks, commitments, deliverables) for pk, values in figures.items() if values.overdue}
    among = Office.objects.all() if offices is None else offices
    names = dict(among.filter(pk__in=late).values_list("pk", "name")) if late else {}
    rows = [
        LateOffice(pk, names[pk], overdue(tasks, pk), overdue(commitments, pk), overdue(deliverables, pk))
        for pk in late
        if pk in names
    ]
    return sorted(rows, key=lambda row: (-row.total, row.office_name))
