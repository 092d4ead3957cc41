"""The centre's acceptance and the handling office's steps: investigation,
questions to the complainant, the reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit

from ..models import AccountabilityCase, Complaint, ComplaintEvent
from ..tasks import notify_complainant, notify_staff
from .accountability import open_case
from .common import Kind, Status, locked, require_permitted, require_status

if TYPE_CHECKING:
    from campaigns.models import User


# --- Centre: acceptance -------------------------------------------------------------
@transaction.atomic
def complaint_accept(*, complaint_id: int, actor: User) -> Complaint:
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "accept")
    require_status(complaint, "accept")
    now = timezone.now()
    complaint.status = Status.ACCEPTED
    complaint.accepted_at = now
    complaint.accepted_on_time = timezone.localdate(now) <= complaint.accept_due
    if complaint.first_receiver_id is None:
        complaint.first_receiver = actor
        complaint.first_office = actor.office
    complaint.save(
        update_fields=["status", "accepted_at", "accepted_on_time", "first_receiver", "first_office", "updated_at"]
    )
    event = ComplaintEvent.record(complaint, actor, Kind.ACCEPTED, on_time=complaint.accepted_on_time)
    after_commit(notify_complainant, event.pk)
    return complaint


@transaction.atomic
def complaint_not_accept(*, complaint_id: int, actor: User, reason: str) -> Complaint:
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "not_accept")
    require_status(complaint, "not_accept")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the complaint is not accepted; the complainant is told.")})
    now = timezone.now()
    complaint.status = Status.NOT_ACCEPTED
    complaint.not_accepted_reason = reason
    complaint.accepted_on_time = timezone.localdate(now) <= complaint.accept_due
    complaint.closed_at = now
    if complaint.first_receiver_id is None:
        complaint.first_receiver = actor
        complaint.first_office = actor.office
    complaint.save(
        update_fields=[
            "status",
            "not_accepted_reason",
            "accepted_on_time",
            "closed_at",
            "first_receiver",
            "first_office",
            "updated_at",
        ]
    )
    event = ComplaintEvent.record(complaint, actor, Kind.NOT_ACCEPTED, public_note=reason)
    after_commit(notify_complainant, event.pk)
    return complaint


# --- Handling ------------------------------------------------------------------------------
@transaction.atomic
def complaint_start_investigation(*, complaint_id: int, actor: User) -> Complaint:
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "start")
    require_status(complaint, "start")
    complaint.status = Status.INVESTIGATING
    complaint.save(update_fields=["status", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.INVESTIGATING)
    return complaint


@transaction.atomic
def complaint_request_info(*, complaint_id: int, actor: User, question: str) -> Complaint:
    """Ask the complainant for more; the clock stops until they answer."""
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "request_info")
    require_status(complaint, "request_info")
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Write what you need to know.")})
    if complaint.paused_since:
        raise ValidationError(_("The complainant has already been asked and has not answered yet."))
    complaint.paused_since = timezone.localdate()
    complaint.save(update_fields=["paused_since", "updated_at"])
    event = ComplaintEvent.record(complaint, actor, Kind.INFO_REQUESTED, public_note=question)
    after_commit(notify_complainant, event.pk)
    return complaint


@transaction.atomic
def complaint_reply(
    *,
    complaint_id: int,
    actor: User,
    findings: str,
    measures: str,
    reply: str,
    substantiated: bool,
    responsible_person: str = "",
) -> Complaint:
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "reply")
    require_status(complaint, "reply")
    errors = {}
    for field, value in (("findings", findings), ("reply", reply)):
        if not (value or "").strip():
            errors[field] = _("This field is required.")
    if substantiated is None:
        errors["substantiated"] = _("Say whether the complaint was substantiated.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    complaint.status = Status.REPLIED
    complaint.findings, complaint.measures, complaint.reply = findings.strip(), (measures or "").strip(), reply.strip()
    complaint.substantiated = substantiated
    complaint.replied_at = now
    complaint.replied_on_time = timezone.localdate(now) <= complaint.complete_due
    complaint.paused_since = None
    complaint.reward_eligible = bool(substantiated and not complaint.is_anonymous)
    complaint.save()
    event = ComplaintEvent.record(
        complaint,
        actor,
        Kind.REPLIED,
        public_note=complaint.reply,
        on_time=complaint.replied_on_time,
        substantiated=substantiated,
    )
    if substantiated:
        open_case(complaint, AccountabilityCase.Reason.SUBSTANTIATED, complaint.office, person=responsible_person)
    after_commit(notify_complainant, event.pk)
    after_commit(notify_staff, event.pk)
    return complaint
