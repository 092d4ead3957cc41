"""Reads for the citizens' public pages: unlocking a complaint with its access code,
what its complainant may see of it, published typical cases and the campaign's
aggregate figures. Nothing here ever touches ``ComplainantIdentity``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.figures import CampaignFigures
from kernel.percent import percent
from kernel.workcalendar import WorkCalendar, calendar_for

from . import codes, rules, services
from .models import Complaint, ComplaintEvent, ProblemType, TypicalCase

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

Status = Complaint.Status
Kind = ComplaintEvent.Kind
Rating = Complaint.Rating

#: Offices with fewer complaints than this are shown together as "Other offices",
#: so that a figure never points at a handful of people.
SMALL_OFFICE_THRESHOLD = 3


# --- Unlocking and showing one complaint --------------------------------------------
def complaint_unlock(*, tracking_number: str, access_code: str) -> Complaint | None:
    """The complaint if the number and the code belong together, else None.

    An unknown number costs a code check as a known one does, so the answer
    time does not tell which numbers exist."""
    complaint = (
        Complaint.objects.filter(tracking_number=tracking_number[:20])
        .only("pk", "tracking_number", "access_code_hash")
        .first()
    )
    if complaint is None:
        codes.dummy_check(services.normalise_access_code(access_code))
        return None
    return complaint if services.access_code_matches(complaint, access_code) else None


def complaint_for_complainant(*, tracking_number: str, unlocked_ids: Iterable[int]) -> Complaint | None:
    """The complaint behind ``tracking_number`` if this browser has unlocked it."""
    if not unlocked_ids:
        return None
    complaint: Complaint | None = (
        Complaint.objects.filter(tracking_number=tracking_number, pk__in=list(unlocked_ids))
        .select_related("office", "problem_type", "handling_office")
        .annotate(attachment_count=Count("attachments"))
        .first()
    )
    return complaint


# Worded for the complainant; the staff-facing labels are in ComplaintEvent.Kind.
PUBLIC_EVENT_LABELS: dict[str, _StrOrPromise] = {
    Kind.REGISTERED: _("Complaint registered"),
    Kind.ACCEPTED: _("Accepted by the complaint centre"),
    Kind.NOT_ACCEPTED: _("Not accepted"),
    Kind.TRANSFER_ACCEPTED: _("Taken over by the handling office"),
    Kind.INVESTIGATING: _("Investigation started"),
    Kind.INFO_REQUESTED: _("More information requested from you"),
    Kind.INFO_ADDED: _("You added information"),
    Kind.REPLIED: _("Reply sent"),
    Kind.RATED: _("You rated the reply"),
    Kind.REVIEW_REQUESTED: _("You asked for a review"),
    Kind.CLOSED: pgettext_lazy("complaint", "Closed"),
}


@dataclass(frozen=True)
class PublicEvent:
    kind: str
    label: _StrOrPromise
    at: dt.datetime
    note: str
    rating_label: _StrOrPromise = ""


def public_timeline(complaint: Complaint) -> list[PublicEvent]:
    """The public steps only: never internal notes, never who did it, never their office."""
    rows = (
        ComplaintEvent.objects.filter(complaint=complaint, is_public=True, kind__in=ComplaintEvent.PUBLIC_KINDS)
        .order_by("created_at", "pk")
        .values_list("kind", "created_at", "public_note", "data")
    )
    ratings: dict[str | None, _StrOrPromise] = dict(Rating.choices)
    return [
        PublicEvent(
            kind=kind,
            label=PUBLIC_EVENT_LABELS.get(kind, kind),
            at=at,
            note=note,
            rating_label=ratings.get((data or {}).get("rating"), "") if kind == Kind.RATED else "",
        )
        for kind, at, note, data in rows
    ]


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    days_left: int | None = None  # while the clock runs
    met: bool | None = None  # once the step was taken

    @property
    def running(self) -> bool:
        return self.days_left is not None

    @property
    def overdue_by(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


@dataclass(frozen=True)
class Deadlines:
    accept: Deadline
    complete: Deadline | None  # None once not accepted
    paused_since: dt.date | None


def public_deadlines(
    complaint: Complaint, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> Deadlines:
    """The two time limits as the complainant sees them: working days left while
    the clock runs, and whether each was met once the step is done."""
    today = today or timezone.localdate()
    calendar = calendar or calendar_for(today)

    def left(due: dt.date) -> int:
        return services.working_days_left(complaint, due, today, calendar)

    if complaint.status == Status.REGISTERED:
        accept = Deadline(complaint.accept_due, days_left=None if complaint.is_paused else left(complaint.accept_due))
    else:
        accept = Deadline(complaint.accept_due, met=complaint.accepted_on_time)
    if complaint.status == Status.NOT_ACCEPTED:
        complete = None
    elif complaint.status in rules.HANDLING:
        complete = Deadline(
            complaint.complete_due, days_left=None if complaint.is_paused else left(complaint.complete_due)
        )
    else:
        complete = Deadline(complaint.complete_due, met=complaint.replied_on_time)
    return Deadlines(accept=accept, complete=complete, paused_since=complaint.paused_since)


# --- Typical cases ------------------------------------------------------------------
def published_cases(*, kind: str | None = None) -> QuerySet[TypicalCase]:
    """Published typical cases with what the public may read of their complaint:
    its problem type and the office complained about, nothing else."""
    qs = (
        TypicalCase.objects.filter(published_at__lte=timezone.now())
        .select_related("complaint__problem_type", "complaint__office")
        .only(
            "kind",
            "title",
            "summary",
            "published_at",
            "complaint__problem_type__name",
            "complaint__problem_type__name_zh_hant",
            "complaint__problem_type__name_en",
            "complaint__office__name",
        )
    )
    if kind in TypicalCase.Kind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_at", "-pk")


# --- Public statistics ----------------------------------------------------------------
@dataclass
class Figures:
    label: _StrOrPromise = ""
    received: int = 0
    accepted: int = 0
    not_accepted: int = 0
    closed: int = 0
    closed_on_time: int = 0
    rated: int = 0
    satisfied: int = 0  # satisfied + basically satisfied
    offices: int = 1  # how many offices a grouped row stands for
    grouped: bool = False

    FIELDS = ("received", "accepted", "not_accepted", "closed", "closed_on_time", "rated", "satisfied")

    @classmethod
    def from_row(cls, row: dict[str, Any], label: _StrOrPromise = "") -> Figures:
        return cls(label=label, **{name: row[name] for name in cls.FIELDS})

    def add(self, other: Figures) -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return percent(part, whole)

    @property
    def on_time_rate(self) -> float | None:
        return self._share(self.closed_on_time, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._share(self.satisfied, self.rated)


def _figure_counts(prefix: str = "", **scope: Any) -> dict[str, Count]:
    """Conditional counts of complaints. ``prefix`` reaches them from another model;
    ``scope`` (e.g. ``campaign_id=3``) limits which complaints count."""

    def q(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in {**scope, **lookups}.items()})

    target = f"{prefix}pk" if prefix else "pk"
    return {
        "received": Count(target, filter=q()),
        "accepted": Count(target, filter=q(accepted_at__isnull=False)),
        "not_accepted": Count(target, filter=q(status=Status.NOT_ACCEPTED)),
        "closed": Count(target, filter=q(status=Status.CLOSED)),
        "closed_on_time": Count(target, filter=q(status=Status.CLOSED, replied_on_time=True)),
        "rated": Count(target, filter=q(rating__in=Rating.values)),
        "satisfied": Count(target, filter=q(rating__in=rules.SATISFIED_RATINGS)),
    }


@dataclass
class CampaignStatistics:
    total: Figures
    by_type: list[Figures] = field(default_factory=list)
    by_office: list[Figures] = field(default_factory=list)
    #: The campaign's level read by level of government (campaigns/levels.py): its own
    #: offices as one row, each level directly below (each district, for a city's
    #: campaign) as one row adding up all its offices; empty without a level below.
    by_level: list[Figures] = field(default_factory=list)
    threshold: int = SMALL_OFFICE_THRESHOLD
    as_of: dt.datetime | None = None  # when the counts were taken

    #: What the public page's charts show of each row, as (field, label).
    CHART_SERIES = (
        ("received", _("Received")),
        ("closed", pgettext_lazy("complaint", "Closed")),
        ("closed_on_time", _("Closed on time")),
    )

    def as_charts(self) -> dict[str, dict[str, Any]]:
        """The charts' data, from the same rows as the tables beside them (no query):
        for the page's data island, read by static/js/complaint_stats.js."""

        def chart(rows: list[Figures]) -> dict[str, Any]:
            return {
                "labels": [str(row.label) for row in rows],
                "series": [
                    {"label": str(label), "values": [getattr(row, name) for row in rows]}
                    for name, label in self.CHART_SERIES
                ],
            }

        return {"by-type": chart(self.by_type), "by-office": chart(self.by_office)}


