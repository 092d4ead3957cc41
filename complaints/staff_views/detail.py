"""The complaint's page: its facts, timeline and the forms of the steps the
user may take now; the complainant's identity (centre only) and attachments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaigns.models import Office
from kernel.workcalendar import calendar_for

from .. import rules, services
from .. import staff_forms as forms
from ..models import AccountabilityCase, Complaint, ComplaintAttachment, ComplaintEvent
from .common import complaint_for_staff, with_time_left

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
    "escalate": forms.CentreForm,
    "take_over": forms.CentreForm,
}


def _detail_queryset(user, today):
    return (
        Complaint.objects.for_staff_detail(user)
        .with_due(today)
        .select_related(
            "transfer_requested_by",
            "callback__by",
            "typical_case",
        )
        .prefetch_related(
            Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor", "office")),
            "attachments",
            Prefetch("cases", queryset=AccountabilityCase.objects.select_related("office", "decided_by")),
        )
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
            lines.append(
                ngettext(
                    "The clock stood still for %(n)d working day.", "The clock stood still for %(n)d working days.", n
                )
                % {"n": n}
            )
        timeline.append((event, lines))
    return timeline


def render_detail(request, pk, *, failed: tuple[str, object] | None = None, status=200):
    today = timezone.localdate()
    complaint = get_object_or_404(_detail_queryset(request.user, today), pk=pk)
    typical_case = getattr(complaint, "typical_case", None)
    offered = rules.offered_actions(request.user, complaint, has_typical_case=typical_case is not None)
    action_forms = {name: ACTION_FORMS[name](complaint=complaint, action=name) for name in offered}
    failed_action = None
    if failed:
        failed_action, action_forms[failed[0]] = failed
    with_time_left([complaint], today, calendar_for(today))
    return render(
        request,
        "complaints/staff/detail.html",
        {
            "complaint": complaint,
            "callback": getattr(complaint, "callback", None),
            "typical_case": typical_case,
            "timeline": _event_details(list(complaint.events.all())),
            "forms": action_forms,
            "failed_action": failed_action,
            "can_view_identity": rules.can_view_identity(request.user),
            "can_read_cases": rules.reads_all_complaints(request.user),
            "today": today,
        },
        status=status,
    )


@login_required
def detail(request, pk):
    return render_detail(request, pk)


@never_cache
@login_required
@require_POST
def identity(request, pk):
    """Who complained, for the centre only; the service logs every look."""
    complaint = complaint_for_staff(request.user, pk)
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
