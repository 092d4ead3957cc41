"""Hotspots: when one office collects enough substantiated complaints of one
problem type within a window (3 within 90 days unless the campaign office set
otherwise), a problem is raised for it automatically, once per hotspot, linked
to those complaints, and the office and the campaign office are told.

Run after each substantiated reply (``signals``) and by ``manage.py
detect_hotspots`` for a full scan (after the thresholds change, say). Later
complaints of the same hotspot are added to the problem already raised."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.current import get_current_campaign
from campaigns.models import Campaign
from complaints.models import Complaint, ProblemType
from kernel.dispatch import after_commit

from ..models import Problem, RectificationSettings
from ..tasks import notify_staff
from .common import audit

logger = logging.getLogger(__name__)


def _window_complaints(
    *, office_id: int, problem_type_id: int, cfg: RectificationSettings, today: dt.date
) -> list[Complaint]:
    since = today - dt.timedelta(days=cfg.hotspot_days - 1)
    return list(
        Complaint.objects.filter(
            office_id=office_id,
            problem_type_id=problem_type_id,
            substantiated=True,
            received_on__gte=since,
            received_on__lte=today,
        ).order_by("received_on", "pk")
    )


def hotspot_check(
    *, office_id: int, problem_type_id: int, campaign: Campaign, today: dt.date | None = None
) -> Problem | None:
    """Raise the hotspot problem if the threshold is reached; return it only when
    it was raised now (None when below the threshold or raised before)."""
    today = today or timezone.localdate()
    cfg = RectificationSettings.for_campaign(campaign.pk)
    complaints = _window_complaints(office_id=office_id, problem_type_id=problem_type_id, cfg=cfg, today=today)
    if len(complaints) < cfg.hotspot_min_complaints:
        return None
    problem_type = ProblemType.objects.get(pk=problem_type_id)
    with transaction.atomic():
        existing = (
            Problem.objects.select_for_update()
            .filter(campaign=campaign, office_id=office_id, problem_type_id=problem_type_id, is_hotspot=True)
            .first()
        )
        if existing is not None:
            existing.complaints.add(*complaints)
            return None
        with translation.override(settings.LANGUAGE_CODE):
            description = _(
                "Hotspot: %(n)d substantiated complaints of the type “%(type)s” received within %(days)d days "
                "(%(numbers)s)."
            ) % {
                "n": len(complaints),
                "type": problem_type.name,
                "days": cfg.hotspot_days,
                "numbers": "、".join(c.tracking_number for c in complaints),
            }
        try:
            with transaction.atomic():
                problem = Problem.objects.create(
                    campaign=campaign,
                    office_id=office_id,
                    problem_type=problem_type,
                    is_hotspot=True,
                    source=Problem.Source.COMPLAINT,
                    severity=Problem.Severity.SERIOUS,
                    found_on=today,
                    description=description,
                )
        except IntegrityError:
            # Another check raised it a moment ago: the constraint decided.
            return None
        problem.complaints.add(*complaints)
        event = audit(
            problem, None, "hotspot.raised", complaints=[c.pk for c in complaints], problem_type=problem_type.code
        )
        after_commit(notify_staff, event.pk)
    return problem


def hotspot_check_for_complaint(*, complaint_id: int) -> Problem | None:
    complaint = Complaint.objects.filter(pk=complaint_id).select_related("campaign").first()
    if complaint is None or complaint.office_id is None or not complaint.substantiated:
        return None
    campaign = complaint.campaign or get_current_campaign()
    if campaign is None:
        return None
    try:
        return hotspot_check(
            office_id=complaint.office_id, problem_type_id=complaint.problem_type_id, campaign=campaign
        )
    except Exception:
        logger.exception("hotspot check failed for complaint %s", complaint_id)
        raise


def hotspots_scan(*, campaign: Campaign | None = None, today: dt.date | None = None) -> list[Problem]:
    """Check every (office, problem type) with substantiated complaints in the window."""
    campaign = campaign or get_current_campaign()
    if campaign is None:
        return []
    today = today or timezone.localdate()
    cfg = RectificationSettings.for_campaign(campaign.pk)
    since = today - dt.timedelta(days=cfg.hotspot_days - 1)
    pairs = (
        Complaint.objects.filter(
            substantiated=True, office__isnull=False, received_on__gte=since, received_on__lte=today
        )
        .order_by()
        .values_list("office_id", "problem_type_id")
        .distinct()
    )
    raised = []
    for office_id, problem_type_id in pairs:
        problem = hotspot_check(office_id=office_id, problem_type_id=problem_type_id, campaign=campaign, today=today)
        if problem is not None:
            raised.append(problem)
    return raised
