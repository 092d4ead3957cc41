"""The campaign office's queues: completions to verify, comments to moderate,
the look-back queue, and the publication of the results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.current import get_current_campaign
from kernel.forms import apply_service_errors
from kernel.percent import percent

from .. import services
from ..forms import ModerationForm, ResultsForm
from ..models import Commitment, PublicComment, RectificationSettings, ResultsPublication
from .common import PER_PAGE, require_coordinator


@login_required
def verification(request):
    require_coordinator(request.user)
    campaign = get_current_campaign()
    qs = (
        Commitment.objects.visible_to(request.user)
        .filter(plan__campaign=campaign, status=Commitment.Status.COMPLETED)
        .select_related("plan__office", "responsible_office")
        .order_by("completed_at", "pk")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rectification/staff/verification.html", {"page": page, "campaign": campaign})


def _held(user, campaign):
    return (
        PublicComment.objects.filter(
            state=PublicComment.State.HELD,
            commitment__plan__campaign=campaign,
            commitment__in=Commitment.objects.visible_to(user),
        )
        .select_related("commitment__plan__office", "commitment__responsible_office", "rating")
        .order_by("created_at", "pk")
    )


def _render_moderation(request, *, failed=None, status=200):
    campaign = get_current_campaign()
    page = Paginator(_held(request.user, campaign), PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if failed is not None and failed[0] not in rows:
        rows.insert(0, failed[0])
    for comment in rows:
        if failed is not None and comment.pk == failed[0].pk:
            comment.form = failed[1]
        else:
            comment.form = ModerationForm(prefix_ids=f"c{comment.pk}")
    return render(
        request,
        "rectification/staff/moderation.html",
        {"page": page, "rows": rows, "campaign": campaign},
        status=status,
    )


@login_required
def moderation(request):
    require_coordinator(request.user)
    return _render_moderation(request)


@login_required
@require_POST
def moderate(request, pk):
    require_coordinator(request.user)
    comment = get_object_or_404(
        PublicComment.objects.filter(commitment__in=Commitment.objects.visible_to(request.user)).select_related(
            "commitment__plan__office"
        ),
        pk=pk,
    )
    form = ModerationForm(request.POST, prefix_ids=f"c{comment.pk}")
    if form.is_valid():
        try:
            services.comment_moderate(
                actor=request.user,
                comment_id=comment.pk,
                publish=form.cleaned_data["decision"] == ModerationForm.PUBLISH,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The comment was published.")
                if form.cleaned_data["decision"] == ModerationForm.PUBLISH
                else _("The comment will not be published."),
            )
            return redirect("rectification-staff:moderation")
    return _render_moderation(request, failed=(comment, form), status=400)


@login_required
def lookback_queue(request):
    require_coordinator(request.user)
    campaign = get_current_campaign()
    cfg = RectificationSettings.for_campaign(campaign.pk) if campaign else None
    qs = Commitment.objects.none()
    if campaign is not None:
        qs = (
            Commitment.objects.filter(plan__campaign=campaign)
            .for_lookback(min_ratings=cfg.lookback_min_ratings, dissatisfied_share=cfg.lookback_dissatisfied_share)
            .order_by("-open_flags", "-dissatisfied_excess", "pk")
        )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    for commitment in page.object_list:
        ratings = commitment.recent_ratings
        commitment.dissatisfied_percent = percent(commitment.recent_dissatisfied, ratings) or 0
    return render(request, "rectification/staff/lookback.html", {"page": page, "settings": cfg, "campaign": campaign})


@login_required
def results(request):
    """Publish the rectification results at the end of the rectification phase."""
    user = request.user
    require_coordinator(user)
    campaign = get_current_campaign()
    today = timezone.localdate()
    context = {"campaign": campaign}
    if campaign is None:
        return render(request, "rectification/staff/results.html", context)
    cfg = RectificationSettings.for_campaign(campaign.pk)
    publication = ResultsPublication.objects.filter(campaign=campaign).select_related("published_by").first()
    form = ResultsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.results_publish(actor=user, campaign_id=campaign.pk, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rectification results are published."))
            return redirect("rectification:results")
    context.update(
        {
            "settings": cfg,
            "publication": publication,
            "refusal": services.publish_refusal(campaign, cfg, today),
            "figures": services.office_figures(campaign_id=campaign.pk, day=today) if publication is None else [],
            "form": form,
        }
    )
    return render(request, "rectification/staff/results.html", context, status=400 if form.errors else 200)
