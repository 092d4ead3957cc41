"""The campaign office's disclosure desk: prepare a snapshot, check it, publish it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.current import get_current_campaign
from kernel.forms import apply_service_errors

from .. import forms, snapshots
from ..models import DisclosureItem
from ..services import disclosure as services


def _require(user):
    if not services.can_publish(user):
        raise PermissionDenied


def _render_index(request, campaign, form, status=200):
    items = (
        DisclosureItem.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("prepared_by", "published_by", "responsible_office", "bulletin")
        .order_by("status", "-published_at", "-prepared_at", "-pk")
    )
    return render(
        request,
        "oversight/staff/disclosure.html",
        {
            "campaign": campaign,
            "form": form,
            "items": items,
        },
        status=status,
    )


@login_required
def index(request):
    _require(request.user)
    campaign = get_current_campaign()
    if campaign is None:
        return render(request, "oversight/staff/no_campaign.html")
    form = forms.PrepareForm(request.POST or None, kinds=snapshots.available_kinds())
    if request.method == "POST" and form.is_valid():
        try:
            item = services.disclosure_prepare(
                campaign_id=campaign.pk,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The figures were copied. Check them, then publish."))
            return redirect("oversight-staff:disclosure-detail", pk=item.pk)
    return _render_index(request, campaign, form, status=400 if form.errors else 200)


def _item(user, pk):
    _require(user)
    return get_object_or_404(
        DisclosureItem.objects.visible_to(user).select_related(
            "campaign", "prepared_by", "published_by", "responsible_office", "bulletin"
        ),
        pk=pk,
    )


@login_required
def detail(request, pk):
    item = _item(request.user, pk)
    return render(request, "oversight/staff/disclosure_detail.html", {"item": item})


@login_required
@require_POST
def publish(request, pk):
    item = _item(request.user, pk)
    try:
        services.disclosure_publish(item_id=item.pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "oversight/staff/disclosure_detail.html", {"item": item}, status=400)
    messages.success(request, _("Published: it is on the public results pages and in the catalogue now."))
    return redirect("oversight-staff:disclosure-detail", pk=item.pk)


@login_required
@require_POST
def discard(request, pk):
    item = _item(request.user, pk)
    try:
        services.disclosure_discard(item_id=item.pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "oversight/staff/disclosure_detail.html", {"item": item}, status=400)
    messages.success(request, _("The prepared item was thrown away."))
    return redirect("oversight-staff:disclosure")
