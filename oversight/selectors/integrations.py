"""Read-only use of the rectification and evaluations apps: the commitments and
appraisal columns of the scorecard, their ledgers, snapshots and summary parts.

Everything here reads those apps' models and public selectors; nothing writes to
them. Each family is offered only when its app is installed and importable."""

from __future__ import annotations

import datetime as dt
from functools import cache
from urllib.parse import urlencode

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .figures import AppraisalFigures, CommitmentFigures

EMPTY = {"commitments": CommitmentFigures, "appraisal": AppraisalFigures}


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
    return _importable("rectification", "models", "querysets", "rules", "services.results")


def rectification_results_available() -> bool:
    return commitments_available()


def appraisal_available() -> bool:
    return _importable("evaluations", "models", "selectors")


# --- Commitments (rectification) ---------------------------------------------------------------
DONE = ["completed", "verified"]
OPEN = ["published", "in_progress", "sent_back", "reopened"]


def commitment_figures(*, campaign_id: int, today: dt.date, office_ids=None) -> dict[int, CommitmentFigures]:
    """Per office that made them (the plan's office), published commitments only:
    two aggregate queries (commitments, public ratings)."""
    from rectification.models import Commitment, Rating

    commitments = Commitment.objects.filter(plan__campaign_id=campaign_id).exclude(status="draft")
    ratings = Rating.objects.filter(commitment__plan__campaign_id=campaign_id)
    if office_ids is not None:
        commitments = commitments.filter(plan__office_id__in=office_ids)
        ratings = ratings.filter(commitment__plan__office_id__in=office_ids)
    found: dict[int, CommitmentFigures] = {}
    for row in commitments.values("plan__office_id").annotate(
        made=Count("pk"),
        completed=Count("pk", filter=Q(status__in=DONE)),
        verified=Count("pk", filter=Q(status="verified")),
        overdue=Count("pk", filter=Q(status__in=OPEN, deadline__lt=today)),
    ).order_by():
        found[row["plan__office_id"]] = CommitmentFigures.from_row(row)
    for row in ratings.values("commitment__plan__office_id").annotate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(value__in=["satisfied", "basically"]))
    ).order_by():
        figures = found.setdefault(row["commitment__plan__office_id"], CommitmentFigures())
        figures.rated, figures.satisfied = row["rated"], row["satisfied"]
    return found


def can_open_commitments(user) -> bool:
    from rectification import rules

    return rules.can_open_staff_pages(user)


def commitment_links(state: str):
    """The scorecard's links to the commitments list (see ``columns.Links``): decided
    once per viewer, then one formatted URL per row."""
    params = {"verified": {"status": "verified"}, "overdue": {"overdue": "on"}}.get(state, {})

    def links(viewer):
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


def commitment_trend(campaign, today):
    """Commitments whose completion was claimed, per week (one query)."""
    from rectification.models import Commitment

    from .progress import Trend, _per_week, campaign_weeks

    weeks = campaign_weeks(campaign, today)
    rows = (
        Commitment.objects.filter(plan__campaign=campaign, status__in=DONE, completed_at__isnull=False)
        .annotate(day=TruncDate("completed_at")).values_list("day").annotate(n=Count("pk")).order_by()
    )
    return Trend(
        weeks, {"completed": _per_week(weeks, rows)}, {"completed": gettext_lazy("Completed")},
        title=gettext_lazy("Rectification commitments completed per week"),
        definition=gettext_lazy("Commitments of this campaign whose office reported them complete (completed or "
                                "verified), by the date completion was reported. Weeks start on Monday."),
    )


def overdue_commitments(user, office_id: int, campaign_id: int, today) -> list[dict]:
    from rectification.models import Commitment

    rows = (
        Commitment.objects.visible_to(user)
        .filter(plan__campaign_id=campaign_id, status__in=OPEN, deadline__lt=today)
        .filter(Q(plan__office_id=office_id) | Q(responsible_office_id=office_id))
        .select_related("plan__office").order_by("deadline", "pk")[:50]
    )
    return [{"title": f"{c.code} {c.content[:60]}", "deadline": c.deadline,
             "url": reverse("rectification-staff:commitment-detail", args=[c.pk])} for c in rows]


def rectification_results_snapshot(campaign, today) -> dict:
    """The rectification results as the rectification app published them (整改情况公布)."""
    from rectification.models import ResultsPublication

    publication = ResultsPublication.objects.filter(campaign=campaign).first()
    if publication is None:
        raise ValidationError(
            {"kind": _("The rectification results of this campaign are not published yet; the campaign office "
                       "publishes them on the rectification results page first.")}, code="not_published")
    rows = list(publication.rows.order_by("office_name"))
    return {
        "campaign": campaign.name,
        "published_at": publication.published_at.isoformat(),
        "summary": publication.note,
        "offices": [{"office": r.office_name, "commitments": r.made, "completed": r.completed,
                     "verified": r.verified, "overdue": r.overdue, "reopened": r.reopened, "ratings": r.ratings,
                     "satisfaction": r.satisfaction_rate} for r in rows],
    }


