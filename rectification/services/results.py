"""The rectification results (整改情况公布): per office, commitments made,
completed, verified, overdue and reopened, and the public's satisfaction, frozen
when the campaign office publishes them at the end of the rectification phase."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign

from .. import rules
from ..models import Commitment, LookBack, OfficeResult, Plan, Rating, RectificationSettings, ResultsPublication
from .common import audit, clean_text, require

OPEN = Commitment.OPEN_STATUSES


@dataclass
class Figures:
    office_id: int
    office_name: str
    made: int = 0
    completed: int = 0
    verified: int = 0
    overdue: int = 0
    reopened: int = 0
    ratings: int = 0
    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0

    @property
    def satisfaction_rate(self) -> int | None:
        if not self.ratings:
            return None
        return round(100 * (self.satisfied + self.basically) / self.ratings)


def office_figures(*, campaign_id: int, day: dt.date) -> list[Figures]:
    """Every office with a plan in the campaign, in four queries whatever their number."""
    rows = {
        plan.office_id: Figures(plan.office_id, plan.office.name)
        for plan in Plan.objects.filter(campaign_id=campaign_id).select_related("office").order_by("office__name")
    }
    commitments = (
        Commitment.objects.filter(plan__campaign_id=campaign_id).exclude(status="draft")
        .values("plan__office_id")
        .annotate(
            made=Count("pk"),
            completed=Count("pk", filter=Q(status__in=["completed", "verified"])),
            verified=Count("pk", filter=Q(status="verified")),
            overdue=Count("pk", filter=Q(status__in=OPEN, deadline__lt=day)),
        )
        .order_by()
    )
    for row in commitments:
        figures = rows.get(row["plan__office_id"])
        if figures:
            figures.made, figures.completed = row["made"], row["completed"]
            figures.verified, figures.overdue = row["verified"], row["overdue"]
    reopened = (
        LookBack.objects.filter(commitment__plan__campaign_id=campaign_id, outcome=LookBack.Outcome.REOPENED)
        .values("commitment__plan__office_id").annotate(n=Count("commitment", distinct=True)).order_by()
    )
    for row in reopened:
        if row["commitment__plan__office_id"] in rows:
            rows[row["commitment__plan__office_id"]].reopened = row["n"]
    ratings = (
        Rating.objects.filter(commitment__plan__campaign_id=campaign_id)
        .values("commitment__plan__office_id")
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(value="satisfied")),
            basically=Count("pk", filter=Q(value="basically")),
            dissatisfied=Count("pk", filter=Q(value="dissatisfied")),
        )
        .order_by()
    )
    for row in ratings:
        figures = rows.get(row["commitment__plan__office_id"])
        if figures:
            figures.ratings, figures.satisfied = row["total"], row["satisfied"]
            figures.basically, figures.dissatisfied = row["basically"], row["dissatisfied"]
    return list(rows.values())


def publish_refusal(campaign: Campaign, cfg: RectificationSettings, today: dt.date) -> str | None:
    """Why the results cannot be published today, or None."""
    if ResultsPublication.objects.filter(campaign=campaign).exists():
        return _("The results of this campaign have already been published.")
    phase = cfg.rectification_phase
    if phase is None:
        return _("Mark the campaign's rectification phase in the administration (rectification settings) first.")
    if today < phase.end_date:
        return _("The results are published at the end of the rectification phase, on or after %(date)s.") % {
            "date": phase.end_date.isoformat()
        }
    return None


@transaction.atomic
def results_publish(*, actor, campaign_id: int, note: str = "") -> ResultsPublication:
    require(rules.is_coordinator(actor), _("Only the campaign office publishes the rectification results."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    cfg = RectificationSettings.for_campaign(campaign.pk)
    now = timezone.now()
    refusal = publish_refusal(campaign, cfg, timezone.localdate(now))
    if refusal:
        raise ValidationError(refusal, code="bad_transition")
    try:
        with transaction.atomic():
            publication = ResultsPublication.objects.create(
                campaign=campaign, published_at=now, published_by=actor, note=clean_text(note)
            )
    except IntegrityError as exc:
        raise ValidationError(_("The results of this campaign have already been published.")) from exc
    OfficeResult.objects.bulk_create(
        OfficeResult(
            publication=publication, office_id=f.office_id, office_name=f.office_name, made=f.made,
            completed=f.completed, verified=f.verified, overdue=f.overdue, reopened=f.reopened, ratings=f.ratings,
            satisfied=f.satisfied, basically=f.basically, dissatisfied=f.dissatisfied,
        )
        for f in office_figures(campaign_id=campaign.pk, day=timezone.localdate(now))
    )
    audit(publication, actor, "results.publish", campaign=campaign.pk)
    return publication
