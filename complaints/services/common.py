"""Shared by the complaint services: the limits, the refusals built on
``rules`` (who may take a step, in which statuses), and the row lock."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .. import rules
from ..models import Complaint, ComplaintEvent

if TYPE_CHECKING:
    from campaigns.models import User

DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 5000
MAX_ATTACHMENTS = 5
DUPLICATE_WINDOW = timedelta(minutes=10)
ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
Status = Complaint.Status
Kind = ComplaintEvent.Kind


# --- Who may do what, and when: complaints/rules.py -------------------------------------
def refuse_subject_staff(complaint: Complaint, actor: User) -> None:
    if rules.is_subject_staff(actor, complaint):
        raise PermissionDenied(_("Staff of the office complained about cannot handle this complaint."))


def require_permitted(complaint: Complaint, actor: User, step: str) -> None:
    """Refuse ``actor`` unless ``rules.permitted_actions`` lets them take ``step``, and say why."""
    if step in rules.permitted_actions(actor, complaint):
        return
    refuse_subject_staff(complaint, actor)
    if step in rules.RECEIVER_STEPS:
        raise PermissionDenied(_("Only the receiving office can answer a transfer."))
    if step in rules.HANDLER_STEPS and complaint.handling_office_id:
        raise PermissionDenied(_("Only the handling office can do this."))
    raise PermissionDenied(_("Only the complaint centre can do this."))


def require_status(complaint: Complaint, step: str) -> None:
    """Refuse ``step`` unless the complaint is in one of ``rules.STEP_STATUSES[step]``."""
    if complaint.status not in rules.STEP_STATUSES[step]:
        raise ValidationError(
            _("This cannot be done while the complaint is “%(status)s”.") % {"status": complaint.get_status_display()},
            code="bad_transition",
        )


def locked(complaint_id: int) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint_id)
