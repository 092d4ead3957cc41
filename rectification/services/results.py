"""The rectification results (整改情况公布): per office, commitments made,
completed, verified, overdue and reopened, and the public's satisfaction, frozen
when the campaign office publishes them at the end of the rectification phase."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Office

from .. import rules
from ..figures import CommitmentCounts, commitment_counts
from ..models import LookBack, OfficeResult, Plan, RectificationSettings, ResultsPublication
from .common import audit, clean_text, require

if TYPE_CHECKING:
    from campaigns.models import User


@dataclass(kw_only=True)
class Figures(CommitmentCounts):
    """One office's commitment figures (``rectification.figures``), with its name and
    how many of its commitments a look-back reopened."""

    office_id: int
    office_name: str
    reopened: int = 0


def office_figures(*, campaign_id: int, day: dt.date, offices: QuerySet[Office] | None = None) -> list[Figures]:
    """Every office with a plan in the campaign (among ``offices``, a reader's reach,
    when given), in four queries whatever their number (plans, commitments, ratings,
    look-backs)."""
    plans = Plan.objects.filter(campaign_id=campaign_id)
    if offices is not None:
        plans = plans.filter(office__in=offices)
    rows = {
        plan.office_id: Figures(office_id=plan.office_id, office_name=plan.office.name)
        for plan in plans.select_related("office").order_by("office__name")
    }
    for office_id, counts in commitment_counts(campaign_id=campaign_id, day=day, office_ids=None).items():
        figures = rows.get(office_id)
        if figures:
            for name, value in vars(counts).items():
                setattr(figures, name, value)
    reopened = (
        LookBack.objects.filter(commitment__plan__campaign_id=campaign_id, outcome=LookBack.Outcome.REOPENED)
        .values("commitment__plan__office_id")
        .annotate(n=Count("commitment", distinct=True))
        .order_by()
    )
    for row in reopened:
        if row["commitment__plan__office_id"] in rows:
            rows[row["commitment__plan__office_id"]].reopened = row["n"]
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
def results_publish(*, actor: User, campaign_id: int, note: str = "") -> ResultsPublication:
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
            publication=publication,
            office_id=f.office_id,
            office_name=f.office_name,
            made=f.made,
            completed=f.completed,
            verified=f.verified,
            overdue=f.overdue,
            reopened=f.reopened,
            ratings=f.ratings,
            satisfied=f.satisfied,
            basically=f.basically,
            dissatisfied=f.dissatisfied,
        )
        for f in office_figures(campaign_id=campaign.pk, day=timezone.localdate(now))
    )
    audit(publication, actor, "results.publish", campaign=campaign.pk)
    return publication
