"""/staff/plan/import/: the campaign office reads its plan into a preview, corrects
it (the office each unmatched name means, the phases' dates, the text itself) and
imports it in one step. Nothing is stored before "Import"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kernel.forms import apply_service_errors
from kernel.xlsx import xlsx_response

from .forms import PlanCorrectionsForm, PlanSourceForm
from .importer import offices_for, plan_import, plan_preview, preview_json
from .rules import may_plan
from .spreadsheet import template_bytes


def _error_summary(*forms) -> list[tuple[str, str, str]]:
    """(anchor, what, message) for each error, each linking to its field."""
    rows = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for name, errors in form.errors.items():
            field = form[name] if name in form.fields else None
            for message in errors:
                rows.append((field.id_for_label if field else "", field.label if field else _("Plan"), message))
    return rows


@login_required
def plan_template_view(request):
    """The spreadsheet template of a plan, one row per task."""
    if not may_plan(request.user):
        raise PermissionDenied
    return xlsx_response(template_bytes(), "plan-template")


@login_required
def plan_import_view(request):
    if not may_plan(request.user):
        raise PermissionDenied
    offices = offices_for(request.user)
    if request.method != "POST":
        return render(request, "campaigns/plan_import.html", {"source": PlanSourceForm(user=request.user)})
    source = PlanSourceForm(request.POST, request.FILES, user=request.user)
    if not source.is_valid():
        context = {"source": source, "error_summary": _error_summary(source)}
        return render(request, "campaigns/plan_import.html", context, status=400)
    text, year = source.cleaned_data["text"], source.cleaned_data["year"]
    if source.cleaned_data.get("document"):  # show the text that was read, to be corrected
        data = request.POST.copy()
        data["text"] = text
        source = PlanSourceForm(data, user=request.user)
        source.is_valid()
    found = plan_preview(text, year=year, offices=offices)
    importing = "import" in request.POST
    corrections = PlanCorrectionsForm(
        request.POST if importing else None,
        initial={k: v for k, v in request.POST.items() if k.startswith(("office_", "phase_")) and v},
        preview=found,
        unmatched=found.unmatched,
        offices=offices,
    )
    if importing and corrections.is_valid():
        preview = plan_preview(text, year=year, offices=offices, mapping=corrections.mapping())
        try:
            campaign = plan_import(
                preview=preview,
                actor=request.user,
                campaign_id=source.cleaned_data["campaign"].pk if source.cleaned_data["campaign"] else None,
                new_campaign_name=source.cleaned_data["new_campaign_name"],
                phase_dates=corrections.phase_dates(),
            )
        except ValidationError as exc:
            apply_service_errors(corrections, exc)
        else:
            messages.success(
                request,
                _("“%(name)s” is imported: %(count)d tasks. It is a draft until you set it to running.")
                % {"name": campaign.name, "count": preview.task_count()},
            )
            return redirect("staff:workspace")
    # The preview shows the offices chosen so far, before they are required.
    chosen = {
        name: int(value)
        for index, name in enumerate(found.unmatched)
        if (value := request.POST.get(f"office_{index}", "")).isdigit()
    }
    preview = plan_preview(text, year=year, offices=offices, mapping=chosen) if chosen else found
    read = preview_json(preview)
    context = {
        "source": source,
        "preview": preview,
        "corrections": corrections,
        "phases": [(phase, corrections.phase_fields(i)) for i, phase in enumerate(read["phases"])],
        "task_count": preview.task_count(),
        "error_summary": _error_summary(source, corrections),
    }
    return render(request, "campaigns/plan_import.html", context, status=400 if corrections.errors else 200)
