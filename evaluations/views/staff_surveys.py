"""Staff pages for setting up surveys and moving them along: the list, the survey's
page, its settings, groups and questions, and the open / close / publish buttons.

Each view: the survey the user may see (404 otherwise) → a form → one service call →
a redirect, or the form again with the service's errors next to the fields."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.current import get_current_campaign
from kernel.forms import apply_service_errors

from .. import services
from ..forms import FrozenGroupFormSet, GroupFormSet, QuestionForm, ReasonForm, SurveyForm, group_initial
from ..models import Option, Question, Survey
from ..querysets import can_manage
from .common import flash_errors, open_link, require_reader, survey_for_staff

PER_PAGE = 25


@login_required
def survey_list(request):
    require_reader(request.user)
    page = Paginator(Survey.objects.for_staff_list(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/staff/survey_list.html",
        {
            "page": page,
            "can_manage": can_manage(request.user),
        },
    )


def _default_window():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    opens = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(8, 0)))
    return opens, opens + dt.timedelta(days=14, hours=10)


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    if not can_manage(request.user):
        raise Http404
    campaign = get_current_campaign()
    if request.method != "POST":
        opens, closes = _default_window()
        form = SurveyForm(
            creating=True,
            initial={"opens_at": opens, "closes_at": closes, "standard_ballot": True},
            user=request.user,
        )
        return render(request, "evaluations/staff/survey_form.html", {"form": form, "campaign": campaign})
    form = SurveyForm(request.POST, creating=True, user=request.user)
    valid = form.is_valid()
    if campaign is None:
        form.add_error(None, _("There is no current campaign to hold the survey. Make a campaign current first."))
        valid = False
    if valid:
        try:
            survey = services.survey_create(
                actor=request.user,
                campaign=campaign,
                standard_ballot=form.cleaned_data["standard_ballot"],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The survey was created as a draft."))
            return redirect("evaluations-staff:detail", pk=survey.pk)
    return render(request, "evaluations/staff/survey_form.html", {"form": form, "campaign": campaign}, status=400)


@login_required
def survey_detail(request, pk):
    survey = survey_for_staff(request.user, pk)
    manage = can_manage(request.user)
    questions = list(
        survey.questions.order_by("order").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order"))
        )
    )
    groups = list(survey.groups.all())
    has_ballots = services.voting_has_begun(survey.pk)
    context = {
        "survey": survey,
        "can_manage": manage,
        "questions": questions,
        "groups": groups,
        "offices": list(survey.offices.order_by("name")),
        "has_ballots": has_ballots,
        "frozen": has_ballots or survey.status in (Survey.Status.CLOSED, Survey.Status.PUBLISHED),
        "readiness": services.readiness_errors(survey) if survey.status == Survey.Status.DRAFT else [],
        "voting_open": survey.is_voting_open(),
        "open_links": [(g, open_link(survey.pk, g.pk)) for g in groups if g.open_link] if manage else [],
        "withdraw_form": ReasonForm(),
        "weight_total": sum(g.weight for g in groups),
    }
    return render(request, "evaluations/staff/survey_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = survey_for_staff(request.user, pk, manage=True)
    if request.method != "POST":
        form = SurveyForm(instance=survey, initial={"offices": list(survey.offices.all())}, user=request.user)
        return render(request, "evaluations/staff/survey_form.html", {"form": form, "survey": survey})
    form = SurveyForm(
        request.POST,
        instance=Survey.objects.get(pk=survey.pk),
        initial={"offices": list(survey.offices.all())},
        user=request.user,
    )
    if form.is_valid():
        try:
            services.survey_update(survey_id=survey.pk, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("evaluations-staff:detail", pk=survey.pk)
    return render(request, "evaluations/staff/survey_form.html", {"form": form, "survey": survey}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def groups_edit(request, pk):
    survey = survey_for_staff(request.user, pk, manage=True)
    groups = list(survey.groups.all())
    frozen = services.voting_has_begun(survey.pk)
    formset_class = FrozenGroupFormSet if frozen else GroupFormSet
    context = {"survey": survey, "frozen": frozen}
    if request.method != "POST":
        formset = formset_class(initial=group_initial(groups), prefix="groups")
        return render(request, "evaluations/staff/groups.html", {**context, "formset": formset})
    formset = formset_class(request.POST, initial=group_initial(groups), prefix="groups")
    if formset.is_valid():
        try:
            services.groups_replace(survey_id=survey.pk, actor=request.user, groups=formset.specs())
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages, renderer=formset.renderer)
        else:
            messages.success(request, _("The respondent groups were saved."))
            return redirect("evaluations-staff:detail", pk=survey.pk)
    return render(request, "evaluations/staff/groups.html", {**context, "formset": formset}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, question_pk=None):
    survey = survey_for_staff(request.user, pk, manage=True)
    question = get_object_or_404(survey.questions.prefetch_related("options"), pk=question_pk) if question_pk else None
    context = {
        "survey": survey,
        "question": question,
        "frozen": services.voting_has_begun(survey.pk) or survey.status == Survey.Status.PUBLISHED,
    }
    if request.method != "POST":
        if question:
            form = QuestionForm.for_question(question)
        else:
            has_matrix = survey.questions.filter(kind=Question.Kind.MATRIX).exists()
            form = QuestionForm(initial={"kind": Question.Kind.SINGLE if has_matrix else Question.Kind.MATRIX})
        return render(request, "evaluations/staff/question_form.html", {**context, "form": form})
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_save(
                survey_id=survey.pk,
                actor=request.user,
                question_id=question.pk if question else None,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                required=form.cleaned_data["required"],
                options=form.option_list(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("evaluations-staff:detail", pk=survey.pk)
    return render(request, "evaluations/staff/question_form.html", {**context, "form": form}, status=400)


@login_required
@require_POST
def question_delete(request, pk, question_pk):
    survey = survey_for_staff(request.user, pk, manage=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        services.question_delete(question_id=question.pk, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The question was deleted."))
    return redirect("evaluations-staff:detail", pk=survey.pk)


@login_required
@require_POST
def question_move(request, pk, question_pk, direction):
    survey = survey_for_staff(request.user, pk, manage=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        services.question_move(question_id=question.pk, actor=request.user, up=direction == "up")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(f"{reverse('evaluations-staff:detail', args=[survey.pk])}#question-{question.pk}")


TRANSITIONS = {
    "open": (
        services.survey_open,
        gettext_lazy("The survey is open: invitations and open links work from its opening time."),
    ),
    "close": (services.survey_close, gettext_lazy("The survey is closed: no more ballots are accepted.")),
    "reopen": (services.survey_reopen, gettext_lazy("The survey is open again until its closing time.")),
    "publish": (services.survey_publish, gettext_lazy("The results are published.")),
}


@login_required
@require_POST
def survey_transition(request, pk, action):
    survey = survey_for_staff(request.user, pk, manage=True)
    if action == "withdraw":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            flash_errors(request, ValidationError(_("Say why the publication is withdrawn.")))
            return redirect("evaluations-staff:detail", pk=survey.pk)
        call, done = (
            lambda **kw: services.survey_withdraw(reason=form.cleaned_data["reason"], **kw),
            _("The publication was withdrawn; the results are no longer public."),
        )
    elif action in TRANSITIONS:
        call, done = TRANSITIONS[action]
    else:
        raise Http404
    try:
        call(survey_id=survey.pk, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("evaluations-staff:detail", pk=survey.pk)
