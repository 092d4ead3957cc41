"""The printable campaign summary report (总结): HTML with print CSS, and PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from campaigns.current import current_campaign_or_404
from campaigns.models import AuditEvent

from ..columns import table_context
from ..pdf import summary_pdf
from ..selectors.summary import campaign_summary
from .common import require_reads_all


def _summary(request):
    require_reads_all(request.user)
    campaign = current_campaign_or_404()
    return campaign_summary(campaign, timezone.localdate(), request.user)


@login_required
def summary(request):
    summary = _summary(request)
    return render(
        request,
        "oversight/staff/summary.html",
        {
            "summary": summary,
            **table_context(summary.card, request.user),
        },
    )


@login_required
def summary_pdf_view(request):
    summary = _summary(request)
    content = summary_pdf(summary)
    AuditEvent.record(summary.campaign, request.user, "summary.pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{summary.campaign.pk}-{summary.today:%Y-%m-%d}.pdf"'
    return response
