"""The scorecard's columns: label, definition (the legend and the hover text), value
and the filtered list each figure links to. One list for the campaign dashboard,
the office dashboard and the summary, so the three never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import reads_all
from .selectors import integrations

if TYPE_CHECKING:
    from campaigns.models import User

    from .selectors.scorecard import ScorecardRow

GROUPS = {
    "tasks": _("Tasks"),
    "complaints": _("Complaints about the office"),
    "commitments": _("Rectification commitments"),
    "appraisal": _("Democratic appraisal"),
    "deliverables": _("Phase deliverables"),
}


#: A column's links, decided once per table: ``links(viewer)`` checks what the viewer
#: may open and reverses the URL once, and returns ``link(row) -> url or None`` for
#: each row (string formatting only: a table has offices × columns cells).
Links = Callable[["User"], Callable[["ScorecardRow"], "str | None"]]


@dataclass(frozen=True)
class Column:
    key: str
    group: str
    label: Promise
    definition: Promise
    value: Callable
    percent: bool = False
    links: Links | None = None
    total: Callable | None = None  # the "of n" shown beside the value

    @property
    def group_label(self) -> str:
        return str(GROUPS[self.group])


@dataclass(frozen=True)
class CellView:
    key: str
    value: object
    percent: bool
    href: str | None
    title: str
    of: object = None


def no_link(row) -> None:
    return None


def query_tail(**params) -> str:
    """``&a=1&b=2`` for the parameters that follow ``?office=<id>`` (empty values left out)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"&{query}" if query else ""


