"""The figures a disclosure item freezes, built when the item is prepared.

A snapshot is plain JSON: numbers, dates as ISO strings, and names in every
language the public site speaks where the live data has them, so that a page
rendered years later in any language shows exactly what was published."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from kernel.percent import percent as share

from .models import DisclosureItem
from .selectors import integrations
from .selectors.progress import phase_progress
from .selectors.scorecard import complaint_counts

Kind = DisclosureItem.Kind


def available_kinds() -> list[str]:
    kinds: list[str] = [Kind.PROGRESS, Kind.COMPLAINT_STATISTICS]
    if integrations.rectification_results_available():
        kinds.append(Kind.RECTIFICATION_RESULTS)
    if integrations.appraisal_available():
        kinds.append(Kind.APPRAISAL_RANKING)
    return kinds


def default_title(kind: str, campaign: Campaign, today: dt.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(what)s (as of %(date)s)") % {"what": Kind(kind).label, "date": today.isoformat()}


def progress_snapshot(campaign: Campaign, today: dt.date) -> dict:
    phases = phase_progress(campaign, today, with_deliverables=False)
    total = sum(p.task_total for p in phases)
    done = sum(p.task_done for p in phases)
    return {
        "campaign": campaign.name,
        "start_date": campaign.start_date.isoformat(),
        "end_date": campaign.end_date.isoformat(),
        "phases": [p.as_dict() for p in phases],
        "task_total": total,
        "task_done": done,
        "progress": share(done, total),
    }


FIGURE_FIELDS = ("received", "accepted", "not_accepted", "closed", "closed_on_time", "rated", "satisfied")


def _figures(obj) -> dict:
    get = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name)
    values = {name: get(name) or 0 for name in FIGURE_FIELDS}
    values["on_time_rate"] = share(values["closed_on_time"], values["closed"])
    values["satisfaction_rate"] = share(values["satisfied"], values["rated"])
    return values


def complaint_statistics_snapshot(campaign: Campaign, today: dt.date) -> dict:
    """The public complaint statistics (small offices grouped, as on the public
    figures page) with problem-type names in all three languages."""
    from django.db.models import Count

    from complaints.models import Complaint, ProblemType
    from complaints.selectors import SMALL_OFFICE_THRESHOLD, campaign_statistics

    stats = campaign_statistics(campaign.pk, fresh=True)
    counts = complaint_counts("complaints__", campaign_id=campaign.pk)
    counts["accepted"] = Count(
        "complaints__pk", filter=Q(complaints__campaign_id=campaign.pk, complaints__accepted_at__isnull=False)
    )
    counts["not_accepted"] = Count(
        "complaints__pk",
        filter=Q(complaints__campaign_id=campaign.pk, complaints__status=Complaint.Status.NOT_ACCEPTED),
    )
    types = ProblemType.objects.annotate(**counts).filter(Q(is_active=True) | Q(received__gt=0)).order_by("order", "pk")
    by_type = [
        {
            "names": {"zh-hans": t.name, "zh-hant": t.name_zh_hant or t.name, "en": t.name_en or t.name},
            **_figures(vars(t)),
        }
        for t in types
    ]
    by_office = []
    for row in stats.by_office:
        kind = "grouped" if row.grouped else "unspecified" if row.offices == 0 else "office"
        by_office.append(
            {"kind": kind, "name": row.label if kind == "office" else "", "offices": row.offices, **_figures(row)}
        )
    return {
        "campaign": campaign.name,
        "total": _figures(stats.total),
        "by_type": by_type,
        "by_office": by_office,
        "threshold": SMALL_OFFICE_THRESHOLD,
    }


def build(kind: str, campaign: Campaign, today: dt.date) -> dict:
    if kind == Kind.PROGRESS:
        return progress_snapshot(campaign, today)
    if kind == Kind.COMPLAINT_STATISTICS:
        return complaint_statistics_snapshot(campaign, today)
    if kind == Kind.RECTIFICATION_RESULTS and kind in available_kinds():
        return integrations.rectification_results_snapshot(campaign, today)
    if kind == Kind.APPRAISAL_RANKING and kind in available_kinds():
        return integrations.appraisal_ranking_snapshot(campaign, today)
    raise ValidationError({"kind": _("This kind of item cannot be prepared here.")}, code="bad_kind")
