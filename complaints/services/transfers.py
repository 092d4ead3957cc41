"""First-inquiry responsibility (首问负责): a complaint is handed to another
office only when that office accepts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Office
from kernel.dispatch import after_commit

from ..models import Complaint, ComplaintEvent
from ..tasks import notify_complainant, notify_staff
from .common import Kind, Status, locked, require_permitted, require_status

if TYPE_CHECKING:
    from campaigns.models import User


@transaction.atomic
def complaint_transfer_request(*, complaint_id: int, actor: User, to_office: Office, note: str = "") -> Complaint:
    """Hand the complaint to another office. The sender stays responsible until
    the receiving office accepts."""
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "transfer")
    require_status(complaint, "transfer")
    if complaint.pending_transfer_to_id:
        raise ValidationError(_("A transfer is already waiting for an answer."))
    if to_office is None or not to_office.is_active:
        raise ValidationError({"office": _("Choose an office from the list.")})
    if to_office.pk == complaint.office_id:
        raise ValidationError({"office": _("A complaint is never handed to the office it is about.")})
    if to_office.pk == complaint.handling_office_id:
        raise ValidationError({"office": _("This office already handles the complaint.")})
    complaint.pending_transfer_to = to_office
    complaint.transfer_requested_by = actor
    complaint.save(update_fields=["pending_transfer_to", "transfer_requested_by", "updated_at"])
    event = ComplaintEvent.record(
        complaint,
        actor,
        Kind.TRANSFER_REQUESTED,
        internal_note=note,
        to_office=to_office.pk,
        from_office=complaint.handling_office_id,
    )
    after_commit(notify_staff, event.pk)
    return complaint


def _require_waiting_transfer(complaint: Complaint) -> None:
    if not complaint.pending_transfer_to_id:
        raise ValidationError(_("No transfer is waiting for an answer."))


@transaction.atomic
def complaint_transfer_accept(*, complaint_id: int, actor: User) -> Complaint:
    complaint = locked(complaint_id)
    _require_waiting_transfer(complaint)
    require_permitted(complaint, actor, "transfer_accept")
    complaint.handling_office_id = complaint.pending_transfer_to_id
    complaint.pending_transfer_to = None
    complaint.transfer_requested_by = None
    if complaint.status == Status.ACCEPTED:
        complaint.status = Status.ASSIGNED
    complaint.save(
        update_fields=["handling_office", "pending_transfer_to", "transfer_requested_by", "status", "updated_at"]
    )
    event = ComplaintEvent.record(complaint, actor, Kind.TRANSFER_ACCEPTED, office=complaint.handling_office_id)
    after_commit(notify_complainant, event.pk)
    return complaint


@transaction.atomic
def complaint_transfer_refuse(*, complaint_id: int, actor: User, reason: str) -> Complaint:
    complaint = locked(complaint_id)
    _require_waiting_transfer(complaint)
    require_permitted(complaint, actor, "transfer_refuse")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is refused.")})
    refused_office = complaint.pending_transfer_to_id
    complaint.pending_transfer_to = None
    complaint.transfer_requested_by = None
    complaint.save(update_fields=["pending_transfer_to", "transfer_requested_by", "updated_at"])
    event = ComplaintEvent.record(
        complaint,
        actor,
        Kind.TRANSFER_REFUSED,
        internal_note=reason,
        office=refused_office,
        from_office=complaint.handling_office_id,
    )
    after_commit(notify_staff, event.pk)
    return complaint
