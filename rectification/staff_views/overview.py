from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from campaigns.current import get_current_campaign

from .. import rules, services
from ..models import Commitment, Plan, Problem, PublicComment, RectificationSettings
from .common import require_pages


@login_required
def overview(request):
    """Where each kind of user starts: the office sees its plan and what needs doing;
    the campaign office sees every plan and its queues."""
    user = request.user
    require_pages(user)
    today = timezone.localdate()
    campaign = get_current_campaign()
    context = {"campaign": campaign, "today": today, "is_coordinator": rules.is_coordinator(user)}
    if campaign is None:
        return render(request, "rectification/staff/overview.html", context)
    commitments = Commitment.objects.visible_to(user).filter(plan__campaign=campaign)
    context["counts"] = commitments.aggregate(
        total=Count("pk"),
        draft=Count("pk", filter=Q(status="draft")),
        open=Count("pk", filter=Q(status__in=Commitment.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=Commitment.OPEN_STATUSES, deadline__lt=today)),
        completed=Count("pk", filter=Q(status="completed")),
        verified=Count("pk", filter=Q(status="verified")),
    )
    if rules.works_on(user):
        context["my_plan"] = Plan.objects.filter(campaign=campaign, office_id=user.office_id).first()
        context["problem_count"] = Problem.objects.filter(campaign=campaign, office_id=user.office_id).count()
        context["to_record"] = services.complaints_to_record(user).count()
    if rules.is_coordinator(user):
        cfg = RectificationSettings.for_campaign(campaign.pk)
        context["plans"] = list(Plan.objects.for_review(user).filter(campaign=campaign).order_by("office__name"))
        context["queues"] = {
            "to_review": sum(1 for p in context["plans"] if p.status == Plan.Status.SUBMITTED),
            "to_verify": context["counts"]["completed"],
            "held_comments": PublicComment.objects.filter(
                state=PublicComment.State.HELD, commitment__plan__campaign=campaign
            ).count(),
            "lookback": Commitment.objects.filter(plan__campaign=campaign)
            .for_lookback(min_ratings=cfg.lookback_min_ratings, dissatisfied_share=cfg.lookback_dissatisfied_share)
            .count(),
        }
        context["settings"] = cfg
    return render(request, "rectification/staff/overview.html", context)
