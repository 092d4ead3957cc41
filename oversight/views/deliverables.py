"""Phase deliverables: the completion matrix, an office's list, one office's
versions of one deliverable (upload and review there), and the file download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaigns import scope
from campaigns.current import get_current_campaign
from campaigns.models import Phase
from kernel.forms import apply_service_errors

from .. import forms
from ..models import Deliverable, Submission
from ..querysets import reads_all
from ..selectors.deliverables import State, cell_state, completion_matrix, office_deliverables
from ..services import deliverables as services

STATE_LABELS = {
    State.MISSING: gettext_lazy("Missing"),
    State.SUBMITTED: gettext_lazy("Submitted, awaiting review"),
    State.ACCEPTED: pgettext_lazy("deliverable", "Accepted"),
    State.RETURNED: gettext_lazy("Returned for changes"),
    State.OVERDUE: gettext_lazy("Overdue"),
}


def state_labels() -> dict[str, str]:
    return {key: str(label) for key, label in STATE_LABELS.items()}


@login_required
def matrix(request):
    user = request.user
    if not reads_all(user):
        if user.office_id:
            return redirect("oversight-staff:deliverables-mine")
        raise PermissionDenied
    campaign = get_current_campaign()
    if campaign is None:
        return render(request, "oversight/staff/no_campaign.html")
    today = timezone.localdate()
    phases = list(Phase.objects.filter(campaign=campaign).order_by("order"))
    requested = request.GET.get("phase", "")
    phase = next((p for p in phases if str(p.pk) == requested), None)
    if phase is None:
        phase = next((p for p in phases if p.is_current_on(today)), phases[0] if phases else None)
    filters = forms.OfficeFilterForm(
        request.GET or None, offices=scope.offices(request.user).filter(is_active=True).order_by("name")
    )
    office = filters.value("office")
    state = request.GET.get("state") if request.GET.get("state") in State.ALL else None
    grid = (
        completion_matrix(phase=phase, today=today, office_id=office.pk if office else None, state=state)
        if phase
        else None
    )
    return render(
        request,
        "oversight/staff/matrix.html",
        {
            "campaign": campaign,
            "phases": phases,
            "phase": phase,
            "matrix": grid,
            "filters": filters,
            "state": state,
            "states": state_labels(),
            "today": today,
            "can_review": services.can_review(user),
        },
    )


@login_required
def mine(request):
    user = request.user
    if user.office_id is None:
        raise PermissionDenied
    campaign = get_current_campaign()
    if campaign is None:
        return render(request, "oversight/staff/no_campaign.html")
    today = timezone.localdate()
    cells = office_deliverables(office_id=user.office_id, campaign_id=campaign.pk, today=today)
    # ?state=overdue (or returned, missing...): only those, as the home's counts link to.
    state = request.GET.get("state") if request.GET.get("state") in State.ALL else None
    if state:
        cells = [cell for cell in cells if cell.state == state]
    return render(
        request,
        "oversight/staff/mine.html",
        {
            "campaign": campaign,
            "cells": cells,
            "state": state,
            "states": state_labels(),
            "today": today,
            "office": user.office,
        },
    )


def _cell_or_404(user, deliverable_pk: int, office_pk: int):
    """The deliverable and office if the deliverable applies to that office and the
    user may see that office's versions: 404 otherwise."""
    deliverable = get_object_or_404(
        Deliverable.objects.visible_to(user).select_related("phase", "phase__campaign"), pk=deliverable_pk
    )
    if not reads_all(user) and office_pk != user.office_id:
        raise Http404
    office = get_object_or_404(deliverable.offices.filter(scope.within(user)), pk=office_pk)
    return deliverable, office


def _render_cell(request, deliverable, office, *, upload_form=None, review_form=None, status=200):
    user = request.user
    today = timezone.localdate()
    versions = list(
        Submission.objects.filter(deliverable=deliverable, office=office)
        .select_related("submitted_by", "reviewed_by")
        .order_by("-version")
    )
    for version in versions:
        version.deliverable = deliverable  # for submitted_on_time, without a query per version
    latest = versions[0] if versions else None

    state = cell_state(latest.status if latest else None, deliverable.due_date, today)
    can_upload = (
        services.can_submit(user)
        and user.office_id == office.pk
        and not (latest and latest.status == Submission.Status.ACCEPTED)
    )
    can_review = services.can_review(user) and latest is not None and latest.status == Submission.Status.SUBMITTED
    return render(
        request,
        "oversight/staff/cell.html",
        {
            "deliverable": deliverable,
            "office": office,
            "versions": versions,
            "latest": latest,
            "state": state,
            "states": state_labels(),
            "today": today,
            "upload_form": (upload_form or forms.UploadForm()) if can_upload else None,
            "review_form": (review_form or forms.ReviewForm()) if can_review else None,
            "reads_all": reads_all(user),
        },
        status=status,
    )


@login_required
def cell(request, pk, office_pk):
    deliverable, office = _cell_or_404(request.user, pk, office_pk)
    return _render_cell(request, deliverable, office)


@login_required
@require_POST
def upload(request, pk):
    user = request.user
    if not services.can_submit(user):
        raise PermissionDenied
    deliverable = get_object_or_404(Deliverable.objects.visible_to(user).select_related("phase"), pk=pk)
    form = forms.UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.deliverable_submit(
                deliverable_id=deliverable.pk,
                actor=user,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your document was handed in. The campaign office will review it."))
            return redirect("oversight-staff:deliverable-cell", pk=deliverable.pk, office_pk=user.office_id)
    if not deliverable.offices.filter(pk=user.office_id).exists():
        # Only the campaign office (which sees every deliverable) gets here: say why.
        return render(
            request,
            "oversight/staff/upload_refused.html",
            {
                "deliverable": deliverable,
                "form": form,
                "office": user.office,
            },
            status=400,
        )
    return _render_cell(request, deliverable, user.office, upload_form=form, status=400)


@login_required
@require_POST
def review(request, pk):
    user = request.user
    submission = get_object_or_404(Submission.objects.visible_to(user).select_related("deliverable", "office"), pk=pk)
    if not services.can_review(user):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.submission_accept(
                    submission_id=submission.pk, actor=user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The deliverable was accepted."))
            else:
                services.submission_return(
                    submission_id=submission.pk, actor=user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The deliverable was returned to the office with your comment."))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(
                "oversight-staff:deliverable-cell", pk=submission.deliverable_id, office_pk=submission.office_id
            )
    deliverable = Deliverable.objects.select_related("phase", "phase__campaign").get(pk=submission.deliverable_id)
    if form.non_field_errors():
        # The service refused the step (already reviewed, or a newer version came in): say so.
        for error in form.non_field_errors():
            messages.error(request, error)
    return _render_cell(request, deliverable, submission.office, review_form=form, status=400)


@never_cache
@login_required
def download(request, pk):
    submission = get_object_or_404(Submission.objects.visible_to(request.user), pk=pk)
    try:
        handle = submission.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=submission.original_name)
