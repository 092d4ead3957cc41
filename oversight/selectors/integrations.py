"""Read-only use of the rectification and evaluations apps: the commitments and
appraisal columns of the scorecard, snapshots and summary parts (their ledgers are
oversight/ledgers/rectification.py and appraisal.py).

Everything here reads those apps' models and public selectors; nothing writes to
them. Each family is offered only when its app is installed and importable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias
from urllib.parse import urlencode

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .figures import AppraisalFigures, CommitmentFigures
from .progress import Trend, _per_week, campaign_weeks

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from campaigns.models import Campaign, Office, User
    from evaluations.models import Survey

    from ..columns import Links

EMPTY: dict[str, Callable[[], object]] = {"commitments": CommitmentFigures, "appraisal": AppraisalFigures}


class Row(Protocol):
    """What a link reads of a scorecard row (``scorecard.ScorecardRow``, which imports
    this module: the selectors import one another without a cycle)."""

    @property
    def office_id(self) -> int: ...

    @property
    def appraisal(self) -> AppraisalFigures: ...


#: (office id, composite score, rank) of an office in a survey.
AppraisalScore: TypeAlias = tuple[int, float | None, int | None]


@cache
def _importable(app: str, *modules: str) -> bool:
    if not apps.is_installed(app):
        return False
    try:
        for module in modules:
            __import__(f"{app}.{module}")
    except ImportError:
        return False
    return True


def commitments_available() -> bool:
    return _importable("rectification", "models", "figures", "querysets", "rules", "services.results")


def rectification_results_available() -> bool:
    return commitments_available()


def appraisal_available() -> bool:
    return _importable("evaluations", "models", "selectors")


# --- Commitments (rectification) ---------------------------------------------------------------
def commitment_figures(
    *, campaign_id: int, today: dt.date, office_ids: Collection[int] | None = None
) -> dict[int, CommitmentFigures]:
    """Per office that made them, as rectification counts them (``rectification.figures``:
    two aggregate queries); "satisfied" here is satisfied or basically satisfied."""
    from rectification.figures import commitment_counts

    return {
        office_id: CommitmentFigures(
            made=c.made,
            completed=c.completed,
            verified=c.verified,
            overdue=c.overdue,
            rated=c.ratings,
            satisfied=c.satisfied + c.basically,
        )
        for office_id, c in commitment_counts(campaign_id=campaign_id, day=today, office_ids=office_ids).items()
    }


def can_open_commitments(user: User | AnonymousUser) -> bool:
    from rectification import rules

    return rules.can_open_staff_pages(user)


def commitment_links(state: str) -> Links:
    """The scorecard's links to the commitments list (see ``columns.Links``): decided
    once per viewer, then one formatted URL per row."""
    params = {"verified": {"status": "verified"}, "overdue": {"overdue": "on"}}.get(state, {})

    def links(viewer: User) -> Callable[[Row], str | None]:
        from rectification import rules

        base = reverse("rectification-staff:commitments")
        if rules.sees_all(viewer):
            tail = f"&{urlencode(params)}" if params else ""
            return lambda row: f"{base}?office={row.office_id}{tail}"
        own = viewer.office_id
        if own is None or not rules.can_open_staff_pages(viewer):
            return lambda row: None
        query = urlencode(params)
        url = base + (f"?{query}" if query else "")
        return lambda row: url if row.office_id == own else None

    return links


def commitment_trend(campaign: Campaign, today: dt.date) -> Trend:
    """Commitments whose completion was claimed, per week (one query)."""
    from rectification.models import Commitment

    weeks = campaign_weeks(campaign, today)
    rows = (
        Commitment.objects.filter(
            plan__campaign=campaign, status__in=Commitment.DONE_STATUSES, completed_at__isnull=False
        )
        .annotate(day=TruncDate("completed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Trend(
        weeks,
        {"completed": _per_week(weeks, rows)},
        {"completed": gettext_lazy("Completed")},
        title=gettext_lazy("Rectification commitments completed per week"),
        definition=gettext_lazy(
            "Commitments of this campaign whose office reported them complete (completed or "
            "verified), by the date completion was reported. Weeks start on Monday."
        ),
    )


def overdue_commitments(user: User, office_id: int, campaign_id: int, today: dt.date) -> list[dict[str, Any]]:
    from rectification.models import Commitment

    rows = (
        Commitment.objects.visible_to(user)
        .filter(plan__campaign_id=campaign_id, status__in=Commitment.OPEN_STATUSES, deadline__lt=today)
        .filter(Q(plan__office_id=office_id) | Q(responsible_office_id=office_id))
        .select_related("plan__office")
        .order_by("deadline", "pk")[:50]
    )
    return [
        {
            "title": f"{c.code} {c.content[:60]}",
            "deadline": c.deadline,
            "url": reverse("rectification-staff:commitment-detail", args=[c.pk]),
        }
        for c in rows
    ]


def rectification_results_snapshot(campaign: Campaign, today: dt.date) -> dict[str, Any]:
    """The rectification results as the rectification app published them (整改情况公布)."""
    from rectification.models import ResultsPublication

    publication = ResultsPublication.objects.filter(campaign=campaign).first()
    if publication is None:
        raise ValidationError(
            {
                "kind": _(
                    "The rectification results of this campaign are not published yet; the campaign office "
                    "publishes them on the rectification results page first."
                )
            },
            code="not_published",
        )
    rows = list(publication.rows.order_by("office_name"))
    return {
        "campaign": campaign.name,
        "published_at": publication.published_at.isoformat(),
        "summary": publication.note,
        "offices": [
            {
                "office": r.office_name,
                "commitments": r.made,
                "completed": r.completed,
                "verified": r.verified,
                "overdue": r.overdue,
                "reopened": r.reopened,
                "ratings": r.ratings,
                "satisfaction": r.satisfaction_rate,
            }
            for r in rows
        ],
    }


def rectification_summary(campaign: Campaign, today: dt.date, reach: QuerySet[Office]) -> dict[str, Any]:
    """Live figures per office in ``reach`` (the reader's) for the internal summary report."""
    from rectification.services.results import office_figures

    return {
        "offices": [
            {
                "office": f.office_name,
                "commitments": f.made,
                "completed": f.completed,
                "verified": f.verified,
                "satisfaction": f.satisfaction_rate,
            }
            for f in office_figures(campaign_id=campaign.pk, day=today, offices=reach)
        ]
    }


# --- Appraisal (evaluations) -------------------------------------------------------------------
def latest_survey(campaign_id: int) -> Survey | None:
    from evaluations.models import Survey

    return Survey.objects.published().filter(campaign_id=campaign_id).order_by("-published_at", "-pk").first()


def _float(value: Decimal | float | None) -> float | None:
    return float(value) if value is not None else None


def appraisal_figures(
    *, campaign_id: int, today: dt.date, office_ids: Collection[int] | None = None
) -> dict[int, AppraisalFigures]:
    """Composite score and rank of each office in the campaign's latest published survey
    (evaluations.selectors.survey_results: a fixed number of queries)."""
    survey = latest_survey(campaign_id)
    if survey is None:
        return {}
    found: dict[int, AppraisalFigures] = {}
    for office_id, score, rank in _appraisal_scores(survey):
        if office_ids is not None and office_id not in office_ids:
            continue
        found[office_id] = AppraisalFigures(score, rank, survey.pk, survey.title)
    return found


def _appraisal_scores(survey: Survey) -> list[AppraisalScore]:
    """(office id, composite score, rank) of every office the survey appraised.

    Published results cannot change (see ``survey_results``), so, like the full results
    the evaluations app keeps, these are kept in the cache per publication; only the
    three figures the scorecard shows: the full results of 300 offices take ~10 ms to
    unpickle on every dashboard view, these take well under one."""
    from django.core.cache import cache

    from evaluations.selectors import survey_results
    from kernel import figurecache

    def count() -> list[AppraisalScore]:
        return [(r.office.pk, _float(r.composite_score), r.rank) for r in survey_results(survey).offices]

    if not (survey.published_at and figurecache.max_age() > 0):
        return count()
    key = f"oversight-appraisal-scores:v1:{survey.pk}:{survey.published_at.isoformat()}"
    scores: list[AppraisalScore] | None = cache.get(key)
    if scores is None:
        scores = count()
        cache.set(key, scores, timeout=None)
    return scores


def appraisal_links(viewer: User) -> Callable[[Row], str | None]:
    """The office's row on the published survey's public results page (no query; one
    URL reversed per survey, the same as ``evaluations.selectors.result_url``)."""
    bases: dict[int, str] = {}

    def link(row: Row) -> str | None:
        survey_id = row.appraisal.survey_id
        if not survey_id:
            return None
        base = bases.get(survey_id)
        if base is None:
            base = bases[survey_id] = reverse("evaluations:results", args=[survey_id])
        return f"{base}#office-{row.office_id}"

    return link


def _ranking(campaign: Campaign) -> dict[str, Any] | None:
    from evaluations.selectors import survey_results

    survey = latest_survey(campaign.pk)
    if survey is None:
        return None
    results = survey_results(survey)
    return {
        "survey": survey.title,
        "published_at": survey.published_at.isoformat() if survey.published_at else "",
        "offices": [
            {
                "rank": r.rank,
                "office": r.office.name,
                "score": _float(r.composite_score),
                "rate": _float(r.composite_rate),
                "valid": r.valid,
                "most_satisfactory": r.most_satisfactory,
                "lagging": r.lagging,
            }
            for r in results.offices
        ],
    }


def appraisal_ranking_snapshot(campaign: Campaign, today: dt.date) -> dict[str, Any]:
    ranking = _ranking(campaign)
    if ranking is None:
        raise ValidationError(
            {"kind": _("No appraisal survey of this campaign is published yet.")}, code="not_published"
        )
    return ranking


def appraisal_summary(campaign: Campaign, today: dt.date) -> dict[str, Any] | None:
    return _ranking(campaign)
