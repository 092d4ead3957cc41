"""The problem list (问题清单) and the rectification ledger (整改台账), offered when
the rectification app is installed."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import CHUNK, Ledger, labels, local_date, office_param


def _rectification_allowed(user) -> bool:
    from rectification import rules

    return user.is_authenticated and (rules.sees_all(user) or rules.works_on(user))


def _problem_qs(user, campaign, params):
    from rectification.models import Problem

    qs = Problem.objects.visible_to(user).filter(campaign=campaign)
    if (office := office_param(params)) is not None:
        qs = qs.filter(office_id=office)
    return qs


def _problem_count(user, campaign, params):
    return _problem_qs(user, campaign, params).count()


def _problem_sheet(user, campaign, params, today):
    from rectification.models import Problem

    headers = [_("Office"), _("Problem"), _("Found through"), _("Severity"), _("Found on"), _("Commitments")]
    widths = [24, 60, 18, 12, 12, 10]
    sources, severities = labels(Problem.Source.choices), labels(Problem.Severity.choices)
    qs = (
        _problem_qs(user, campaign, params)
        .annotate(n=Count("commitments"))
        .order_by("office__name", "found_on", "pk")
        .values_list("office__name", "description", "source", "severity", "found_on", "n")
    )

    def rows():
        for office, description, source, severity, found_on, n in qs.iterator(chunk_size=CHUNK):
            yield [office, description, sources.get(source, source), severities.get(severity, severity), found_on, n]

    return _("Problem list"), headers, widths, rows()


def _rectification_qs(user, campaign, params):
    from rectification.models import Commitment

    qs = Commitment.objects.visible_to(user).filter(plan__campaign=campaign).exclude(status="draft")
    if (office := office_param(params)) is not None:
        qs = qs.filter(Q(plan__office_id=office) | Q(responsible_office_id=office))
    return qs


def _rectification_count(user, campaign, params):
    return _rectification_qs(user, campaign, params).count()


def _rectification_sheet(user, campaign, params, today):
    from django.db.models import Prefetch

    from rectification.models import Commitment, Problem

    headers = [
        _("Office"),
        _("No."),
        _("Problem"),
        _("What will be rectified"),
        _("Rectification measures"),
        _("Responsible office"),
        _("Responsible person"),
        _("Rectification deadline"),
        _("Completion"),
        _("Progress (%)"),
        _("Completed on"),
        _("Verification"),
        _("Handling"),
        _("Publication scope"),
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
            verification = (
                _("Verified on %(date)s") % {"date": local_date(c.verified_at).isoformat()}
                if c.status == "verified" and c.verified_at
                else not_verified
            )
            yield [
                c.plan.office.name,
                c.number,
                "；".join(p.description for p in c.problems.all()),
                c.content,
                c.measures,
                c.responsible_office.name,
                c.responsible_person,
                c.deadline,
                statuses.get(c.status, c.status),
                c.progress,
                local_date(c.completed_at),
                verification,
                handlings.get(c.handling, c.handling),
                scopes.get(c.scope, c.scope),
            ]

    return _("Rectification ledger"), headers, widths, rows()


PROBLEMS = Ledger(
    "problems",
    gettext_lazy("Problem list (问题清单)"),
    gettext_lazy(
        "Every problem found (查摆问题) that you may see: office, problem, how it was found, "
        "severity, date, and the commitments answering it."
    ),
    "problem-list",
    _rectification_allowed,
    _problem_count,
    _problem_sheet,
)


LEDGER = Ledger(
    "rectification",
    gettext_lazy("Rectification ledger (整改台账)"),
    gettext_lazy(
        "One row per published commitment: problem, measures, responsible office and person, "
        "deadline, completion and verification."
    ),
    "rectification-ledger",
    _rectification_allowed,
    _rectification_count,
    _rectification_sheet,
)
