"""The completion matrix (offices × deliverables) and one office's deliverables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from campaigns.models import Phase

from ..models import Deliverable, Submission

Status = Submission.Status


def latest_submission(field: str = "status") -> Subquery:
    """The latest version's ``field`` for the (deliverable, office) pair of the outer row
    (a row of ``Deliverable.offices.through``)."""
    latest = Submission.objects.filter(
        deliverable_id=OuterRef("deliverable_id"), office_id=OuterRef("office_id")
    ).order_by("-version")
    return Subquery(latest.values(field)[:1])


class State:
    """A cell of the matrix. ``overdue`` wins over ``missing`` and ``returned``
    once the due date has passed."""

    MISSING = "missing"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    OVERDUE = "overdue"
    ALL = [MISSING, SUBMITTED, ACCEPTED, RETURNED, OVERDUE]


def cell_state(latest_status: str | None, due_date: dt.date, today: dt.date) -> str:
    if latest_status == Status.ACCEPTED:
        return State.ACCEPTED
    if latest_status == Status.SUBMITTED:
        return State.SUBMITTED
    if due_date < today:
        return State.OVERDUE
    if latest_status == Status.RETURNED:
        return State.RETURNED
    return State.MISSING


@dataclass
class Cell:
    deliverable: Deliverable
    office_id: int
    state: str
    version: int | None = None
    submitted_at: dt.datetime | None = None

    @property
    def needs_action(self) -> bool:
        return self.state in (State.MISSING, State.RETURNED, State.OVERDUE)


@dataclass
class MatrixRow:
    office_id: int
    office_name: str
    cells: list[Cell | None]  # one per deliverable, None where it doesn't apply
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Matrix:
    phase: Phase | None
    deliverables: list[Deliverable]
    rows: list[MatrixRow]
    totals: dict[str, int]  # state -> count

    @property
    def is_empty(self) -> bool:
        return not self.deliverables


def _pairs(today: dt.date) -> QuerySet[Any]:
    return Deliverable.offices.through.objects.annotate(
        latest_status=latest_submission("status"),
        latest_version=latest_submission("version"),
        latest_at=latest_submission("submitted_at"),
    ).select_related("office")


def completion_matrix(
    *, phase: Phase, today: dt.date, office_id: int | None = None, state: str | None = None
) -> Matrix:
    """Two queries: the phase's deliverables, and every (deliverable, office) pair
    with its latest version's status."""
    deliverables = list(Deliverable.objects.filter(phase=phase).order_by("order", "due_date", "pk"))
    by_id = {d.pk: d for d in deliverables}
    pairs = _pairs(today).filter(deliverable__phase=phase)
    if office_id is not None:
        pairs = pairs.filter(office_id=office_id)
    offices: dict[int, tuple[str, dict[int, Cell]]] = {}
    totals = dict.fromkeys(State.ALL, 0)
    for pair in pairs:
        deliverable = by_id[pair.deliverable_id]
        cell = Cell(
            deliverable,
            pair.office_id,
            cell_state(pair.latest_status, deliverable.due_date, today),
            pair.latest_version,
            pair.latest_at,
        )
        offices.setdefault(pair.office_id, (pair.office.name, {}))[1][pair.deliverable_id] = cell
    rows = []
    for office_pk, (name, cells) in sorted(offices.items(), key=lambda item: item[1][0]):
        if state and not any(c.state == state for c in cells.values()):
            continue
        counts = dict.fromkeys(State.ALL, 0)
        for cell in cells.values():
            counts[cell.state] += 1
            totals[cell.state] += 1
        rows.append(MatrixRow(office_pk, name, [cells.get(d.pk) for d in deliverables], counts))
    return Matrix(phase=phase, deliverables=deliverables, rows=rows, totals=totals)


def office_deliverables(*, office_id: int, campaign_id: int, today: dt.date) -> list[Cell]:
    """Every deliverable of the campaign that applies to one office, with its state: one query."""
    pairs = (
        _pairs(today)
        .filter(office_id=office_id, deliverable__phase__campaign_id=campaign_id)
        .select_related("deliverable", "deliverable__phase")
        .order_by("deliverable__phase__order", "deliverable__due_date", "deliverable__order", "deliverable_id")
    )
    return [
        Cell(
            p.deliverable,
            p.office_id,
            cell_state(p.latest_status, p.deliverable.due_date, today),
            p.latest_version,
            p.latest_at,
        )
        for p in pairs
    ]


def phase_deliverable_counts(campaign_id: int, today: dt.date) -> dict[int, dict[str, int]]:
    """Per phase: deliverables required (pairs) and accepted, in one query."""
    rows = (
        Deliverable.offices.through.objects.filter(deliverable__phase__campaign_id=campaign_id)
        .annotate(latest_status=latest_submission())
        .values("deliverable__phase_id")
        .annotate(required=Count("pk"), accepted=Count("pk", filter=Q(latest_status=Status.ACCEPTED)))
        .order_by()
    )
    return {r["deliverable__phase_id"]: {"required": r["required"], "accepted": r["accepted"]} for r in rows}


#: Deliverables not handed in yet are listed as needing action this many days before they are due.
SOON_DAYS = 14
ACTION_ORDER = {State.OVERDUE: 0, State.RETURNED: 1, State.MISSING: 2, State.SUBMITTED: 3}


def needing_action(*, office_id: int, campaign_id: int, today: dt.date) -> list[Cell]:
    """An office's overdue and returned deliverables, those due within ``SOON_DAYS``
    and those waiting for review, the most urgent first."""
    soon = today + dt.timedelta(days=SOON_DAYS)
    cells = [
        c
        for c in office_deliverables(office_id=office_id, campaign_id=campaign_id, today=today)
        if c.state in (State.OVERDUE, State.RETURNED, State.SUBMITTED)
        or (c.state == State.MISSING and c.deliverable.due_date <= soon)
    ]
    return sorted(cells, key=lambda c: (ACTION_ORDER[c.state], c.deliverable.due_date))


def waiting_by_phase(*, campaign_id: int, today: dt.date, state: str) -> list[tuple[Phase, int]]:
    """(phase, number of deliverable-office pairs in ``state``) for the campaign's phases
    that have any: one query for the pairs' latest versions and one for the phases."""
    counts: dict[int, int] = {}
    pairs = (
        Deliverable.offices.through.objects.filter(deliverable__phase__campaign_id=campaign_id)
        .annotate(latest_status=latest_submission())
        .values_list("latest_status", "deliverable__due_date", "deliverable__phase_id")  # type: ignore[misc]
    )
    for latest, due, phase_id in pairs:
        if cell_state(latest, due, today) == state:
            counts[phase_id] = counts.get(phase_id, 0) + 1
    if not counts:
        return []
    return [(phase, counts[phase.pk]) for phase in Phase.objects.filter(pk__in=counts).order_by("order")]
