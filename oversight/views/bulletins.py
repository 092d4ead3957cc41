"""Staff pages for bulletins (通报): the list, a draft's form, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.current import current_campaign_or_404
from kernel.forms import apply_service_errors

from .. import forms
from ..models import Bulletin
from ..services import bulletins as services

PER_PAGE = 25


def _visible(user):
    return Bulletin.objects.visible_to(user).select_related("campaign", "author", "issuing_office")


@login_required
def index(request):
    bulletins = _visible(request.user).order_by("status", "-published_at", "-created_at", "-pk")
    page = Paginator(bulletins, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/staff/bulletins.html",
        {
            "page": page,
            "can_manage": services.can_manage(request.user),
        },
    )


@login_required
def detail(request, pk):
    bulletin = get_object_or_404(_visible(request.user).prefetch_related("offices"), pk=pk)
    return render(
        request,
        "oversight/staff/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "can_manage": services.can_manage(request.user),
        },
    )


def _save(request, bulletin: Bulletin | None):
    campaign = bulletin.campaign if bulletin else current_campaign_or_404()
    initial = {}
    if bulletin is not None:
        initial = {
            "kind": bulletin.kind,
            "audience": bulletin.audience,
            "title": bulletin.title,
            "body": bulletin.body,
            "offices": list(bulletin.offices.all()),
        }
    form = forms.BulletinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if bulletin is None:
                bulletin = services.bulletin_create(
                    campaign_id=campaign.pk,
                    actor=request.user,
                    kind=data["kind"],
                    audience=data["audience"],
                    title=data["title"],
                    body=data["body"],
                    offices=data["offices"],
                )
            else:
                services.bulletin_update(
                    bulletin_id=bulletin.pk,
                    actor=request.user,
                    kind=data["kind"],
                    audience=data["audience"],
                    title=data["title"],
                    body=data["body"],
                    offices=data["offices"],
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved. Nobody else sees it until it is published."))
            return redirect("oversight-staff:bulletin-detail", pk=bulletin.pk)
    return render(
        request,
        "oversight/staff/bulletin_form.html",
        {"form": form, "bulletin": bulletin},
        status=400 if form.errors else 200,
    )


@login_required
def new(request):
    if not services.can_manage(request.user):
        raise PermissionDenied
    return _save(request, None)


@login_required
def edit(request, pk):
    if not services.can_manage(request.user):
        raise PermissionDenied
    bulletin = get_object_or_404(_visible(request.user), pk=pk)
    if bulletin.is_published:
        messages.error(request, _("A published bulletin cannot be changed; publish a correction instead."))
        return redirect("oversight-staff:bulletin-detail", pk=bulletin.pk)
    return _save(request, bulletin)


@login_required
@require_POST
def publish(request, pk):
    bulletin = get_object_or_404(_visible(request.user), pk=pk)
    try:
        services.bulletin_publish(bulletin_id=bulletin.pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request,
            "oversight/staff/bulletin_detail.html",
            {
                "bulletin": bulletin,
                "can_manage": services.can_manage(request.user),
            },
            status=400,
        )
    messages.success(request, _("The bulletin was published."))
    return redirect("oversight-staff:bulletin-detail", pk=bulletin.pk)
