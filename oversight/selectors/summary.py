"""Everything the campaign summary report (总结) shows, gathered in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from campaigns.models import Campaign

from . import integrations
from .progress import PhaseProgress, phase_progress
from .scorecard import Scorecard, scorecard


@dataclass
class Summary:
    campaign: Campaign
    today: dt.date
    phases: list[PhaseProgress]
    card: Scorecard
    complaint_total: dict
    typical_cases: list
    bulletins: list
    rectification: dict | None = None
    appraisal: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def task_total(self) -> int:
        return sum(p.task_total for p in self.phases)

    @property
    def task_done(self) -> int:
        return sum(p.task_done for p in self.phases)


def campaign_summary(campaign: Campaign, today: dt.date) -> Summary:
    from complaints.models import Complaint, TypicalCase

    from ..models import Bulletin
    from .scorecard import complaint_counts

    complaint_total = Complaint.objects.filter(campaign=campaign).aggregate(**complaint_counts())
    cases = list(
        TypicalCase.objects.filter(complaint__campaign=campaign)
        .select_related("complaint__problem_type", "complaint__office")
        .order_by("-published_at", "-pk")[:20]
    )
    bulletins = list(
        Bulletin.objects.filter(campaign=campaign, status=Bulletin.Status.PUBLISHED)
        .order_by("number")
        .only("number", "title", "kind", "audience", "published_at")
    )
    return Summary(
        campaign=campaign,
        today=today,
        phases=phase_progress(campaign, today),
        card=scorecard(campaign_id=campaign.pk, today=today, fresh=True),
        complaint_total=complaint_total,
        typical_cases=cases,
        bulletins=bulletins,
        rectification=integrations.rectification_summary(campaign, today)
        if integrations.rectification_results_available() else None,
        appraisal=integrations.appraisal_summary(campaign, today) if integrations.appraisal_available() else None,
    )