def rectification_summary(campaign, today) -> dict:
    """Live figures per office for the internal summary report."""
    from rectification.services.results import office_figures

    return {"offices": [{"office": f.office_name, "commitments": f.made, "completed": f.completed,
                         "verified": f.verified, "satisfaction": f.satisfaction_rate}
                        for f in office_figures(campaign_id=campaign.pk, day=today)]}


# --- Appraisal (evaluations) -------------------------------------------------------------------
def latest_survey(campaign_id: int):
    from evaluations.models import Survey

    return Survey.objects.published().filter(campaign_id=campaign_id).order_by("-published_at", "-pk").first()


def _float(value):
    return float(value) if value is not None else None


def appraisal_figures(*, campaign_id: int, today: dt.date, office_ids=None) -> dict[int, AppraisalFigures]:
    """Composite score and rank of each office in the campaign's latest published survey
    (evaluations.selectors.survey_results: a fixed number of queries)."""
    survey = latest_survey(campaign_id)
    if survey is None:
        return {}
    found = {}
    for office_id, score, rank in _appraisal_scores(survey):
        if office_ids is not None and office_id not in office_ids:
            continue
        found[office_id] = AppraisalFigures(score, rank, survey.pk, survey.title)
    return found


def _appraisal_scores(survey) -> list[tuple[int, float | None, int | None]]:
    """(office id, composite score, rank) of every office the survey appraised.

    Published results cannot change (see ``survey_results``), so, like the full results
    the evaluations app keeps, these are kept in the cache per publication; only the
    three figures the scorecard shows: the full results of 300 offices take ~10 ms to
    unpickle on every dashboard view, these take well under one."""
    from campaigns import figurecache
    from django.core.cache import cache
    from evaluations.selectors import survey_results

    def count():
        return [(r.office.pk, _float(r.composite_score), r.rank) for r in survey_results(survey).offices]

    if not (survey.published_at and figurecache.max_age() > 0):
        return count()
    key = f"oversight-appraisal-scores:v1:{survey.pk}:{survey.published_at.isoformat()}"
    scores = cache.get(key)
    if scores is None:
        scores = count()
        cache.set(key, scores, timeout=None)
    return scores


def appraisal_links(viewer):
    """The office's row on the published survey's public results page (no query; one
    URL reversed per survey, the same as ``evaluations.selectors.result_url``)."""
    bases: dict[int, str] = {}

    def link(row):
        survey_id = row.appraisal.survey_id
        if not survey_id:
            return None
        base = bases.get(survey_id)
        if base is None:
            base = bases[survey_id] = reverse("evaluations:results", args=[survey_id])
        return f"{base}#office-{row.office_id}"

    return link


def _ranking(campaign) -> dict | None:
    from evaluations.selectors import survey_results

    survey = latest_survey(campaign.pk)
    if survey is None:
        return None
    results = survey_results(survey)
    return {
        "survey": survey.title,
        "published_at": survey.published_at.isoformat() if survey.published_at else "",
        "offices": [{"rank": r.rank, "office": r.office.name, "score": _float(r.composite_score),
                     "rate": _float(r.composite_rate), "valid": r.valid,
                     "most_satisfactory": r.most_satisfactory, "lagging": r.lagging} for r in results.offices],
    }


def appraisal_ranking_snapshot(campaign, today) -> dict:
    ranking = _ranking(campaign)
    if ranking is None:
        raise ValidationError(
            {"kind": _("No appraisal survey of this campaign is published yet.")}, code="not_published")
    return ranking


def appraisal_summary(campaign, today):
    return _ranking(campaign)


# --- Ledgers ----------------------------------------------------------------------------------
def ledgers(ledger_class) -> dict:
    found = {}
    if commitments_available():
        found["problems"] = ledger_class(
            "problems", gettext_lazy("Problem list (问题清单)"),
            gettext_lazy("Every problem found (查摆问题) that you may see: office, problem, how it was found, "
                         "severity, date, and the commitments answering it."),
            "problem-list", _rectification_allowed, _problem_count, _problem_sheet)
        found["rectification"] = ledger_class(
            "rectification", gettext_lazy("Rectification ledger (整改台账)"),
            gettext_lazy("One row per published commitment: problem, measures, responsible office and person, "
                         "deadline, completion and verification."),
            "rectification-ledger", _rectification_allowed, _rectification_count, _rectification_sheet)
    if appraisal_available():
        found["appraisal"] = ledger_class(
            "appraisal", gettext_lazy("Appraisal results"),
            gettext_lazy("The ranking of the campaign's latest published appraisal survey."),
            "appraisal-results", _appraisal_allowed, lambda user, campaign, params: 0, _appraisal_sheet)
    return found


