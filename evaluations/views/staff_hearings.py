"""Hearings (听证质询): the record of a hearing, its panel and the questions raised,
the panel's opinion poll and the published summary. Supervisors read; the campaign
office writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.current import get_current_campaign
from kernel.forms import apply_service_errors

from .. import services
from ..forms import HearingForm, HearingQuestionForm, PanelistForm, PollForm, ReasonForm
from ..models import Hearing, HearingQuestion, Panelist
from ..querysets import can_manage
from .common import flash_errors, hearing_for_staff, require_reader

PER_PAGE = 25


@login_required
def hearing_list(request):
    require_reader(request.user)
    hearings = Hearing.objects.visible_to(request.user).for_staff_list()
    page = Paginator(hearings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "evaluations/staff/hearing_list.html", {"page": page, "can_manage": can_manage(request.user)}
    )


def _detail(request, hearing_pk, *, status=200, **forms):
    hearing = hearing_for_staff(request.user, hearing_pk, queryset=Hearing.objects.for_detail())
    return render(
        request,
        "evaluations/staff/hearing_detail.html",
        {
            "hearing": hearing,
            "can_manage": can_manage(request.user),
            "panelist_form": forms.get("panelist_form") or PanelistForm(),
            "question_form": forms.get("question_form") or HearingQuestionForm(hearing=hearing),
            "poll_form": forms.get("poll_form") or PollForm.for_hearing(hearing),
            "withdraw_form": ReasonForm(),
            "poll_invitations": list(
                Panelist.objects.filter(hearing=hearing).select_related("invitation").order_by("kind", "pk")
            )
            if hearing.poll_id and can_manage(request.user)
            else [],
        },
        status=status,
    )


@login_required
def hearing_detail(request, hearing_pk):
    return _detail(request, hearing_pk)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_edit(request, hearing_pk=None):
    hearing = hearing_for_staff(request.user, hearing_pk, manage=True) if hearing_pk else None
    if hearing is None and not can_manage(request.user):
        raise Http404
    if request.method != "POST":
        form = HearingForm(
            instance=hearing, initial={"offices": list(hearing.offices.all())} if hearing else None, user=request.user
        )
        return render(request, "evaluations/staff/hearing_form.html", {"form": form, "hearing": hearing})
    form = HearingForm(
        request.POST,
        instance=Hearing.objects.get(pk=hearing.pk) if hearing else None,
        initial={"offices": list(hearing.offices.all())} if hearing else None,
        user=request.user,
    )
    campaign = get_current_campaign()
    valid = form.is_valid()
    if hearing is None and campaign is None:
        form.add_error(None, _("There is no current campaign to hold the hearing. Make a campaign current first."))
        valid = False
    if valid:
        data = form.cleaned_data
        try:
            if hearing is None:
                hearing = services.hearing_create(
                    actor=request.user,
                    campaign=campaign,
                    title=data["title"],
                    date=data["date"],
                    place=data["place"],
                    offices=data["offices"],
                    summary=data["summary"],
                )
            else:
                services.hearing_update(
                    hearing_id=hearing.pk,
                    actor=request.user,
                    offices=data["offices"],
                    title=data["title"],
                    date=data["date"],
                    place=data["place"],
                    summary=data["summary"],
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The hearing was saved."))
            return redirect("evaluations-staff:hearing", hearing_pk=hearing.pk)
    return render(request, "evaluations/staff/hearing_form.html", {"form": form, "hearing": hearing}, status=400)


@login_required
@require_POST
def panelist_add(request, hearing_pk):
    hearing = hearing_for_staff(request.user, hearing_pk, manage=True)
    form = PanelistForm(request.POST)
    if form.is_valid():
        try:
            services.panelist_add(hearing_id=hearing.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added to the panel.") % {"name": form.cleaned_data["name"]})
            return redirect("evaluations-staff:hearing", hearing_pk=hearing.pk)
    return _detail(request, hearing.pk, status=400, panelist_form=form)


@login_required
@require_POST
def panelist_remove(request, hearing_pk, panelist_pk):
    hearing = hearing_for_staff(request.user, hearing_pk, manage=True)
    panelist = get_object_or_404(Panelist, pk=panelist_pk, hearing=hearing)
    try:
        services.panelist_remove(panelist_id=panelist.pk, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("%(name)s was removed from the panel.") % {"name": panelist.name})
    return redirect("evaluations-staff:hearing", hearing_pk=hearing.pk)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_question(request, hearing_pk, question_pk=None):
    hearing = hearing_for_staff(request.user, hearing_pk, manage=True)
    item = get_object_or_404(HearingQuestion, pk=question_pk, hearing=hearing) if question_pk else None
    if request.method != "POST":
        if item is None:
            return redirect("evaluations-staff:hearing", hearing_pk=hearing.pk)
        form = HearingQuestionForm(
            hearing=hearing,
            initial={
                "office": item.office_id,
                "asked_by": item.asked_by_id,
                "question": item.question,
                "answer": item.answer,
            },
        )
        return render(
            request, "evaluations/staff/hearing_question_form.html", {"hearing": hearing, "item": item, "form": form}
        )
    form = HearingQuestionForm(request.POST, hearing=hearing)
    if form.is_valid():
        try:
            services.hearing_question_save(
                hearing_id=hearing.pk, actor=request.user, question_id=item.pk if item else None, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The question and answer were saved."))
            return redirect("evaluations-staff:hearing", hearing_pk=hearing.pk)
    if item is not None:
        return render(
            request,
            "evaluations/staff/hearing_question_form.html",
            {"hearing": hearing, "item": item, "form": form},
            status=400,
        )
    return _detail(request, hearing.pk, status=400, question_form=form)


@login_required
@require_POST
def hearing_question_delete(request, hearing_pk, question_pk):
    hearing = hearing_for_staff(request.user, hearing_pk, manage=True)
    item = get_object_or_404(HearingQuestion, pk=question_pk, hearing=hearing)
    services.hearing_question_delete(question_id=item.pk, actor=request.user)
    messages.success(request, _("The question was deleted."))
    return redirect("evaluations-staff:hearing", hearing_pk=hearing.pk)


@login_required
@require_POST
def poll_create(request, hearing_pk):
    hearing = hearing_for_staff(request.user, hearing_pk, manage=True)
    form = PollForm(request.POST)
    if form.is_valid():
        try:
            poll = services.hearing_poll_create(hearing_id=hearing.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The opinion poll was created with one invitation per panel member. "
                    "Check it and open it, then print the invitations."
                ),
            )
            return redirect("evaluations-staff:detail", pk=poll.pk)
    return _detail(request, hearing.pk, status=400, poll_form=form)


@login_required
@require_POST
def hearing_transition(request, hearing_pk, action):
    hearing = hearing_for_staff(request.user, hearing_pk, manage=True)
    try:
        if action == "publish":
            services.hearing_publish(hearing_id=hearing.pk, actor=request.user)
            messages.success(request, _("The summary of the hearing is published."))
        elif action == "withdraw":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.hearing_withdraw(hearing_id=hearing.pk, actor=request.user, reason=reason)
            messages.success(request, _("The summary was withdrawn from the public pages."))
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("evaluations-staff:hearing", hearing_pk=hearing.pk)