def campaign_statistics(campaign_id: int, *, fresh: bool = False) -> CampaignStatistics:
    """Aggregate figures for one campaign. The counts are a snapshot taken at
    most FIGURES_MAX_AGE ago (kernel/figurecache.py): three aggregate queries
    over every complaint, then only the problem types (one small query) per page.
    ``fresh``: count now (what is frozen for publication must be exact)."""
    snap = STATISTICS.get(campaign_id, fresh=fresh)
    counts = snap.value
    total = Figures.from_row(counts["total"], label=_("All complaints"))
    return CampaignStatistics(
        total=total,
        by_type=_by_type(counts["types"]),
        by_office=_by_office(counts["offices"]),
        by_level=_by_level(counts.get("levels", [])),
        as_of=snap.computed_at,
    )


def statistics_counts(campaign_id: int) -> dict[str, Any]:
    """The counts behind the statistics, without labels (they depend on the reader's language)."""
    complaints = Complaint.objects.filter(campaign_id=campaign_id)
    # The campaign is a condition of each count, not a WHERE on the join, so a
    # type without complaints still shows, with zeros.
    types = ProblemType.objects.annotate(**_figure_counts("complaints__", campaign_id=campaign_id)).values(
        "pk", *Figures.FIELDS
    )
    offices = list(complaints.values("office_id", "office__name").annotate(**_figure_counts()).order_by())
    return {
        "total": complaints.aggregate(**_figure_counts()),
        "types": {row["pk"]: row for row in types},
        "offices": offices,
        "levels": level_counts(campaign_id, offices),
    }


