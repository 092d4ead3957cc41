"""Staff pages for complaints: the queue, "first received by me" (首问负责), the
detail page with one POST endpoint per workflow step, complaints entered by
staff, the accountability cases, and the Excel exports.

Every complaint is fetched through ``Complaint.objects.visible_to`` (``for_queue``,
``for_staff_detail``), so another office's complaint is a 404 like one that does
not exist. The services decide who may do what; this module only decides which
forms to offer, so a forged POST still meets the service's refusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Prefetch, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaigns.models import Office
from campaigns.pagination import BoundedPaginator
from campaigns.workcalendar import calendar_for

from . import exports, services
from . import staff_forms as forms
from .models import AccountabilityCase, Complaint, ComplaintAttachment, ComplaintEvent, ProblemType

PER_PAGE = 25
#: Rows the queue's Excel export writes in the request (about 10 s); beyond, the ledger.
EXPORT_LIMIT = 20000
SUBMITTED_KEY = "complaints_staff_submitted"
Status = Complaint.Status

ACTION_FORMS = {
    "accept": forms.ActionForm,
    "not_accept": forms.NotAcceptForm,
    "transfer": forms.TransferForm,
    "transfer_accept": forms.ActionForm,
    "transfer_refuse": forms.TransferRefuseForm,
    "start": forms.ActionForm,
    "request_info": forms.RequestInfoForm,
    "reply": forms.ReplyForm,
    "callback": forms.CallbackForm,
    "close": forms.ActionForm,
    "publish": forms.PublishForm,
}


# --- Who gets which page and which form ------------------------------------------------
def _require_complaint_pages(user) -> None:
    """The queue is for those ``visible_to`` can show something: the centre, readers of
    all complaints and office staff. A user with neither an office nor a complaint
    permission (a supervisor) would only ever see an empty list, so is refused."""
    if not (
        services.is_centre(user) or user.has_perm("complaints.view_all_complaints") or user.office_id is not None
    ):
        raise PermissionDenied


def _require_cases_page(user) -> None:
    if not (services.is_centre(user) or user.has_perm("complaints.view_all_complaints")):
        raise PermissionDenied


def permitted_actions(user, complaint: Complaint) -> set[str]:
    """The steps the services would let ``user`` try on ``complaint`` (who, not when)."""
    if complaint.office_id and user.office_id == complaint.office_id:
        return set()
    centre = services.is_centre(user)
    actions = set()
    if centre:
        actions |= {"accept", "not_accept", "callback", "close", "publish"}
    handler = user.office_id == complaint.handling_office_id if complaint.handling_office_id else centre
    if handler:
        actions |= {"transfer", "start", "request_info", "reply"}
    if complaint.pending_transfer_to_id and user.office_id == complaint.pending_transfer_to_id:
        actions |= {"transfer_accept", "transfer_refuse"}
    return actions


def offered_actions(user, complaint: Complaint, *, has_typical_case: bool) -> set[str]:
    """The steps to show a form for: permitted, and possible in the current status."""
    status = complaint.status
    possible = {
        "accept": status == Status.REGISTERED,
        "not_accept": status == Status.REGISTERED,
        "transfer": status in forms.COMPLETING and not complaint.pending_transfer_to_id,
        "transfer_accept": True,
        "transfer_refuse": True,
        "start": status in (Status.ACCEPTED, Status.ASSIGNED),
        "request_info": status in forms.COMPLETING and not complaint.is_paused,
        "reply": status == Status.INVESTIGATING,
        "callback": status == Status.REPLIED,
        "close": status == Status.REPLIED,
        "publish": status == Status.CLOSED and not has_typical_case,
    }
    return {action for action in permitted_actions(user, complaint) if possible[action]}


def _with_time_left(complaints, today, calendar) -> list[Complaint]:
    """Working days to each row's current due date, from one calendar for the whole page."""
    rows = list(complaints)
    for complaint in rows:
        complaint.days_left = complaint.days_over = None
        if complaint.current_due and not complaint.is_paused:
            left = calendar.working_days_between(today, complaint.current_due)
            complaint.days_left, complaint.days_over = max(left, 0), max(-left, 0)
    return rows


# --- Queue, mine, export ---------------------------------------------------------------------
def _filtered_queue(request, today, calendar):
    form = forms.QueueFilterForm(
        request.GET or None,
        offices=Office.objects.order_by("name").values_list("pk", "name"),
        problem_types=list(ProblemType.objects.all()),
    )
    complaints = forms.annotate_due(Complaint.objects.for_queue(request.user), today)
    return form, form.filter(complaints, today=today, calendar=calendar)


