"""报送: a level's reports to the level above — the list (sent and received), one
report as it was sent, and the form that sends one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.current import current_campaign_or_404
from kernel.forms import apply_service_errors

from .. import forms
from ..models import LevelReport
from ..services import reports as services
from .common import require_reads_all

PER_PAGE = 25


def _visible(user):
    return LevelReport.objects.visible_to(user).select_related("campaign", "sender_level", "recipient_level", "sent_by")


@login_required
def index(request):
    require_reads_all(request.user)
    reports = _visible(request.user).order_by("-sent_at", "-pk")
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/staff/level_reports.html",
        {"page": page, "can_send": services.can_send(request.user)},
    )


@login_required
def detail(request, pk):
    require_reads_all(request.user)
    report = get_object_or_404(_visible(request.user), pk=pk)
    return render(request, "oversight/staff/level_report_detail.html", {"report": report})


@login_required
def send(request):
    if not services.can_send(request.user):
        raise PermissionDenied
    campaign = current_campaign_or_404()
    sender, recipient = services.levels_of(request.user)
    today = timezone.localdate()
    initial = {
        "title": _("%(level)s: figures of “%(campaign)s” as of %(date)s")
        % {"level": sender.name if sender else "", "campaign": campaign.name, "date": today.isoformat()}
    }
    form = forms.LevelReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.level_report_send(
                actor=request.user,
                campaign_id=campaign.pk,
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Sent to %(level)s: its campaign office finds it in its inbox.") % {"level": recipient}
            )
            return redirect("oversight-staff:level-report", pk=report.pk)
    return render(
        request,
        "oversight/staff/level_report_form.html",
        {"form": form, "campaign": campaign, "sender": sender, "recipient": recipient},
        status=400 if form.errors else 200,
    )
