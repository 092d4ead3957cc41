"""Everything the campaign summary report (总结) shows, gathered in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from campaigns import scope
from campaigns.models import Campaign

from ..models import Bulletin
from . import integrations
from .progress import PhaseProgress, phase_progress
from .scorecard import Scorecard, complaint_counts, scorecard

if TYPE_CHECKING:
    from campaigns.models import User
    from complaints.models import TypicalCase


@dataclass
class Summary:
    campaign: Campaign
    today: dt.date
    phases: list[PhaseProgress]
    card: Scorecard
    complaint_total: dict[str, int]
    typical_cases: list[TypicalCase]
    bulletins: list[Bulletin]
    rectification: dict[str, Any] | None = None
    appraisal: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def task_total(self) -> int:
        return sum(p.task_total for p in self.phases)

    @property
    def task_done(self) -> int:
        return sum(p.task_done for p in self.phases)


def campaign_summary(campaign: Campaign, today: dt.date, reader: User) -> Summary:
    """The summary as ``reader`` may read it: the offices, complaints, typical cases,
    bulletins and rectification figures of their reach (campaigns/scope.py); a
    district reading the city's campaign sees its own district."""
    from complaints.models import Complaint, TypicalCase

    reach = scope.offices(reader)
    complaint_total = Complaint.objects.filter(campaign=campaign, office__in=reach).aggregate(**complaint_counts())
    cases = list(
        TypicalCase.objects.filter(complaint__campaign=campaign, complaint__office__in=reach)
        .select_related("complaint__problem_type", "complaint__office")
        .order_by("-published_at", "-pk")[:20]
    )
    bulletins = list(
        Bulletin.objects.visible_to(reader)
        .filter(campaign=campaign, status=Bulletin.Status.PUBLISHED)
        .order_by("number")
        .only("number", "title", "kind", "audience", "published_at")
    )
    return Summary(
        campaign=campaign,
        today=today,
        phases=phase_progress(campaign, today),
        card=scorecard(campaign_id=campaign.pk, today=today, fresh=True, offices=reach),
        complaint_total=complaint_total,
        typical_cases=cases,
        bulletins=bulletins,
        rectification=integrations.rectification_summary(campaign, today, reach)
        if integrations.rectification_results_available()
        else None,
        appraisal=integrations.appraisal_summary(campaign, today) if integrations.appraisal_available() else None,
    )
