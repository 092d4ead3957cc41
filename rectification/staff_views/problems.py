from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import scope
from campaigns.current import get_current_campaign
from complaints import rules as complaint_rules
from kernel.forms import apply_service_errors

from .. import rules, services
from ..forms import ProblemForm
from ..models import Commitment, Problem
from .common import PER_PAGE, require_pages


def _require_recorder(user) -> None:
    if not (rules.is_coordinator(user) or rules.works_on(user)):
        raise PermissionDenied


@login_required
def problems(request):
    user = request.user
    require_pages(user)
    campaign = get_current_campaign()
    qs = Problem.objects.for_list(user).filter(campaign=campaign).order_by("-found_on", "-pk")
    offices, office_filter = [], None
    if rules.sees_all(user):
        offices = scope.offices(user).filter(rectification_problems__campaign=campaign).distinct().order_by("name")
        value = request.GET.get("office", "")
        if value.isdigit():
            office_filter = int(value)
            qs = qs.filter(office_id=office_filter)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rectification/staff/problems.html",
        {
            "page": page,
            "offices": offices,
            "office_filter": office_filter,
            "campaign": campaign,
            "can_record": rules.is_coordinator(user) or rules.works_on(user),
        },
    )


@login_required
def problem_new(request):
    user = request.user
    _require_recorder(user)
    complaints_qs = services.complaints_offered(user).select_related("problem_type", "office").order_by("-replied_at")
    initial = {}
    preselected = request.GET.get("complaint", "")
    if preselected.isdigit():
        complaint = complaints_qs.filter(pk=int(preselected)).first()
        if complaint is not None:
            initial = {"complaints": [complaint], "source": Problem.Source.COMPLAINT, "office": complaint.office}
    form = ProblemForm(request.POST or None, user=user, complaints_qs=complaints_qs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.problem_create(
                actor=user,
                office=data.get("office") or user.office,
                description=data["description"],
                source=data["source"],
                severity=data["severity"],
                found_on=data["found_on"],
                complaints=list(data["complaints"]),
                appraisal_reference=data["appraisal_reference"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The problem was recorded. Answer it with a commitment in your plan."))
            return redirect("rectification-staff:problem-detail", pk=problem.pk)
    return render(request, "rectification/staff/problem_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def problem_detail(request, pk):
    user = request.user
    require_pages(user)
    problem = get_object_or_404(
        Problem.objects.visible_to(user).select_related("office", "problem_type", "created_by", "campaign"), pk=pk
    )
    return render(
        request,
        "rectification/staff/problem_detail.html",
        {
            "problem": problem,
            "complaints": list(problem.complaints.select_related("problem_type").order_by("received_on")),
            "commitments": list(
                Commitment.objects.visible_to(user)
                .filter(problems=problem)
                .select_related("plan__office", "responsible_office")
            ),
            "can_read_complaints": complaint_rules.reads_all_complaints(user),
        },
    )


@login_required
def complaint_candidates(request):
    """Substantiated complaints about the office not recorded as a problem yet: one click each."""
    user = request.user
    _require_recorder(user)
    qs = services.complaints_to_record(user).select_related("problem_type", "office").order_by("-replied_at", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rectification/staff/complaints.html", {"page": page})


@login_required
@require_POST
def record_complaint(request, pk):
    user = request.user
    _require_recorder(user)
    complaint = get_object_or_404(services.complaints_to_record(user), pk=pk)
    try:
        problem = services.problem_from_complaint(actor=user, complaint_id=complaint.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rectification-staff:complaints")
    messages.success(
        request,
        _("Complaint %(number)s was recorded as problem %(code)s.")
        % {
            "number": complaint.tracking_number,
            "code": problem.code,
        },
    )
    return redirect("rectification-staff:problem-detail", pk=problem.pk)
