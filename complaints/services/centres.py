"""Complaint centres at each level of government: a centre hands a complaint up to
the centre above (escalate), and a centre above takes one over from a centre below
it (take over). Who holds a complaint is ``Complaint.centre``, chosen at intake by
``rules.centre_for``; both steps leave an event on the timeline and tell the centre
that receives the complaint (or the one that loses it) at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit

from .. import rules
from ..models import Complaint, ComplaintEvent
from ..tasks import notify_staff
from .common import Kind, locked, require_permitted, require_status

if TYPE_CHECKING:
    from campaigns.models import User


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the complaint goes to another centre.")})
    return reason


@transaction.atomic
def complaint_escalate(*, complaint_id: int, actor: User, reason: str) -> Complaint:
    """The centre holding the complaint hands it to the centre of the level above."""
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "escalate")
    require_status(complaint, "escalate")
    reason = _reason(reason)
    current = complaint.centre
    above = rules.centre_above(current)
    if current is None or above is None:
        raise ValidationError(_("There is no complaint centre above this one."))
    complaint.centre = above
    complaint.save(update_fields=["centre", "updated_at"])
    event = ComplaintEvent.record(
        complaint, actor, Kind.ESCALATED, internal_note=reason, from_centre=current.pk, to_centre=above.pk
    )
    after_commit(notify_staff, event.pk)
    return complaint


@transaction.atomic
def complaint_take_over(*, complaint_id: int, actor: User, reason: str) -> Complaint:
    """A centre of a level above the complaint's centre takes the complaint over."""
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "take_over")
    require_status(complaint, "take_over")
    reason = _reason(reason)
    previous = complaint.centre_id
    complaint.centre_id = actor.office_id
    complaint.save(update_fields=["centre", "updated_at"])
    event = ComplaintEvent.record(
        complaint, actor, Kind.TAKEN_OVER, internal_note=reason, from_centre=previous, to_centre=actor.office_id
    )
    after_commit(notify_staff, event.pk)
    return complaint
