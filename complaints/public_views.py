"""The citizens' public complaint pages: no account, a tracking number and an access
code instead. Every write is one call to ``services``; nothing here ever shows who
complained."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.current import current_summary_or_404
from kernel.forms import apply_service_errors
from kernel.net import client_ip
from kernel.pagecache import public_page
from kernel.ratelimit import attempt_limited, count_attempt, limit_reached
from kernel.workcalendar import calendar_for

from . import rules, selectors, services
from .models import Complaint, ComplaintEvent, ProblemType, TypicalCase
from .public_forms import AddInfoForm, ComplaintForm, RateForm, ReviewForm, TrackForm

SUBMIT_GROUP, SUBMIT_RATE = "complaints:submit", getattr(settings, "COMPLAINT_SUBMIT_RATE", "5/10m")
TRACK_GROUP, TRACK_RATE = "complaints:track", getattr(settings, "COMPLAINT_TRACK_RATE", "10/10m")
# Adding information, rating and asking for a review, together: each attempt
# counts, refused ones included (a refused upload costs as much as an accepted one).
FOLLOW_UP_GROUP, FOLLOW_UP_RATE = "complaints:follow-up", getattr(settings, "COMPLAINT_FOLLOW_UP_RATE", "10/10m")
RECEIPT_KEY = "complaints:receipt"
UNLOCKED_KEY = "complaints:unlocked"
MAX_UNLOCKED = 20


# --- Helpers ------------------------------------------------------------------------
def _unlocked_ids(request) -> list[int]:
    return request.session.get(UNLOCKED_KEY, [])


def _unlocked_complaint(request, number: str) -> Complaint | None:
    return selectors.complaint_for_complainant(tracking_number=number, unlocked_ids=_unlocked_ids(request))


def _back_to_lookup(number: str = ""):
    """Where a locked, unknown or malformed number leads: the same form every time."""
    url = reverse("complaints:track")
    return redirect(f"{url}?{urlencode({'number': number[:40]})}" if number else url)


# --- Landing ------------------------------------------------------------------------
@require_GET
@public_page
def index(request):
    types = ProblemType.objects.filter(is_active=True).order_by("order", "pk")
    return render(request, "complaints/public/index.html", {"problem_types": types})


# --- Filing a complaint --------------------------------------------------------------
def _render_new(request, form, *, status=200, limited=False):
    return render(request, "complaints/public/new.html", {"form": form, "limited": limited}, status=status)


@require_http_methods(["GET", "POST"])
@public_page
def complaint_new(request):
    if request.method != "POST":
        return _render_new(request, ComplaintForm())
    if limit_reached(request, SUBMIT_GROUP, SUBMIT_RATE):
        # Keep what they typed (not the files) so nothing is lost while they wait.
        kept = {k: v for k, v in request.POST.items() if k in ComplaintForm.base_fields and k != "website"}
        return _render_new(request, ComplaintForm(initial=kept), status=429, limited=True)
    if request.POST.get("website"):
        # The honeypot was filled in: refuse without saying why, and store nothing.
        count_attempt(request, SUBMIT_GROUP, SUBMIT_RATE)
        data = request.POST.copy()
        data["website"] = ""
        form = ComplaintForm(data)
        form.full_clean()
        form.add_error(None, _("Your complaint could not be sent. Please check the form and try again."))
        return _render_new(request, form, status=400)

    form = ComplaintForm(request.POST, request.FILES)
    if form.is_valid():
        count_attempt(request, SUBMIT_GROUP, SUBMIT_RATE)
        data = form.cleaned_data
        try:
            result = services.complaint_submit(
                problem_type=data["problem_type"],
                office=data["office"],
                description=data["description"],
                occurred_on=data["occurred_on"],
                location=data["location"],
                is_anonymous=data["is_anonymous"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                attachments=data["attachments"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # Shown once on the next page, then the code leaves the session.
            request.session[RECEIPT_KEY] = {
                "tracking_number": result.complaint.tracking_number,
                "access_code": result.access_code,
                "emailed": bool(data["email"]),
                "duplicate": result.duplicate,
            }
            return redirect("complaints:receipt")
    return _render_new(request, form, status=400)


@never_cache
@require_GET
def receipt(request):
    receipt = request.session.get(RECEIPT_KEY)
    if not receipt:
        return redirect("complaints:new")
    access_code = receipt.pop("access_code", None)
    # The tracking number may be shown again; the access code never is.
    request.session[RECEIPT_KEY] = {**receipt, "code_shown": True}
    return render(
        request,
        "complaints/public/receipt.html",
        {"receipt": receipt, "access_code": access_code, "shown_before": receipt.get("code_shown", False)},
    )


# --- Following a complaint ------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
@public_page
def track(request):
    if request.method != "POST":
        form = TrackForm(initial={"tracking_number": request.GET.get("number", "")[:40]})
        return render(request, "complaints/public/track.html", {"form": form})
    form = TrackForm(request.POST)
    if limit_reached(request, TRACK_GROUP, TRACK_RATE):
        form = TrackForm(initial={"tracking_number": request.POST.get("tracking_number", "")[:40]})
        return render(request, "complaints/public/track.html", {"form": form, "limited": True}, status=429)
    if form.is_valid():
        complaint = selectors.complaint_unlock(
            tracking_number=form.cleaned_data["tracking_number"], access_code=form.cleaned_data["access_code"]
        )
        if complaint is not None:
            unlocked = [pk for pk in _unlocked_ids(request) if pk != complaint.pk]
            # A new session key on unlocking, so a planted session cookie unlocks nothing.
            request.session.cycle_key()
            request.session[UNLOCKED_KEY] = [complaint.pk, *unlocked][:MAX_UNLOCKED]
            return redirect("complaints:track-detail", number=complaint.tracking_number)
        count_attempt(request, TRACK_GROUP, TRACK_RATE)
        # The same words whether the number is unknown, malformed or the code is wrong.
        form.add_error(None, _("The tracking number and the access code do not match. Check both and try again."))
    return render(request, "complaints/public/track.html", {"form": form}, status=400)


def _render_detail(request, complaint, *, status=200, limited=False, **forms):
    today = timezone.localdate()
    calendar = calendar_for(today)
    timeline = selectors.public_timeline(complaint)
    context = {
        "complaint": complaint,
        "timeline": timeline,
        "open_question": next((e.note for e in reversed(timeline) if e.kind == ComplaintEvent.Kind.INFO_REQUESTED), "")
        if complaint.is_paused
        else "",
        "deadlines": selectors.public_deadlines(complaint, today, calendar),
        "can_add_info": rules.may_add_info(complaint),
        "can_rate": rules.may_rate(complaint),
        "can_request_review": rules.may_request_review(complaint, today, calendar),
        "add_info_form": forms.get("add_info_form") or AddInfoForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "limited": limited,
    }
    return render(request, "complaints/public/track_detail.html", context, status=status)


@never_cache
@require_GET
def track_detail(request, number):
    complaint = _unlocked_complaint(request, number)
    if complaint is None:
        return _back_to_lookup(number)
    return _render_detail(request, complaint)


@never_cache
@require_POST
def track_add_info(request, number):
    complaint = _unlocked_complaint(request, number)
    if complaint is None:
        return _back_to_lookup(number)
    if attempt_limited(request, FOLLOW_UP_GROUP, FOLLOW_UP_RATE):
        return _render_detail(request, complaint, status=429, limited=True)
    form = AddInfoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complaint_add_info(
                complaint_id=complaint.pk, text=form.cleaned_data["text"], attachments=form.cleaned_data["attachments"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your information was added to the complaint."))
            return redirect("complaints:track-detail", number=complaint.tracking_number)
    return _render_detail(request, complaint, status=400, add_info_form=form)


@never_cache
@require_POST
def track_rate(request, number):
    complaint = _unlocked_complaint(request, number)
    if complaint is None:
        return _back_to_lookup(number)
    if attempt_limited(request, FOLLOW_UP_GROUP, FOLLOW_UP_RATE):
        return _render_detail(request, complaint, status=429, limited=True)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_rate(complaint_id=complaint.pk, rating=form.cleaned_data["rating"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your rating was recorded."))
            return redirect("complaints:track-detail", number=complaint.tracking_number)
    return _render_detail(request, complaint, status=400, rate_form=form)


@never_cache
@require_POST
def track_review(request, number):
    complaint = _unlocked_complaint(request, number)
    if complaint is None:
        return _back_to_lookup(number)
    if attempt_limited(request, FOLLOW_UP_GROUP, FOLLOW_UP_RATE):
        return _render_detail(request, complaint, status=429, limited=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_request_review(complaint_id=complaint.pk, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your request for a review was sent to the complaint centre."))
            return redirect("complaints:track-detail", number=complaint.tracking_number)
    return _render_detail(request, complaint, status=400, review_form=form)


@require_POST
def track_forget(request, number):
    """Lock the complaint again in this browser (for shared computers)."""
    complaint = _unlocked_complaint(request, number)
    if complaint is not None:
        request.session[UNLOCKED_KEY] = [pk for pk in _unlocked_ids(request) if pk != complaint.pk]
    messages.info(request, _("This browser no longer shows the complaint. Enter the access code to see it again."))
    return redirect("complaints:track")


# --- Published results ------------------------------------------------------------------
@require_GET
@public_page
def stats(request):
    campaign = current_summary_or_404()
    statistics = selectors.campaign_statistics(campaign.pk) if campaign else None
    return render(
        request,
        "complaints/public/stats.html",
        {
            "campaign": campaign,
            "stats": statistics,
            "charts": statistics.as_charts() if statistics else None,
            "as_of": statistics.as_of if statistics else None,
        },
    )


@require_GET
@public_page
def cases(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in TypicalCase.Kind.values else ""
    page = Paginator(selectors.published_cases(kind=kind or None), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/public/cases.html",
        {"page": page, "kind": kind, "kinds": TypicalCase.Kind.choices},
    )
