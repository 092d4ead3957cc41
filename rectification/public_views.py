"""The public pages: the board of commitments, one commitment with its progress,
revisions, ratings and comments, the rating and comment forms (no account: one
rating per browser per commitment, kept by a cookie, and a per-address limit),
the evidence files, and the published results."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.current import current_summary_or_404
from campaigns.models import Office
from kernel.forms import apply_service_errors
from kernel.net import client_ip
from kernel.pagecache import public_page
from kernel.ratelimit import attempt_limited

from . import selectors, services
from .figures import satisfaction_rate
from .forms import CommentForm, CommitmentFilterForm, RatingForm
from .models import Commitment, Evidence, OfficeResult, Rating, ResultsPublication
from .services.common import hashed

PER_PAGE = 25
FEEDBACK_GROUP = "rectification:feedback"
FEEDBACK_RATE = getattr(settings, "RECTIFICATION_FEEDBACK_RATE", "10/h")
RATER_COOKIE = "cp_rater"
RATER_SALT = "rectification.rater"
RATER_MAX_AGE = 2 * 365 * 24 * 3600


# --- The browser's rating token ----------------------------------------------------------
def _rater_token(request) -> str | None:
    return request.get_signed_cookie(RATER_COOKIE, default=None, salt=RATER_SALT)


def _set_rater_token(response, token: str):
    response.set_signed_cookie(
        RATER_COOKIE,
        token,
        salt=RATER_SALT,
        max_age=RATER_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _limited(request) -> bool:
    """Counts this attempt; True once the address has used up its attempts."""
    return attempt_limited(request, FEEDBACK_GROUP, FEEDBACK_RATE)


# --- The board ----------------------------------------------------------------------------
@require_GET
@public_page
def board(request):
    today = timezone.localdate()
    campaign = current_summary_or_404()
    offices = (
        Office.objects.filter(rectification_plans__campaign_id=campaign.pk).distinct().order_by("name")
        if campaign
        else Office.objects.none()
    )
    form = CommitmentFilterForm(
        request.GET or None, offices=offices, statuses=[(s.value, s.label) for s in selectors.BOARD_STATUSES]
    )
    commitments = form.filter(Commitment.objects.for_board(today), today=today)
    page = Paginator(commitments, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rectification/public/board.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "counts": selectors.board_counts(today) if campaign else None,
            "today": today,
            "results": ResultsPublication.objects.filter(campaign_id=campaign.pk).exists() if campaign else False,
        },
    )


# --- One commitment ---------------------------------------------------------------------------
def _render_detail(request, pk, *, rating_form=None, comment_form=None, status=200, limited=False):
    commitment = get_object_or_404(Commitment.objects.for_public_detail(), pk=pk)
    token = _rater_token(request)
    my_rating = (
        Rating.objects.filter(commitment=commitment, browser_key=hashed(f"browser:{token}")).first() if token else None
    )
    extensions = [r for r in commitment.revisions.all() if r.deadline_changed]
    return render(
        request,
        "rectification/public/detail.html",
        {
            "commitment": commitment,
            "problems": list(commitment.problems.all()),
            "updates": list(commitment.updates.all()),
            "revisions": list(commitment.revisions.all()),
            "extensions": extensions,
            "comments": commitment.published_comments,
            "ratings": selectors.rating_summary(commitment.pk),
            "my_rating": my_rating,
            "rating_form": rating_form or RatingForm(),
            "comment_form": comment_form or CommentForm(),
            "limited": limited,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
def detail(request, pk):
    return _render_detail(request, pk)


@require_POST
def rate(request, pk):
    get_object_or_404(Commitment.objects.public(), pk=pk)
    form = RatingForm(request.POST)
    if _limited(request):
        form.is_valid()
        form.add_error(None, _("Too many ratings and comments from your network just now. Please try again later."))
        return _render_detail(request, pk, rating_form=form, status=429, limited=True)
    token = _rater_token(request) or secrets.token_urlsafe(24)
    if form.is_valid():
        try:
            _rating, comment = services.rating_submit(
                commitment_id=pk,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                browser_token=token,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your rating was recorded."))
            if comment is not None:
                messages.info(request, _held_message(comment))
            return _set_rater_token(_back_to_top(pk), token)
    return _render_detail(request, pk, rating_form=form, status=400)


def _back_to_top(pk):
    """To the page's main content, where the message is: the forms post to ``#rate``
    or ``#comment`` so that their errors are in view, and a browser would keep that
    fragment through the redirect."""
    return redirect(reverse("rectification:detail", args=[pk]) + "#main")


def _held_message(comment) -> str:
    if comment.has_link:
        return _(
            "Your comment contains a web link. It is held, and the campaign office checks comments with links "
            "with particular care before publishing them."
        )
    return _("Your comment is held until the campaign office has read it; then it appears on this page.")


@require_POST
def comment(request, pk):
    get_object_or_404(Commitment.objects.public(), pk=pk)
    form = CommentForm(request.POST)
    if _limited(request):
        form.is_valid()
        form.add_error(None, _("Too many ratings and comments from your network just now. Please try again later."))
        return _render_detail(request, pk, comment_form=form, status=429, limited=True)
    token = _rater_token(request) or secrets.token_urlsafe(24)
    if form.is_valid():
        try:
            held = services.comment_submit(
                commitment_id=pk,
                text=form.cleaned_data["comment"],
                browser_token=token,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.info(request, _held_message(held))
            return _set_rater_token(_back_to_top(pk), token)
    return _render_detail(request, pk, comment_form=form, status=400)


@require_GET
def evidence(request, pk):
    """A file of a public commitment's progress; any other is a 404 here."""
    item = get_object_or_404(Evidence.objects.filter(update__commitment__in=Commitment.objects.public()), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=item.original_name)


# --- The published results ------------------------------------------------------------------
@require_GET
@public_page
def results(request):
    campaign = current_summary_or_404()
    publication = (
        ResultsPublication.objects.filter(campaign_id=campaign.pk).select_related("campaign").first()
        if campaign
        else None
    )
    rows = list(publication.rows.all()) if publication else []
    totals = None
    if rows:
        totals = {key: sum(getattr(r, key) for r in rows) for key in OfficeResult.FIGURES}
        totals["satisfaction_rate"] = satisfaction_rate(totals["satisfied"], totals["basically"], totals["ratings"])
    return render(
        request,
        "rectification/public/results.html",
        {
            "campaign": campaign,
            "publication": publication,
            "rows": rows,
            "totals": totals,
        },
    )