@login_required
def queue(request):
    _require_complaint_pages(request.user)
    today = timezone.localdate()
    calendar = calendar_for(today)
    form, complaints = _filtered_queue(request, today, calendar)
    # At most 1,000 rows counted and reachable (campaigns/pagination.py): the
    # queue stays as fast at a million complaints as at a thousand.
    page = BoundedPaginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "complaints/staff/queue.html", {
        "form": form, "page": page, "rows": _with_time_left(page.object_list, today, calendar), "today": today,
        "can_add": request.user.has_perm("complaints.add_complaint"),
    })


@login_required
@never_cache
def export(request):
    """The filtered queue as .xlsx, written in the request: up to EXPORT_LIMIT rows
    (a few seconds). Larger lists go to the complaint ledger, which the worker writes."""
    _require_complaint_pages(request.user)
    today = timezone.localdate()
    _form, complaints = _filtered_queue(request, today, calendar_for(today))
    if complaints[: EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
        messages.warning(request, _(
            "More than %(n)s complaints match: narrow the filter to export them here, or export the complaint "
            "ledger under Oversight › Ledgers, which is written in the background and holds every complaint."
        ) % {"n": f"{EXPORT_LIMIT:,}"})
        query = request.GET.urlencode()
        return redirect(f"{reverse('complaints-staff:queue')}{'?' + query if query else ''}")
    return exports.xlsx_response(exports.complaints_workbook(complaints), "complaints")


@login_required
def mine(request):
    """首问负责: what I first received, and whether it is still mine — until an
    office has taken it over (a requested transfer counts only once accepted)."""
    _require_complaint_pages(request.user)
    today = timezone.localdate()
    complaints = forms.annotate_due(
        Complaint.objects.for_queue(request.user).filter(first_receiver=request.user), today
    ).annotate(
        still_mine=Case(
            When(status__in=Complaint.OPEN_STATUSES, handling_office__isnull=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("-still_mine", "-received_on", "-pk")
    page = Paginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "complaints/staff/mine.html", {
        "page": page, "rows": _with_time_left(page.object_list, today, calendar_for(today)), "today": today,
        "still_mine_count": complaints.filter(still_mine=True).count(),
    })


# --- Detail ----------------------------------------------------------------------------------
def _detail_queryset(user, today):
    return forms.annotate_due(Complaint.objects.for_staff_detail(user), today).select_related(
        "transfer_requested_by", "callback__by", "typical_case",
    ).prefetch_related(
        Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor", "office")),
        "attachments",
        Prefetch("cases", queryset=AccountabilityCase.objects.select_related("office", "decided_by")),
    )


def _event_details(events) -> list[tuple[ComplaintEvent, list[str]]]:
    """The facts kept in each event's ``data``, as short sentences."""
    office_ids = {e.data.get(key) for e in events for key in ("to_office", "office")} - {None}
    offices = Office.objects.in_bulk(office_ids) if office_ids else {}
    reasons, ratings = dict(AccountabilityCase.Reason.choices), dict(Complaint.Rating.choices)
    channels = dict(Complaint.Channel.choices)
    timeline = []
    for event in events:
        data, lines = event.data or {}, []
        if "channel" in data:
            lines.append(_("Channel: %(channel)s") % {"channel": channels.get(data["channel"], data["channel"])})
        for key in ("to_office", "office"):
            if data.get(key) in offices:
                lines.append(_("Office: %(office)s") % {"office": offices[data[key]].name})
        if data.get("on_time") is not None:
            lines.append(_("On time") if data["on_time"] else _("Late"))
        if data.get("substantiated") is not None:
            lines.append(_("Substantiated") if data["substantiated"] else _("Not substantiated"))
        if data.get("reason") in reasons:
            lines.append(str(reasons[data["reason"]]))
        if data.get("rating") in ratings:
            lines.append(str(ratings[data["rating"]]))
        if data.get("automatic"):
            lines.append(_("Closed automatically"))
        if "paused_working_days" in data:
            n = data["paused_working_days"]
            lines.append(ngettext(
                "The clock stood still for %(n)d working day.", "The clock stood still for %(n)d working days.", n
            ) % {"n": n})
        timeline.append((event, lines))
    return timeline


def _render_detail(request, pk, *, failed: tuple[str, object] | None = None, status=200):
    today = timezone.localdate()
    complaint = get_object_or_404(_detail_queryset(request.user, today), pk=pk)
    typical_case = getattr(complaint, "typical_case", None)
    offered = offered_actions(request.user, complaint, has_typical_case=typical_case is not None)
    action_forms = {name: ACTION_FORMS[name](complaint=complaint, action=name) for name in offered}
    failed_action = None
    if failed:
        failed_action, action_forms[failed[0]] = failed
    _with_time_left([complaint], today, calendar_for(today))
    return render(request, "complaints/staff/detail.html", {
        "complaint": complaint,
        "callback": getattr(complaint, "callback", None),
        "typical_case": typical_case,
        "timeline": _event_details(list(complaint.events.all())),
        "forms": action_forms,
        "failed_action": failed_action,
        "can_view_identity": services.can_view_identity(request.user),
        "today": today,
    }, status=status)


@login_required
def detail(request, pk):
    return _render_detail(request, pk)


def _act(request, pk, action, perform, success_message, *, then="detail"):
    """Scoped fetch → form → service → redirect; the form comes back with the
    service's errors next to its fields (400) when the service refuses."""
    complaint = get_object_or_404(Complaint.objects.for_queue(request.user), pk=pk)
    form = ACTION_FORMS[action](request.POST, complaint=complaint, action=action)
    if form.is_valid():
        try:
            perform(complaint, form.cleaned_data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, success_message)
            return redirect("complaints-staff:queue") if then == "queue" else redirect("complaints-staff:detail", pk=pk)
    elif action not in permitted_actions(request.user, complaint):
        raise PermissionDenied
    return _render_detail(request, pk, failed=(action, form), status=400)


@login_required
@require_POST
def accept(request, pk):
    return _act(request, pk, "accept", lambda c, d: services.complaint_accept(complaint_id=c.pk, actor=request.user),
                _("The complaint was accepted."))


@login_required
@require_POST
def not_accept(request, pk):
    return _act(request, pk, "not_accept", lambda c, d: services.complaint_not_accept(
        complaint_id=c.pk, actor=request.user, reason=d["reason"]), _("The complaint was not accepted."))


@login_required
@require_POST
def transfer(request, pk):
    return _act(request, pk, "transfer", lambda c, d: services.complaint_transfer_request(
        complaint_id=c.pk, actor=request.user, to_office=d["office"], note=d["note"]),
        _("The transfer was requested. You stay responsible until the office accepts it."))


@login_required
@require_POST
def transfer_accept(request, pk):
    return _act(request, pk, "transfer_accept", lambda c, d: services.complaint_transfer_accept(
        complaint_id=c.pk, actor=request.user), _("Your office now handles this complaint."))


@login_required
@require_POST
def transfer_refuse(request, pk):
    return _act(request, pk, "transfer_refuse", lambda c, d: services.complaint_transfer_refuse(
        complaint_id=c.pk, actor=request.user, reason=d["reason"]),
        _("The transfer was refused; the complaint went back to the sender."), then="queue")


@login_required
@require_POST
def start_investigation(request, pk):
    return _act(request, pk, "start", lambda c, d: services.complaint_start_investigation(
        complaint_id=c.pk, actor=request.user), _("The investigation has started."))


@login_required
@require_POST
def request_info(request, pk):
    return _act(request, pk, "request_info", lambda c, d: services.complaint_request_info(
        complaint_id=c.pk, actor=request.user, question=d["question"]),
        _("The question was sent. The time limit stops until the complainant answers."))


@login_required
@require_POST
def reply(request, pk):
    return _act(request, pk, "reply", lambda c, d: services.complaint_reply(
        complaint_id=c.pk, actor=request.user, findings=d["findings"], measures=d["measures"], reply=d["reply"],
        substantiated=d["substantiated"], responsible_person=d["responsible_person"]),
        _("The reply was recorded and the complainant can read it."))


@login_required
@require_POST
def callback(request, pk):
    return _act(request, pk, "callback", lambda c, d: services.complaint_record_callback(
        complaint_id=c.pk, actor=request.user, called_on=d["called_on"], outcome=d["outcome"],
        no_callback_reason=d["no_callback_reason"]), _("The callback was recorded."))


@login_required
@require_POST
def close(request, pk):
    return _act(request, pk, "close", lambda c, d: services.complaint_close(complaint_id=c.pk, actor=request.user),
                _("The complaint was closed."))


@login_required
@require_POST
def publish(request, pk):
    return _act(request, pk, "publish", lambda c, d: services.typical_case_publish(
        complaint_id=c.pk, actor=request.user, kind=d["kind"], title=d["title"], summary=d["summary"],
        allow_corruption=d.get("allow_corruption", False)), _("The complaint was published as a typical case."))


@never_cache
@login_required
@require_POST
def identity(request, pk):
    """Who complained, for the centre only; the service logs every look."""
    complaint = get_object_or_404(Complaint.objects.for_queue(request.user), pk=pk)
    identity = services.complaint_view_identity(complaint_id=complaint.pk, actor=request.user)
    return render(request, "complaints/staff/identity.html", {"complaint": complaint, "identity": identity})


@never_cache
@login_required
def attachment(request, pk):
    visible = Complaint.objects.visible_to(request.user)
    attachment = get_object_or_404(ComplaintAttachment.objects.filter(complaint__in=visible), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


# --- A complaint taken by phone, letter or at the counter --------------------------------
@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def new(request):
    form = forms.StaffComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.complaint_submit(
                channel=data["channel"], actor=request.user, ip=None, problem_type=data["problem_type"],
                office=data["office"], description=data["description"], occurred_on=data["occurred_on"],
                location=data["location"], is_anonymous=data["is_anonymous"], name=data["name"],
                phone=data["phone"], email=data["email"], attachments=data["attachments"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            # Shown once on the next page, then gone: the access code is stored only as a hash.
            request.session[SUBMITTED_KEY] = {
                "pk": result.complaint.pk, "tracking_number": result.complaint.tracking_number,
                "access_code": result.access_code, "duplicate": result.duplicate,
            }
            return redirect("complaints-staff:submitted")
    return render(request, "complaints/staff/new.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
def submitted(request):
    submission = request.session.pop(SUBMITTED_KEY, None)
    if not submission:
        return redirect("complaints-staff:new")
    can_open = Complaint.objects.visible_to(request.user).filter(pk=submission["pk"]).exists()
    return render(request, "complaints/staff/submitted.html", {"submission": submission, "can_open": can_open})


# --- Accountability cases --------------------------------------------------------------------
def _cases_queryset(user):
    return AccountabilityCase.objects.filter(complaint__in=Complaint.objects.visible_to(user)).select_related(
        "complaint", "complaint__problem_type", "office", "decided_by"
    )


def _filtered_cases(request):
    form = forms.CaseFilterForm(
        request.GET or None, offices=Office.objects.order_by("name").values_list("pk", "name")
    )
    return form, form.filter(_cases_queryset(request.user))


def _render_cases(request, *, failed: forms.CaseDecideForm | None = None, status=200):
    form, cases = _filtered_cases(request)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if failed is not None and failed.case not in rows:
        rows.insert(0, failed.case)  # the form with the errors is shown even when filtered out
    can_decide = services.is_centre(request.user)
    for case in rows:
        case.decide_form = None
        if failed is not None and failed.case.pk == case.pk:
            case.decide_form = failed
        elif can_decide and case.decision == AccountabilityCase.Decision.PENDING:
            case.decide_form = forms.CaseDecideForm(case=case)
    return render(request, "complaints/staff/cases.html", {
        "form": form, "page": page, "rows": rows, "failed": failed,
    }, status=status)


@login_required
def cases(request):
    _require_cases_page(request.user)
    return _render_cases(request)


@login_required
@never_cache
def cases_export(request):
    _require_cases_page(request.user)
    _form, cases = _filtered_cases(request)
    return exports.xlsx_response(exports.cases_workbook(cases), "accountability-cases")


@login_required
@require_POST
def case_decide(request, pk):
    case = get_object_or_404(_cases_queryset(request.user), pk=pk)
    form = forms.CaseDecideForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_decide(
                case_id=case.pk, actor=request.user, decision=form.cleaned_data["decision"],
                reasoning=form.cleaned_data["reasoning"], person=form.cleaned_data["person"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, _("The decision on the case was recorded."))
            query = request.GET.urlencode()
            return redirect(reverse("complaints-staff:cases") + (f"?{query}" if query else ""))
    elif not services.is_centre(request.user):
        raise PermissionDenied
    return _render_cases(request, failed=form, status=400)

