"""The accountability cases (责任追究): the list, its export and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaigns import scope
from kernel.forms import apply_service_errors
from kernel.xlsx import xlsx_response

from .. import exports, rules, services
from .. import staff_forms as forms
from ..models import AccountabilityCase, Complaint
from .common import PER_PAGE, require_cases_page


def _cases_queryset(user):
    return AccountabilityCase.objects.filter(complaint__in=Complaint.objects.visible_to(user)).select_related(
        "complaint", "complaint__problem_type", "office", "decided_by"
    )


def _filtered_cases(request):
    form = forms.CaseFilterForm(
        request.GET or None, offices=scope.offices(request.user).order_by("name").values_list("pk", "name")
    )
    return form, form.filter(_cases_queryset(request.user))


def _render_cases(request, *, failed: forms.CaseDecideForm | None = None, status=200):
    form, cases = _filtered_cases(request)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if failed is not None and failed.case not in rows:
        rows.insert(0, failed.case)  # the form with the errors is shown even when filtered out
    can_decide = rules.is_centre(request.user)
    for case in rows:
        case.decide_form = None
        if failed is not None and failed.case.pk == case.pk:
            case.decide_form = failed
        elif can_decide and case.decision == AccountabilityCase.Decision.PENDING:
            case.decide_form = forms.CaseDecideForm(case=case)
    return render(
        request,
        "complaints/staff/cases.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "failed": failed,
        },
        status=status,
    )


@login_required
def cases(request):
    require_cases_page(request.user)
    return _render_cases(request)


@login_required
@never_cache
def cases_export(request):
    require_cases_page(request.user)
    _form, cases = _filtered_cases(request)
    return xlsx_response(exports.cases_workbook(cases), "accountability-cases")


@login_required
@require_POST
def case_decide(request, pk):
    case = get_object_or_404(_cases_queryset(request.user), pk=pk)
    form = forms.CaseDecideForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_decide(
                case_id=case.pk,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reasoning=form.cleaned_data["reasoning"],
                person=form.cleaned_data["person"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The decision on the case was recorded."))
            query = request.GET.urlencode()
            return redirect(reverse("complaints-staff:cases") + (f"?{query}" if query else ""))
    elif not rules.is_centre(request.user):
        raise PermissionDenied
    return _render_cases(request, failed=form, status=400)
