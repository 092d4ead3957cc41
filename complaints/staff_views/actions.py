"""One POST endpoint per workflow step, each the same plain shape: the complaint
fetched for this user (another office's is a 404), the step's form, one service,
and a redirect; when the service refuses, the detail page again with its words
next to the form's fields (400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.forms import apply_service_errors

from .. import rules, services
from .. import staff_forms as forms
from .common import complaint_for_staff
from .detail import render_detail


def _refused(request, complaint, step: str, form):
    """The page again with the step's form and its errors (400); someone who may not
    take the step at all gets 403, whatever they posted."""
    if step not in rules.permitted_actions(request.user, complaint):
        raise PermissionDenied
    return render_detail(request, complaint.pk, failed=(step, form), status=400)


@login_required
@require_POST
def accept(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.ActionForm(request.POST, complaint=complaint, action="accept")
    try:
        services.complaint_accept(complaint_id=complaint.pk, actor=request.user)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _refused(request, complaint, "accept", form)
    messages.success(request, _("The complaint was accepted."))
    return redirect("complaints-staff:detail", pk=complaint.pk)


@login_required
@require_POST
def not_accept(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.NotAcceptForm(request.POST, complaint=complaint, action="not_accept")
    if form.is_valid():
        try:
            services.complaint_not_accept(
                complaint_id=complaint.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The complaint was not accepted."))
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "not_accept", form)


@login_required
@require_POST
def transfer(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.TransferForm(request.POST, complaint=complaint, action="transfer")
    if form.is_valid():
        try:
            services.complaint_transfer_request(
                complaint_id=complaint.pk,
                actor=request.user,
                to_office=form.cleaned_data["office"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The transfer was requested. You stay responsible until the office accepts it.")
            )
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "transfer", form)


@login_required
@require_POST
def transfer_accept(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.ActionForm(request.POST, complaint=complaint, action="transfer_accept")
    try:
        services.complaint_transfer_accept(complaint_id=complaint.pk, actor=request.user)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _refused(request, complaint, "transfer_accept", form)
    messages.success(request, _("Your office now handles this complaint."))
    return redirect("complaints-staff:detail", pk=complaint.pk)


@login_required
@require_POST
def transfer_refuse(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.TransferRefuseForm(request.POST, complaint=complaint, action="transfer_refuse")
    if form.is_valid():
        try:
            services.complaint_transfer_refuse(
                complaint_id=complaint.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The transfer was refused; the complaint went back to the sender."))
            # The refusing office no longer sees the complaint: back to the queue.
            return redirect("complaints-staff:queue")
    return _refused(request, complaint, "transfer_refuse", form)


@login_required
@require_POST
def start_investigation(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.ActionForm(request.POST, complaint=complaint, action="start")
    try:
        services.complaint_start_investigation(complaint_id=complaint.pk, actor=request.user)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _refused(request, complaint, "start", form)
    messages.success(request, _("The investigation has started."))
    return redirect("complaints-staff:detail", pk=complaint.pk)


@login_required
@require_POST
def request_info(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.RequestInfoForm(request.POST, complaint=complaint, action="request_info")
    if form.is_valid():
        try:
            services.complaint_request_info(
                complaint_id=complaint.pk, actor=request.user, question=form.cleaned_data["question"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The question was sent. The time limit stops until the complainant answers."))
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "request_info", form)


@login_required
@require_POST
def reply(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.ReplyForm(request.POST, complaint=complaint, action="reply")
    if form.is_valid():
        try:
            services.complaint_reply(complaint_id=complaint.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The reply was recorded and the complainant can read it."))
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "reply", form)


@login_required
@require_POST
def callback(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.CallbackForm(request.POST, complaint=complaint, action="callback")
    if form.is_valid():
        try:
            services.complaint_record_callback(complaint_id=complaint.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The callback was recorded."))
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "callback", form)


@login_required
@require_POST
def close(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.ActionForm(request.POST, complaint=complaint, action="close")
    try:
        services.complaint_close(complaint_id=complaint.pk, actor=request.user)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _refused(request, complaint, "close", form)
    messages.success(request, _("The complaint was closed."))
    return redirect("complaints-staff:detail", pk=complaint.pk)


@login_required
@require_POST
def publish(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.PublishForm(request.POST, complaint=complaint, action="publish")
    if form.is_valid():
        try:
            services.typical_case_publish(complaint_id=complaint.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The complaint was published as a typical case."))
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "publish", form)


@login_required
@require_POST
def escalate(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.CentreForm(request.POST, complaint=complaint, action="escalate")
    if form.is_valid():
        try:
            services.complaint_escalate(
                complaint_id=complaint.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The complaint was handed up to the centre above."))
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "escalate", form)


@login_required
@require_POST
def take_over(request, pk):
    complaint = complaint_for_staff(request.user, pk)
    form = forms.CentreForm(request.POST, complaint=complaint, action="take_over")
    if form.is_valid():
        try:
            services.complaint_take_over(
                complaint_id=complaint.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your centre now holds the complaint."))
            return redirect("complaints-staff:detail", pk=complaint.pk)
    return _refused(request, complaint, "take_over", form)
