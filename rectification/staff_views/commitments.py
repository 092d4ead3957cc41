from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import scope
from campaigns.current import get_current_campaign
from kernel.forms import apply_service_errors

from .. import rules, selectors, services
from ..forms import (
    CommitmentForm,
    CompletionForm,
    LookBackForm,
    ProgressForm,
    ReasonForm,
    StaffCommitmentFilterForm,
)
from ..models import Commitment, Evidence, Plan, RectificationSettings
from .common import PER_PAGE, require_pages

Status = Commitment.Status


# --- The list -------------------------------------------------------------------------------
@login_required
def commitments(request):
    user = request.user
    require_pages(user)
    today = timezone.localdate()
    campaign = get_current_campaign()
    qs = Commitment.objects.for_staff_list(user, today).filter(plan__campaign=campaign)
    offices = (
        scope.offices(user).filter(rectification_plans__campaign=campaign).distinct().order_by("name")
        if rules.sees_all(user)
        else []
    )
    form = StaffCommitmentFilterForm(request.GET or None, offices=offices)
    qs = form.filter(qs, today=today).order_by("deadline", "pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rectification/staff/commitments.html",
        {
            "form": form,
            "page": page,
            "campaign": campaign,
            "today": today,
        },
    )


# --- One commitment ------------------------------------------------------------------------
def offered_actions(user, commitment: Commitment) -> set[str]:
    """The forms to show: what the services would let ``user`` do now."""
    actions: set[str] = set()
    plan = commitment.plan
    if rules.can_edit_commitment(user, commitment):
        if commitment.status == Status.DRAFT and plan.accepts_commitments:
            actions |= {"edit", "delete"}
            if plan.status == Plan.Status.APPROVED:
                actions.add("publish")
        elif commitment.status in Commitment.OPEN_STATUSES:
            actions.add("edit")
    if rules.can_report_on(user, commitment) and commitment.status in Commitment.OPEN_STATUSES:
        actions |= {"progress", "complete"}
    if rules.is_coordinator(user):
        if commitment.status == Status.COMPLETED:
            actions |= {"verify", "send_back"}
        if commitment.status != Status.DRAFT:
            actions.add("lookback")
    if rules.can_flag(user) and commitment.is_public:
        actions.add("flag")
    return actions


def _forms(commitment: Commitment, actions: set[str]) -> dict:
    forms: dict[str, BaseForm] = {}
    if "progress" in actions:
        forms["progress"] = ProgressForm(initial={"percent": commitment.progress})
    if "complete" in actions:
        forms["complete"] = CompletionForm()
    if "send_back" in actions:
        forms["send_back"] = _send_back_form()
    if "lookback" in actions:
        forms["lookback"] = LookBackForm(reopenable=commitment.status in Commitment.DONE_STATUSES)
    if "flag" in actions:
        forms["flag"] = _flag_form()
    return forms


def _send_back_form(data=None):
    return ReasonForm(
        data,
        prefix_ids="send_back",
        label=_("Why it is sent back"),
        help_text=_("The office reads it and carries on with the commitment."),
    )


def _flag_form(data=None):
    return ReasonForm(
        data,
        prefix_ids="flag",
        label=_("What should be looked at again"),
        help_text=_("The commitment joins the campaign office's look-back queue."),
    )


def _detail(user, pk) -> Commitment:
    return get_object_or_404(Commitment.objects.for_staff_detail(user, timezone.localdate()), pk=pk)