def _url(name: str, anchor: str = "", **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _tasks(state=""):
    """The task list (``staff:tasks``), of the row's office, showing ``state`` only."""

    def links(viewer):
        if reads_all(viewer) or viewer.is_superuser:
            base, tail = reverse("staff:tasks"), query_tail(state=state)
            return lambda row: f"{base}?office={row.office_id}{tail}"
        own = viewer.office_id
        if own is None:
            return no_link
        url = _url("staff:tasks", state=state)
        return lambda row: url if row.office_id == own else None

    return links


def _complaints(status=""):
    def links(viewer):
        from complaints import rules

        if not rules.reads_all_complaints(viewer):
            return no_link
        # Nobody opens complaints about their own office (the queue leaves them out).
        own = viewer.office_id
        base, tail = reverse("complaints-staff:queue"), query_tail(status=status)
        return lambda row: None if row.office_id == own else f"{base}?office={row.office_id}{tail}"

    return links


def _deliverables(state=""):
    def links(viewer):
        if reads_all(viewer):
            base, tail = reverse("oversight-staff:deliverables"), query_tail(state=state)
            return lambda row: f"{base}?office={row.office_id}{tail}"
        own = viewer.office_id
        if own is None:
            return no_link
        url = _url("oversight-staff:deliverables-mine")
        return lambda row: url if row.office_id == own else None

    return links


COLUMNS = [
    Column(
        "tasks-total",
        "tasks",
        _("Total"),
        _("Tasks of this campaign the office is assigned to, as lead office or co-office."),
        lambda r: r.tasks.total,
        links=_tasks(),
    ),
    Column(
        "tasks-done",
        "tasks",
        _("Done"),
        _("Of these, tasks the lead office has marked done."),
        lambda r: r.tasks.done,
        links=_tasks("done"),
        total=lambda r: r.tasks.total,
    ),
    Column(
        "tasks-on-time",
        "tasks",
        _("Done on time"),
        _("Done tasks completed (local date) on or before the task's deadline."),
        lambda r: r.tasks.done_on_time,
        links=_tasks("done"),
        total=lambda r: r.tasks.done,
    ),
    Column(
        "tasks-overdue",
        "tasks",
        _("Overdue"),
        _(
            "Tasks not done whose due date for this office (its own due date, else the task's deadline) is "
            "before today; a co-office's part already submitted or waived does not count."
        ),
        lambda r: r.tasks.overdue,
        links=_tasks("overdue"),
    ),
    Column(
        "complaints-received",
        "complaints",
        _("Received"),
        _("Complaints about this office registered in this campaign, from every channel."),
        lambda r: r.complaints.received,
        links=_complaints(),
    ),
    Column(
        "complaints-closed",
        "complaints",
        _("Closed"),
        _("Of these, complaints whose handling is finished (status closed)."),
        lambda r: r.complaints.closed,
        links=_complaints("closed"),
        total=lambda r: r.complaints.received,
    ),
    Column(
        "complaints-on-time",
        "complaints",
        _("Closed on time"),
        _(
            "Closed complaints whose reply was sent within the completion time limit, as a share of the closed "
            "ones (closed on time ÷ closed)."
        ),
        lambda r: r.complaints.on_time_rate,
        percent=True,
        links=_complaints("closed"),
    ),
    Column(
        "complaints-satisfaction",
        "complaints",
        _("Satisfaction"),
        _(
            "Complaints rated “satisfied” or “basically satisfied” by the complainant, as a share of the rated "
            "ones; complaints without a rating are left out."
        ),
        lambda r: r.complaints.satisfaction_rate,
        percent=True,
        links=_complaints("closed"),
    ),
]


def _commitment_columns() -> list[Column]:
    link = integrations.commitment_links
    return [
        Column(
            "commitments-made",
            "commitments",
            _("Made"),
            _(
                "Published rectification commitments (整改承诺) in this office's plan for this campaign; "
                "drafts are left "
                "out."
            ),
            lambda r: r.commitments.made,
            links=link(""),
        ),
        Column(
            "commitments-completed",
            "commitments",
            _("Completed"),
            _("Commitments the office reported complete (completed or verified)."),
            lambda r: r.commitments.completed,
            links=link("completed"),
            total=lambda r: r.commitments.made,
        ),
        Column(
            "commitments-verified",
            "commitments",
            _("Verified"),
            _("Completed commitments the campaign office has verified."),
            lambda r: r.commitments.verified,
            links=link("verified"),
            total=lambda r: r.commitments.completed,
        ),
        Column(
            "commitments-overdue",
            "commitments",
            _("Overdue"),
            _("Commitments still open after their deadline."),
            lambda r: r.commitments.overdue,
            links=link("overdue"),
        ),
        Column(
            "commitments-satisfaction",
            "commitments",
            _("Public satisfaction"),
            _(
                "Public ratings of the office's commitments that are “satisfied” or “basically satisfied”, as a "
                "share of all public ratings."
            ),
            lambda r: r.commitments.satisfaction_rate,
            percent=True,
            links=link(""),
        ),
    ]


def _appraisal_columns() -> list[Column]:
    link = integrations.appraisal_links
    return [
        Column(
            "appraisal-score",
            "appraisal",
            _("Composite score"),
            _(
                "The composite score of the latest published appraisal survey of the campaign: each respondent "
                "group's average score weighted by the group's weight."
            ),
            lambda r: r.appraisal.score,
            links=link,
        ),
        Column(
            "appraisal-rank",
            "appraisal",
            _("Rank"),
            _("The office's rank by composite score in that survey (1 is best)."),
            lambda r: r.appraisal.rank,
            links=link,
        ),
    ]


DELIVERABLE_COLUMNS = [
    Column(
        "deliverables-accepted",
        "deliverables",
        pgettext_lazy("deliverable", "Accepted"),
        _(
            "Deliverables that apply to the office whose latest version the campaign office accepted, out of all "
            "that apply to it."
        ),
        lambda r: r.deliverables.accepted,
        links=_deliverables(),
        total=lambda r: r.deliverables.required,
    ),
    Column(
        "deliverables-overdue",
        "deliverables",
        _("Overdue"),
        _("Deliverables past their due date with no version accepted or awaiting review."),
        lambda r: r.deliverables.overdue,
        links=_deliverables("overdue"),
    ),
]


def columns_for(card) -> list[Column]:
    columns = list(COLUMNS)
    if card.has_commitments:
        columns += _commitment_columns()
    if card.has_appraisal:
        columns += _appraisal_columns()
    return columns + DELIVERABLE_COLUMNS


def header_groups(columns: list[Column]) -> list[tuple[str, str, int]]:
    groups: list[tuple[str, str, int]] = []
    for column in columns:
        if groups and groups[-1][0] == column.group:
            key, label, span = groups[-1]
            groups[-1] = (key, label, span + 1)
        else:
            groups.append((column.group, str(GROUPS[column.group]), 1))
    return groups


def table_context(card, viewer, sort: str = "office", total=None) -> dict:
    """The scorecard table's context. Everything that is the same for every row (each
    column's definition and links, the viewer's permissions) is worked out once; a
    row is then its figures and string-formatted URLs (``oversight_tags.scorecard_cells``
    writes its HTML)."""
    columns = columns_for(card)
    headers = []
    for column in columns:
        aria = "ascending" if sort == column.key else "descending" if sort == f"-{column.key}" else "none"
        headers.append((column, f"-{column.key}" if sort == column.key else column.key, aria))
    plan = [
        (
            column.key,
            column.value,
            column.percent,
            column.links(viewer) if column.links else no_link,
            str(column.definition),
            column.total,
        )
        for column in columns
    ]

    def cells(row, linked: bool) -> list[CellView]:
        return [
            CellView(key, value(row), percent, link(row) if linked else None, title, total(row) if total else None)
            for key, value, percent, link, title, total in plan
        ]

    return {
        "columns": columns,
        "headers": headers,
        "office_sort": "-office" if sort == "office" else "office",
        "office_aria": "ascending" if sort == "office" else "descending" if sort == "-office" else "none",
        "groups": header_groups(columns),
        # A level's row (the roll-up, oversight/selectors/rollup.py) sums several
        # offices: its figures open no office's list; the reader opens the level.
        "table_rows": [(row, cells(row, linked=not getattr(row, "open_url", ""))) for row in card.rows],
        "total_row": (total, cells(total, linked=False)) if total is not None else None,
    }
