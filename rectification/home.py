"""Rectification's part of the staff home (campaigns/home.py): the office's
commitments that need it and its plan, the campaign office's review queues, and
for those who read every commitment, how many are late. Counts come from the
querysets and rules of this app and link to the lists that show them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.current import current_campaign, shown_campaign
from campaigns.home import Panel, count

from . import rules
from .models import Commitment, Plan, PublicComment, RectificationSettings

Status = Commitment.Status


def _commitments_url(**filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return reverse("rectification-staff:commitments") + (f"?{query}" if query else "")


def office(user, today: dt.date) -> Panel | None:
    """The office's commitments past their deadline, sent back or reopened, and its plan."""
    if not rules.works_on(user):
        return None
    mine = Commitment.objects.visible_to(user).in_shown_campaign()
    plan = Plan.objects.filter(campaign__in=shown_campaign(), office_id=user.office_id).first()
    return Panel(
        "commitments",
        22,
        _("Your office's rectification"),
        [
            count(
                "commitments-overdue",
                _("Commitments overdue"),
                mine.overdue_on(today),
                _commitments_url(overdue="on"),
                late=True,
            ),
            count(
                "commitments-sent-back",
                _("Sent back by the campaign office"),
                mine.filter(status=Status.SENT_BACK),
                _commitments_url(status=Status.SENT_BACK),
                late=True,
            ),
            count(
                "commitments-reopened",
                _("Reopened by a look-back"),
                mine.filter(status=Status.REOPENED),
                _commitments_url(status=Status.REOPENED),
                late=True,
            ),
        ],
        [("rectification/home/plan.html", [plan] if plan else [])],
        (_("Your plan and commitments"), reverse("rectification-staff:my-plan")),
    )


def review(user, today: dt.date) -> Panel | None:
    """What waits for the campaign office: plans to approve, completions to verify,
    commitments for a look-back, public comments to moderate."""
    if not rules.is_coordinator(user):
        return None
    campaign = current_campaign()  # the header's cached summary: no query
    if campaign is None:
        return None
    cfg = RectificationSettings.for_campaign(campaign.pk)
    commitments = Commitment.objects.visible_to(user).filter(plan__campaign_id=campaign.pk)
    return Panel(
        "review",
        30,
        _("Waiting for your review"),
        [
            count(
                "plans-submitted",
                _("Plans to approve or return"),
                Plan.objects.visible_to(user).filter(campaign_id=campaign.pk, status=Plan.Status.SUBMITTED),
                reverse("rectification-staff:plans") + f"?status={Plan.Status.SUBMITTED}",
            ),
            count(
                "to-verify",
                _("Completions to verify"),
                commitments.filter(status=Status.COMPLETED),
                reverse("rectification-staff:verification"),
            ),
            count(
                "lookback",
                _("Commitments for a look-back"),
                commitments.for_lookback(
                    min_ratings=cfg.lookback_min_ratings, dissatisfied_share=cfg.lookback_dissatisfied_share
                ),
                reverse("rectification-staff:lookback"),
            ),
            count(
                "to-moderate",
                _("Public comments to moderate"),
                PublicComment.objects.filter(
                    state=PublicComment.State.HELD,
                    commitment__plan__campaign_id=campaign.pk,
                    commitment__in=commitments,
                ),
                reverse("rectification-staff:moderation"),
            ),
        ],
    )


def late(user, today: dt.date) -> Panel | None:
    """For those who read every office's commitments (the campaign office) or the
    public ones (supervisors): how many are past their deadline."""
    if not (rules.sees_all(user) or rules.can_flag(user)):
        return None
    return Panel(
        "late",
        40,
        _("Late across the campaign"),
        [
            count(
                "late-commitments",
                _("Commitments overdue"),
                Commitment.objects.visible_to(user).in_shown_campaign().overdue_on(today),
                _commitments_url(overdue="on"),
                late=True,
            )
        ],
    )


PANELS = [office, review, late]
