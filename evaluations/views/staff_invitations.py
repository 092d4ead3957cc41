"""Invitations, for the campaign office only: generate batches, list and annotate
them, revoke a lost one, and print a batch (an HTML sheet with QR codes, or .xlsx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kernel.forms import apply_service_errors
from kernel.xlsx import xlsx_response

from .. import exports, services
from ..forms import BatchForm, NoteForm
from ..models import Invitation, InvitationBatch
from ..qr import qr_svg
from .common import flash_errors, public_link, survey_for_staff

PER_PAGE = 50
MAX_PRINT = 300  # one sheet; a larger survey prints batch by batch
STATES = {
    "unused": Q(used_at__isnull=True, revoked_at__isnull=True),
    "used": Q(used_at__isnull=False),
    "revoked": Q(revoked_at__isnull=False),
}


def _batches(survey):
    return (
        InvitationBatch.objects.filter(group__survey=survey)
        .select_related("group", "created_by")
        .annotate(used=Count("invitations", filter=Q(invitations__used_at__isnull=False)))
        .order_by("-created_at", "-pk")
    )


def _render(request, survey, form, status=200):
    invitations = Invitation.objects.filter(group__survey=survey).select_related("group").order_by("batch_id", "number")
    group_id, batch_id, state = request.GET.get("group", ""), request.GET.get("batch", ""), request.GET.get("state", "")
    if group_id.isdigit():
        invitations = invitations.filter(group_id=int(group_id))
    if batch_id.isdigit():
        invitations = invitations.filter(batch_id=int(batch_id))
    if state in STATES:
        invitations = invitations.filter(STATES[state])
    page = Paginator(invitations, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/staff/invitations.html",
        {
            "survey": survey,
            "form": form,
            "page": page,
            "batches": _batches(survey),
            "groups": list(survey.groups.all()),
            "filters": {"group": group_id, "batch": batch_id, "state": state},
            "states": [("unused", _("Not used")), ("used", _("Used")), ("revoked", _("Revoked"))],
            "can_generate": survey.status in (survey.Status.DRAFT, survey.Status.OPEN),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request, pk):
    survey = survey_for_staff(request.user, pk, manage=True)
    if request.method != "POST":
        return _render(request, survey, BatchForm(survey=survey))
    form = BatchForm(request.POST, survey=survey)
    if form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.invitation_batch_create(
                group_id=data["group"].pk, actor=request.user, size=data["size"], label=data["label"], note=data["note"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)d invitations were generated. Print them now.") % {"n": batch.size})
            return redirect(f"{reverse('evaluations-staff:invitations', args=[survey.pk])}?batch={batch.pk}")
    return _render(request, survey, form, status=400)


def _batch(request, pk, batch_pk):
    survey = survey_for_staff(request.user, pk, manage=True)
    batch = get_object_or_404(InvitationBatch.objects.select_related("group"), pk=batch_pk, group__survey=survey)
    return survey, batch


@login_required
@never_cache
def batch_print(request, pk, batch_pk=None):
    """The unused invitations of one batch, or of the whole survey, as cut-out slips."""
    if batch_pk is None:
        survey, batch = survey_for_staff(request.user, pk, manage=True), None
        invitations = Invitation.objects.filter(group__survey=survey).order_by("group__order", "batch_id", "number")
    else:
        survey, batch = _batch(request, pk, batch_pk)
        invitations = batch.invitations.order_by("number")
    cards = []
    for invitation in invitations.filter(used_at__isnull=True, revoked_at__isnull=True).select_related("group")[
        :MAX_PRINT
    ]:
        link = public_link(invitation.token)
        cards.append(
            {
                "invitation": invitation,
                "link": link,
                "qr": qr_svg(link, _("QR code of invitation %(label)s") % {"label": invitation.label}),
            }
        )
    return render(request, "evaluations/staff/print_sheet.html", {"survey": survey, "batch": batch, "cards": cards})


@login_required
@never_cache
def batch_xlsx(request, pk, batch_pk):
    survey, batch = _batch(request, pk, batch_pk)
    invitations = list(
        batch.invitations.filter(used_at__isnull=True, revoked_at__isnull=True)
        .select_related("group")
        .order_by("number")
    )
    content = exports.invitations_workbook(invitations, lambda i: public_link(i.token))
    return xlsx_response(content, f"invitations-{survey.pk}-{batch.pk}")


def _invitation(request, pk, invitation_pk):
    survey = survey_for_staff(request.user, pk, manage=True)
    return survey, get_object_or_404(Invitation, pk=invitation_pk, group__survey=survey)


def _back(survey, request):
    query = request.POST.get("next_query", "")
    url = reverse("evaluations-staff:invitations", args=[survey.pk])
    return redirect(f"{url}?{query}" if query and "\n" not in query else url)


@login_required
@require_POST
def invitation_note(request, pk, invitation_pk):
    survey, invitation = _invitation(request, pk, invitation_pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        flash_errors(request, ValidationError(form.errors["note"]))
        return _back(survey, request)
    services.invitation_note_set(invitation_id=invitation.pk, actor=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("The note of invitation %(label)s was saved.") % {"label": invitation.label})
    return _back(survey, request)


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    survey, invitation = _invitation(request, pk, invitation_pk)
    try:
        services.invitation_revoke(invitation_id=invitation.pk, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, _("Invitation %(label)s was revoked: its code no longer works.") % {"label": invitation.label}
        )
    return _back(survey, request)
