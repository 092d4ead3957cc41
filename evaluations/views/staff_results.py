"""The staff results: tables and charts (campaign office and supervisors, before and
after publication), the .xlsx export, and the free-text answers (campaign office only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kernel.xlsx import xlsx_response

from .. import charts, exports, selectors, tables
from ..querysets import can_manage
from .common import survey_for_staff


@login_required
def results(request, pk):
    survey = survey_for_staff(request.user, pk)
    results = selectors.survey_results(survey)
    return render(
        request,
        "evaluations/staff/results.html",
        {
            "survey": survey,
            "results": results,
            "summaries": selectors.question_summaries(survey),
            "composite_chart": charts.composite_chart(results),
            "group_chart": charts.ratings_by_group_chart(results),
            "legend": charts.legend(),
            "ranking_rows": tables.ranking_rows(results),
            "office_breakdowns": tables.staff_breakdowns(results),
            "can_manage": can_manage(request.user),
        },
    )


@login_required
@never_cache
def results_export(request, pk):
    survey = survey_for_staff(request.user, pk)
    content = exports.results_workbook(selectors.survey_results(survey), selectors.question_summaries(survey))
    return xlsx_response(content, f"appraisal-results-{survey.pk}")


@login_required
def answers(request, pk):
    survey = survey_for_staff(request.user, pk, manage=True)
    return render(
        request,
        "evaluations/staff/answers.html",
        {
            "survey": survey,
            "questions": selectors.free_text_answers(survey),
        },
    )