def _render_detail(request, pk, *, failed=None, status=200):
    user = request.user
    commitment = _detail(user, pk)
    actions = offered_actions(user, commitment)
    forms = _forms(commitment, actions)
    if failed:
        forms[failed[0]] = failed[1]
    lookback_counts = None
    if "lookback" in actions:
        cfg = RectificationSettings.for_campaign(commitment.plan.campaign_id)
        counted = Commitment.objects.filter(pk=commitment.pk).with_recent_ratings().with_open_flags().get()
        lookback_counts = {
            "settings": cfg,
            "ratings": counted.recent_ratings,
            "dissatisfied": counted.recent_dissatisfied,
            "flags": counted.open_flags,
        }
    lookbacks = list(commitment.lookbacks.all())  # in the order they were decided (for_staff_detail)
    return render(
        request,
        "rectification/staff/commitment_detail.html",
        {
            "commitment": commitment,
            "lookbacks": lookbacks,
            "last_lookback": lookbacks[-1] if lookbacks else None,
            "updates": list(commitment.updates.all()),
            "revisions": list(commitment.revisions.all()),
            "extensions": [r for r in commitment.revisions.all() if r.deadline_changed],
            "open_flags": [f for f in commitment.flags.all() if f.lookback_id is None],
            "actions": actions,
            "forms": forms,
            "failed": failed[0] if failed else None,
            "ratings": selectors.rating_summary(commitment.pk) if commitment.status != Status.DRAFT else None,
            "lookback_counts": lookback_counts,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def commitment_detail(request, pk):
    require_pages(request.user)
    return _render_detail(request, pk)


@login_required
def commitment_edit(request, pk):
    user = request.user
    commitment = _detail(user, pk)
    if "edit" not in offered_actions(user, commitment):
        if not rules.can_edit_commitment(user, commitment):
            raise PermissionDenied
        messages.error(
            request,
            _("This commitment cannot be changed while it is “%(status)s”.")
            % {"status": commitment.get_status_display()},
        )
        return redirect("rectification-staff:commitment-detail", pk=pk)
    form = CommitmentForm(request.POST or None, plan=commitment.plan, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                actor=user,
                commitment_id=commitment.pk,
                reason=form.cleaned_data.get("reason", ""),
                **form.service_data(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment was saved."))
            return redirect("rectification-staff:commitment-detail", pk=pk)
    return render(
        request,
        "rectification/staff/commitment_form.html",
        {
            "form": form,
            "plan": commitment.plan,
            "commitment": commitment,
        },
        status=400 if form.errors else 200,
    )


def _visible(request, pk) -> Commitment:
    return get_object_or_404(Commitment.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def commitment_delete(request, pk):
    commitment = _visible(request, pk)
    try:
        services.commitment_delete(actor=request.user, commitment_id=commitment.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The draft commitment was deleted."))
    return redirect("rectification-staff:plan-detail", commitment.plan_id)


@login_required
@require_POST
def commitment_publish(request, pk):
    commitment = _visible(request, pk)
    try:
        services.commitment_publish(actor=request.user, commitment_id=commitment.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The commitment is published."))
    return redirect("rectification-staff:commitment-detail", pk)


@login_required
@require_POST
def commitment_progress(request, pk):
    commitment = _visible(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.progress_report(actor=request.user, commitment_id=commitment.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The progress update was posted."))
            return redirect("rectification-staff:commitment-detail", pk)
    return _render_detail(request, pk, failed=("progress", form), status=400)


@login_required
@require_POST
def commitment_complete(request, pk):
    commitment = _visible(request, pk)
    form = CompletionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.commitment_claim_completion(actor=request.user, commitment_id=commitment.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Completion was claimed. The campaign office will verify it."))
            return redirect("rectification-staff:commitment-detail", pk)
    return _render_detail(request, pk, failed=("complete", form), status=400)


@login_required
@require_POST
def commitment_verify(request, pk):
    commitment = _visible(request, pk)
    try:
        services.commitment_verify(actor=request.user, commitment_id=commitment.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The commitment is verified."))
    return redirect("rectification-staff:commitment-detail", pk)


@login_required
@require_POST
def commitment_send_back(request, pk):
    commitment = _visible(request, pk)
    form = _send_back_form(request.POST)
    if form.is_valid():
        try:
            services.commitment_send_back(
                actor=request.user, commitment_id=commitment.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment was sent back to the office."))
            return redirect("rectification-staff:commitment-detail", pk)
    return _render_detail(request, pk, failed=("send_back", form), status=400)


@login_required
@require_POST
def commitment_flag(request, pk):
    commitment = _visible(request, pk)
    form = _flag_form(request.POST)
    if form.is_valid():
        try:
            services.commitment_flag(
                actor=request.user, commitment_id=commitment.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. The commitment is in the campaign office's look-back queue."))
            return redirect("rectification-staff:commitment-detail", pk)
    return _render_detail(request, pk, failed=("flag", form), status=400)


@login_required
@require_POST
def commitment_lookback(request, pk):
    commitment = _visible(request, pk)
    form = LookBackForm(request.POST)  # every choice: the service explains a refusal
    if form.is_valid():
        try:
            services.lookback_decide(actor=request.user, commitment_id=commitment.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The look-back decision was recorded."))
            return redirect("rectification-staff:commitment-detail", pk)
    return _render_detail(request, pk, failed=("lookback", form), status=400)


@login_required
def evidence(request, pk):
    item = get_object_or_404(
        Evidence.objects.filter(update__commitment__in=Commitment.objects.visible_to(request.user)), pk=pk
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=item.original_name)
