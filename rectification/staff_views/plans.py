from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.current import get_current_campaign
from kernel.forms import apply_service_errors

from .. import rules, services
from ..forms import CommitmentForm, PlanForm, ReasonForm
from ..models import Plan
from .common import PER_PAGE, require_coordinator, require_pages


def _plan(user, pk) -> Plan:
    return get_object_or_404(
        Plan.objects.visible_to(user).select_related("office", "campaign", "submitted_by", "reviewed_by"), pk=pk
    )


def _return_form(data=None):
    return ReasonForm(
        data,
        prefix_ids="return",
        label=_("Comments for the office"),
        help_text=_("What the office should change. It reads them with the returned plan."),
    )


def _approve_form(data=None):
    return ReasonForm(data, prefix_ids="approve", label=_("Comments (optional)"), required=False)


@login_required
def my_plan(request):
    """The office's plan for the current campaign, or the form that starts it."""
    user = request.user
    if not rules.works_on(user):
        raise PermissionDenied
    campaign = get_current_campaign()
    plan = Plan.objects.filter(campaign=campaign, office_id=user.office_id).first() if campaign else None
    if plan is not None:
        return redirect("rectification-staff:plan-detail", pk=plan.pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was started. Add the commitments that answer your problems."))
            return redirect("rectification-staff:plan-detail", pk=plan.pk)
    return render(
        request,
        "rectification/staff/plan_form.html",
        {"form": form, "plan": None, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
def plans(request):
    user = request.user
    if not rules.sees_all(user):
        raise PermissionDenied
    campaign = get_current_campaign()
    qs = Plan.objects.for_review(user).filter(campaign=campaign).order_by("office__name")
    status = request.GET.get("status", "")
    if status in Plan.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rectification/staff/plans.html",
        {
            "page": page,
            "status": status,
            "statuses": Plan.Status.choices,
            "campaign": campaign,
        },
    )


def _render_plan(request, plan, *, failed=None, status=200):
    user = request.user
    mine = rules.works_on(user, plan.office_id)
    coordinator = rules.is_coordinator(user)
    forms = {"approve": _approve_form(), "return": _return_form()}
    if failed:
        forms[failed[0]] = failed[1]
    commitments = list(
        plan.commitments.select_related("responsible_office", "plan__office")
        .with_overdue(timezone.localdate())
        .order_by("number")
    )
    return render(
        request,
        "rectification/staff/plan_detail.html",
        {
            "plan": plan,
            "commitments": commitments,
            "can_edit": mine and plan.text_editable,
            "can_submit": mine and plan.status in (Plan.Status.DRAFT, Plan.Status.RETURNED),
            "can_add": mine and plan.accepts_commitments,
            "can_review": coordinator and plan.status == Plan.Status.SUBMITTED,
            "forms": forms,
            "failed": failed[0] if failed else None,
        },
        status=status,
    )


@login_required
def plan_detail(request, pk):
    require_pages(request.user)
    return _render_plan(request, _plan(request.user, pk))


@login_required
def plan_edit(request, pk):
    user = request.user
    plan = _plan(user, pk)
    if not rules.works_on(user, plan.office_id):
        raise PermissionDenied
    form = PlanForm(
        request.POST or None,
        initial={
            "summary": plan.summary,
            "approved_collectively_on": plan.approved_collectively_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(actor=user, plan_id=plan.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("rectification-staff:plan-detail", pk=plan.pk)
    return render(
        request, "rectification/staff/plan_form.html", {"form": form, "plan": plan}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def plan_submit(request, pk):
    plan = _plan(request.user, pk)
    try:
        services.plan_submit(actor=request.user, plan_id=plan.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan was submitted to the campaign office."))
    return redirect("rectification-staff:plan-detail", plan.pk)


@login_required
@require_POST
def plan_approve(request, pk):
    require_coordinator(request.user)
    plan = _plan(request.user, pk)
    form = _approve_form(request.POST)
    if form.is_valid():
        try:
            services.plan_approve(actor=request.user, plan_id=plan.pk, comments=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was filed (approved); its commitments are published."))
            return redirect("rectification-staff:plan-detail", plan.pk)
    return _render_plan(request, plan, failed=("approve", form), status=400)


@login_required
@require_POST
def plan_return(request, pk):
    require_coordinator(request.user)
    plan = _plan(request.user, pk)
    form = _return_form(request.POST)
    if form.is_valid():
        try:
            services.plan_return(actor=request.user, plan_id=plan.pk, comments=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was returned to the office with your comments."))
            return redirect("rectification-staff:plan-detail", plan.pk)
    return _render_plan(request, plan, failed=("return", form), status=400)


@login_required
def commitment_new(request, pk):
    user = request.user
    plan = _plan(user, pk)
    if not rules.works_on(user, plan.office_id):
        raise PermissionDenied
    form = CommitmentForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(actor=user, plan_id=plan.pk, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Commitment %(code)s was added to the plan as a draft.") % {"code": commitment.code}
            )
            return redirect("rectification-staff:plan-detail", pk=plan.pk)
    return render(
        request,
        "rectification/staff/commitment_form.html",
        {
            "form": form,
            "plan": plan,
            "commitment": None,
            "no_problems": not form.fields["problems"].queryset.exists(),
        },
        status=400 if form.errors else 200,
    )
