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
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from campaigns import figurecache
from campaigns.models import Office, Task, TaskAssignment

from .figures import ComplaintFigures, DeliverableFigures, TaskFigures

DONE = Task.Status.DONE


# --- Providers ----------------------------------------------------------------------
def task_figures(*, campaign_id: int, today: dt.date, office_ids=None) -> dict[int, TaskFigures]:
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


def complaint_counts(prefix: str = "", **scope) -> dict:
    """Conditional counts of complaints. ``prefix`` reaches them from another model;
    ``scope`` (e.g. ``campaign_id=3``) is a condition of every count."""
    from complaints.models import Complaint

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in {**scope, **lookups}.items()})

    target = f"{prefix}pk" if prefix else "pk"
    rating = Complaint.Rating
    return {
        "received": Count(target, filter=q()),
        "closed": Count(target, filter=q(status=Complaint.Status.CLOSED)),
        "closed_on_time": Count(target, filter=q(status=Complaint.Status.CLOSED, replied_on_time=True)),
        "rated": Count(target, filter=q(rating__in=rating.values)),
        "satisfied": Count(target, filter=q(rating__in=[rating.SATISFIED, rating.BASICALLY])),
    }


def complaint_figures(*, campaign_id: int, today: dt.date, office_ids=None) -> dict[int, ComplaintFigures]:
    """Every office's complaint figures from a snapshot at most FIGURES_MAX_AGE old
    (one aggregate over all the campaign's complaints; campaigns/figurecache.py);
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


COMPLAINT_FIGURES = figurecache.CampaignFigures("scorecard-complaints", count_complaint_figures)


class FiguresByOffice(dict):
    """``{office_id: figures}`` from a snapshot, with the time it was taken."""

    def __init__(self, *args, as_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of


def latest_submission(field: str = "status"):
    """The latest version's ``field`` for the (deliverable, office) pair of the outer row
    (a row of ``Deliverable.offices.through``)."""
    from ..models import Submission

    latest = Submission.objects.filter(
        deliverable_id=OuterRef("deliverable_id"), office_id=OuterRef("office_id")
    ).order_by("-version")
    return Subquery(latest.values(field)[:1])


def deliverable_counts(today: dt.date) -> dict:
    from ..models import Submission

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


def deliverable_figures(*, campaign_id: int, today: dt.date, office_ids=None) -> dict[int, DeliverableFigures]:
    from ..models import Deliverable

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


@dataclass(frozen=True)
class Provider:
    key: str
    function: Callable


def providers() -> list[Provider]:
    """Tasks, complaints and deliverables always; commitments and appraisal when the
    rectification and evaluations apps provide them (see ``integrations``)."""
    from . import integrations

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
    figures: dict = field(default_factory=dict)  # provider key -> figures

    def __post_init__(self):
        # ``row.tasks``, ``row.complaints``... as plain attributes: the scorecard reads
        # them for every cell, and a ``__getattr__`` fallback costs a failed lookup each time.
        for name, figures in self.figures.items():
            if name not in _ROW_FIELDS:
                self.__dict__[name] = figures

    def __getattr__(self, name):
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


def _empty_factory(key: str):
    from . import integrations

    return EMPTY.get(key) or integrations.EMPTY.get(key)


def _empty(key: str):
    return _empty_factory(key)()


def scorecard(*, campaign_id: int, today: dt.date, office_ids=None, fresh: bool = False) -> Scorecard:
    """One row per office with a figure in any family (or every office in ``office_ids``).
    ``fresh``: retake the snapshots first (documents: the ledger, the printed summary)."""
    if fresh:
        COMPLAINT_FIGURES.get(campaign_id, fresh=True)
    found = {provider.key: provider.function(campaign_id=campaign_id, today=today, office_ids=office_ids)
             for provider in providers()}
    ids = set(office_ids or ())
    for per_office in found.values():
        ids.update(per_office)
    offices = Office.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name")
    families = [(key, per_office, _empty_factory(key)) for key, per_office in found.items()]
    rows = [
        ScorecardRow(pk, name, {key: per_office.get(pk) or empty() for key, per_office, empty in families})
        for pk, name in offices
    ]
    taken = [per_office.as_of for per_office in found.values() if getattr(per_office, "as_of", None)]
    return Scorecard(columns=list(found), rows=rows, today=today, as_of=min(taken, default=None))