def _rectification_allowed(user) -> bool:
    from rectification import rules

    return user.is_authenticated and (rules.sees_all(user) or rules.works_on(user))


def _office_param(params):
    value = str((params or {}).get("office") or "")
    return int(value) if value.isdigit() else None


def _problem_qs(user, campaign, params):
    from rectification.models import Problem

    qs = Problem.objects.visible_to(user).filter(campaign=campaign)
    if (office := _office_param(params)) is not None:
        qs = qs.filter(office_id=office)
    return qs


def _problem_count(user, campaign, params):
    return _problem_qs(user, campaign, params).count()


def _problem_sheet(user, campaign, params, today):
    from rectification.models import Problem

    from ..ledgers import CHUNK, labels

    headers = [_("Office"), _("Problem"), _("Found through"), _("Severity"), _("Found on"), _("Commitments")]
    widths = [24, 60, 18, 12, 12, 10]
    sources, severities = labels(Problem.Source.choices), labels(Problem.Severity.choices)
    qs = (_problem_qs(user, campaign, params).annotate(n=Count("commitments"))
          .order_by("office__name", "found_on", "pk")
          .values_list("office__name", "description", "source", "severity", "found_on", "n"))

    def rows():
        for office, description, source, severity, found_on, n in qs.iterator(chunk_size=CHUNK):
            yield [office, description, sources.get(source, source), severities.get(severity, severity),
                   found_on, n]

    return _("Problem list"), headers, widths, rows()


def _rectification_qs(user, campaign, params):
    from rectification.models import Commitment

    qs = Commitment.objects.visible_to(user).filter(plan__campaign=campaign).exclude(status="draft")
    if (office := _office_param(params)) is not None:
        qs = qs.filter(Q(plan__office_id=office) | Q(responsible_office_id=office))
    return qs


def _rectification_count(user, campaign, params):
    return _rectification_qs(user, campaign, params).count()


def _rectification_sheet(user, campaign, params, today):
    from django.db.models import Prefetch

    from rectification.models import Commitment, Problem

    from ..ledgers import CHUNK, labels, local_date

    headers = [
        _("Office"), _("No."), _("Problem"), _("What will be rectified"), _("Rectification measures"),
        _("Responsible office"), _("Responsible person"), _("Rectification deadline"), _("Completion"),
        _("Progress (%)"), _("Completed on"), _("Verification"), _("Handling"), _("Publication scope"),
    ]
    widths = [22, 8, 40, 36, 44, 22, 14, 12, 22, 10, 12, 22, 18, 16]
    statuses, handlings = labels(Commitment.Status.choices), labels(Commitment.Handling.choices)
    scopes = labels(Commitment.Scope.choices)
    not_verified = _("Not verified yet")
    qs = (
        _rectification_qs(user, campaign, params)
        .select_related("plan__office", "responsible_office")
        .prefetch_related(Prefetch("problems", queryset=Problem.objects.only("pk", "description")))
        .order_by("plan__office__name", "number")
    )

    def rows():
        for c in qs.iterator(chunk_size=CHUNK):
            verification = (_("Verified on %(date)s") % {"date": local_date(c.verified_at).isoformat()}
                            if c.status == "verified" and c.verified_at else not_verified)
            yield [
                c.plan.office.name, c.number, "；".join(p.description for p in c.problems.all()), c.content,
                c.measures, c.responsible_office.name, c.responsible_person, c.deadline,
                statuses.get(c.status, c.status), c.progress, local_date(c.completed_at), verification,
                handlings.get(c.handling, c.handling), scopes.get(c.scope, c.scope),
            ]

    return _("Rectification ledger"), headers, widths, rows()


def _appraisal_allowed(user) -> bool:
    from ..querysets import reads_all

    return reads_all(user)


def _appraisal_sheet(user, campaign, params, today):
    ranking = _ranking(campaign) or {"survey": "", "offices": []}
    headers = [_("Rank"), _("Office"), _("Composite score"), _("Satisfaction (%)"), _("Valid ratings"),
               _("Most satisfactory"), _("Lagging")]
    widths = [8, 26, 14, 14, 12, 12, 10]
    yes, no = _("Yes"), _("No")

    def rows():
        for r in ranking["offices"]:
            yield [r["rank"], r["office"], r["score"], r["rate"], r["valid"],
                   yes if r["most_satisfactory"] else no, yes if r["lagging"] else no]

    return ranking["survey"] or _("Appraisal results"), headers, widths, rows()