def level_counts(campaign_id: int, offices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The per-office counts added up by level of government below the campaign's own
    level (campaigns/levels.py): its own offices first (``own``), then each level
    below by name. Empty for a campaign of the whole tree or a level with no level
    below. Two queries, taken with the snapshot (never per page)."""
    from campaigns.levels import ROW, group_by_level
    from campaigns.models import Campaign, Office
    from campaigns.models.offices import GOVERNMENT_LEVELS

    node = Campaign.objects.filter(pk=campaign_id).values_list("office__path", "office__name").first()
    if not node or not node[0]:
        return []
    top, top_name = node
    counted = {row["office_id"]: row for row in offices if row["office_id"]}
    tree = Office.objects.filter(path__startswith=top).filter(Q(pk__in=counted) | GOVERNMENT_LEVELS)
    grouped = group_by_level(top, tree.values_list(*ROW))
    if not grouped.below:
        return []

    def added(pks: list[int], name: str, own: bool) -> dict[str, Any]:
        rows = [counted[pk] for pk in pks if pk in counted]
        return {
            "name": name,
            "own": own,
            "offices": len(rows),
            **{key: sum(row[key] for row in rows) for key in Figures.FIELDS},
        }

    below = [added(pks, grouped.names[pk], False) for pk, pks in grouped.below.items()]
    return [added(grouped.own, top_name, True), *sorted(below, key=lambda row: row["name"])]


def _by_level(rows: list[dict[str, Any]]) -> list[Figures]:
    """The level rows; those with fewer complaints than the small-office threshold
    are added up in one row, as small offices are, so that no complainant can be
    recognised."""
    figures, other = [], Figures(label=_("Other levels of government"), offices=0, grouped=True)
    for row in rows:
        label = _("%(level)s (its own offices)") % {"level": row["name"]} if row["own"] else row["name"]
        level = Figures(label=label, offices=row["offices"], grouped=True, **{k: row[k] for k in Figures.FIELDS})
        if level.received < SMALL_OFFICE_THRESHOLD:
            other.add(level)
            other.offices += level.offices
        else:
            figures.append(level)
    if other.received:
        figures.append(other)
    return figures


STATISTICS = CampaignFigures("complaint-statistics", statistics_counts)


def _by_type(counts: dict[int, dict[str, int]]) -> list[Figures]:
    empty = dict.fromkeys(Figures.FIELDS, 0)
    figures = []
    for problem_type in ProblemType.objects.order_by("order", "pk"):
        row = counts.get(problem_type.pk, empty)
        if problem_type.is_active or row["received"] > 0:
            figures.append(Figures.from_row(row, label=problem_type.display_name))
    return figures


def _by_office(rows: list[dict[str, Any]]) -> list[Figures]:
    named, other, unspecified = [], Figures(label=_("Other offices"), offices=0, grouped=True), None
    for row in rows:
        figures = Figures.from_row(row, label=row["office__name"])
        if row["office_id"] is None:
            unspecified = figures
            figures.label, figures.offices = _("Office not specified"), 0
        elif figures.received < SMALL_OFFICE_THRESHOLD:
            other.add(figures)
            other.offices += 1
        else:
            named.append(figures)
    named.sort(key=lambda f: (-f.received, f.label))
    if other.offices:
        named.append(other)
    if unspecified is not None:
        named.append(unspecified)
    return named
