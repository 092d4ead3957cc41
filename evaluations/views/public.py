"""The public appraisal pages: voting with an invitation or an open link, the
published results and the published hearing summaries. No account anywhere; nothing
here ever shows who received an invitation or how anyone voted."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kernel.pagecache import public_page
from kernel.ratelimit import count_attempt, limit_reached

from .. import charts, selectors, services, tables
from ..forms import BallotForm, CodeForm
from ..models import Hearing, Invitation, Panelist, RespondentGroup, Survey
from ..services import BallotRefused
from ..tokens import normalise_token

TOKEN_GROUP, TOKEN_RATE = "evaluations:token", getattr(settings, "APPRAISAL_TOKEN_RATE", "20/10m")
OPEN_GROUP, OPEN_RATE = "evaluations:open", getattr(settings, "APPRAISAL_OPEN_RATE", "30/h")
BROWSER_COOKIE = "appraisal_browser"
THANKS_KEY = "evaluations:thanks"
# What each refusal answers with (the page says why in words).
REFUSAL_STATUS = {
    BallotRefused.UNKNOWN: 404,
    BallotRefused.NO_OPEN_LINK: 404,
    BallotRefused.USED: 410,
    BallotRefused.REVOKED: 410,
    BallotRefused.CLOSED: 410,
    BallotRefused.ALREADY_ANSWERED: 409,
    BallotRefused.NOT_OPEN_YET: 403,
    BallotRefused.NO_COOKIE: 400,
}


# --- Helpers ------------------------------------------------------------------------------------
def _unavailable(request, reason: str, survey: Survey | None = None):
    return render(
        request,
        "evaluations/public/unavailable.html",
        {"reason": reason, "survey": survey, "code_form": CodeForm() if reason == BallotRefused.UNKNOWN else None},
        status=REFUSAL_STATUS[reason],
    )


def _rate_limited(request):
    return render(request, "evaluations/public/unavailable.html", {"reason": "rate_limited"}, status=429)


def _thank(request, survey: Survey, *, open_link: bool = False):
    request.session[THANKS_KEY] = {"survey": survey.pk, "title": survey.title, "open_link": open_link}
    return redirect("evaluations:thanks")


def _render_ballot(request, form: BallotForm, *, group: RespondentGroup, open_link: bool, status=200):
    survey = form.spec.survey
    return render(
        request,
        "evaluations/public/ballot.html",
        {
            "survey": survey,
            "group": group,
            "form": form,
            "sections": form.sections(),
            "error_summary": form.error_summary() if form.is_bound else [],
            "open_link": open_link,
        },
        status=status,
    )


# --- Landing and the code typed from paper -----------------------------------------------------------
def _index(request, code_form: CodeForm, *, status: int = 200):
    """The landing page; after a wrong code, the same page with the code's error: the
    open surveys, published results and hearings are still there."""
    now = timezone.now()
    open_groups = list(
        RespondentGroup.objects.filter(
            open_link=True, survey__status=Survey.Status.OPEN, survey__opens_at__lte=now, survey__closes_at__gt=now
        )
        .select_related("survey")
        .order_by("survey__closes_at", "order")
    )
    return render(
        request,
        "evaluations/public/index.html",
        {
            "code_form": code_form,
            "open_groups": open_groups,
            "published": Survey.objects.for_public_list()[:5],
            "hearings": Hearing.objects.for_public_list()[:5],
        },
        status=status,
    )


@require_GET
@public_page
def index(request):
    return _index(request, CodeForm())


@require_POST
def code_entry(request):
    if limit_reached(request, TOKEN_GROUP, TOKEN_RATE):
        return _rate_limited(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        return redirect("evaluations:ballot", token=form.cleaned_data["code"])
    count_attempt(request, TOKEN_GROUP, TOKEN_RATE)
    return _index(request, form, status=400)


# --- Voting with an invitation ----------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request, token):
    if limit_reached(request, TOKEN_GROUP, TOKEN_RATE):
        return _rate_limited(request)
    canonical = normalise_token(token)
    invitation = (
        Invitation.objects.select_related("group", "group__survey").filter(token=canonical).first()
        if canonical
        else None
    )
    refusal = services.invitation_refusal(invitation)
    if refusal:
        if refusal == BallotRefused.UNKNOWN:
            count_attempt(request, TOKEN_GROUP, TOKEN_RATE)
        return _unavailable(request, refusal, invitation.group.survey if invitation else None)
    survey, group = invitation.group.survey, invitation.group
    spec = selectors.ballot_spec(survey)
    if request.method != "POST":
        return _render_ballot(request, BallotForm(spec), group=group, open_link=False)
    form = BallotForm(spec, request.POST)
    if form.is_valid():
        try:
            services.ballot_submit_invitation(token=canonical, answers=form.answers())
        except BallotRefused as refused:
            return _unavailable(request, refused.reason, survey)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _thank(request, survey)
    return _render_ballot(request, form, group=group, open_link=False, status=400)


# --- Voting through an open public link ---------------------------------------------------------
def _open_group(survey_id: int, group_id: int) -> RespondentGroup:
    group = RespondentGroup.objects.select_related("survey").filter(pk=group_id, survey_id=survey_id).first()
    if group is None or not group.open_link:
        raise Http404
    return group


def _with_browser_cookie(request, response, cookie: str):
    if request.COOKIES.get(BROWSER_COOKIE) != cookie:
        response.set_cookie(
            BROWSER_COOKIE,
            cookie,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def ballot_open(request, survey, group):
    try:
        group = _open_group(survey, group)
    except Http404:
        return _unavailable(request, BallotRefused.NO_OPEN_LINK)
    survey = group.survey
    refusal = services.voting_refusal(survey)
    if refusal:
        return _unavailable(request, refusal, survey)
    cookie = request.COOKIES.get(BROWSER_COOKIE, "")
    if cookie and services.has_answered_open(survey.pk, cookie):
        return _unavailable(request, BallotRefused.ALREADY_ANSWERED, survey)
    spec = selectors.ballot_spec(survey)
    if request.method != "POST":
        # The cookie that makes it one ballot per browser, given with the empty ballot.
        response = _render_ballot(request, BallotForm(spec), group=group, open_link=True)
        return _with_browser_cookie(request, response, cookie or secrets.token_urlsafe(24))
    if limit_reached(request, OPEN_GROUP, OPEN_RATE):
        return _rate_limited(request)
    form = BallotForm(spec, request.POST)
    if form.is_valid():
        try:
            services.ballot_submit_open(
                survey_id=survey.pk, group_id=group.pk, browser_cookie=cookie, answers=form.answers()
            )
        except BallotRefused as refused:
            return _unavailable(request, refused.reason, survey)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            count_attempt(request, OPEN_GROUP, OPEN_RATE)
            return _thank(request, survey, open_link=True)
    return _render_ballot(request, form, group=group, open_link=True, status=400)


@never_cache
@require_GET
def thanks(request):
    thanked = request.session.get(THANKS_KEY)
    if not thanked:
        return redirect("evaluations:index")
    return render(request, "evaluations/public/thanks.html", {"thanked": thanked})


# --- Published results and hearings -----------------------------------------------------------------
@require_GET
@public_page
def results_list(request):
    return render(request, "evaluations/public/results_list.html", {"surveys": Survey.objects.for_public_list()})


@require_GET
@public_page
def results(request, survey):
    survey = get_object_or_404(Survey.objects.published().select_related("campaign", "hearing"), pk=survey)
    results = selectors.survey_results(survey)
    return render(
        request,
        "evaluations/public/results.html",
        {
            "survey": survey,
            "results": results,
            "composite_chart": charts.composite_chart(results),
            "ranking_rows": tables.ranking_rows(results),
            "office_breakdowns": tables.public_breakdowns(results),
        },
    )


@require_GET
@public_page
def hearings(request):
    return render(request, "evaluations/public/hearings.html", {"hearings": Hearing.objects.for_public_list()})


@require_GET
@public_page
def hearing(request, pk):
    hearing = get_object_or_404(Hearing.objects.published().for_detail(), pk=pk)
    panel = list(hearing.panel.all())
    composition = [(label, sum(1 for p in panel if p.kind == kind)) for kind, label in Panelist.Kind.choices]
    return render(
        request,
        "evaluations/public/hearing.html",
        {
            "hearing": hearing,
            "composition": [(label, n) for label, n in composition if n],
            "poll_published": bool(hearing.poll_id and hearing.poll.is_published),
        },
    )
