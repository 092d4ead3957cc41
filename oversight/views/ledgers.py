"""The ledgers page and the .xlsx exports (at once, or by a worker when large)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from campaigns import scope
from campaigns.current import current_campaign_or_404, get_current_campaign
from kernel.xlsx import XLSX_CONTENT_TYPE

from .. import forms
from ..ledgers import all_ledgers, ledgers_for
from ..models import ExportJob
from ..services import exports


@login_required
def index(request):
    ledgers = ledgers_for(request.user)
    if not ledgers:
        raise PermissionDenied
    filters = forms.OfficeFilterForm(
        request.GET or None, offices=scope.offices(request.user).filter(is_active=True).order_by("name")
    )
    office = filters.value("office")
    return render(
        request,
        "oversight/staff/ledgers.html",
        {
            "campaign": get_current_campaign(),
            "ledgers": ledgers,
            "filters": filters,
            "office": office,
            "threshold": exports.async_threshold(),
            "jobs": _jobs(request.user),
        },
    )


def _jobs(user):
    labels = {key: str(ledger.label) for key, ledger in all_ledgers().items()}
    jobs = list(ExportJob.objects.filter(user=user).order_by("-created_at")[:10])
    for job in jobs:
        job.label = labels.get(job.ledger, job.ledger)
    return jobs


@never_cache
@login_required
def export(request, key):
    user = request.user
    exports.ledger_for(user, key)  # 403 with the reason for a list the user may not export
    campaign = current_campaign_or_404()
    params = exports.clean_params(request.GET)
    if exports.needs_worker(key=key, user=user, campaign=campaign, params=params):
        exports.export_enqueue(key=key, user=user, campaign=campaign, params=params)
        messages.info(
            request,
            _(
                "This export is large: it is being written now, and a link to download it will "
                "arrive in your inbox in a few minutes."
            ),
        )
        return redirect("oversight-staff:ledgers")
    handle, name, _rows = exports.export_now(key=key, user=user, campaign=campaign, params=params)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@never_cache
@login_required
def export_download(request, pk):
    """A worker-written export, for the user who asked for it only."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, state=ExportJob.State.DONE)
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=XLSX_CONTENT_TYPE)
