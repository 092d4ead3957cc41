"""Who complained: for the centre only, every look logged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .. import rules
from ..models import ComplainantIdentity, Complaint, ComplaintEvent, IdentityAccess
from .common import Kind, refuse_subject_staff

if TYPE_CHECKING:
    from campaigns.models import User


@transaction.atomic
def complaint_view_identity(*, complaint_id: int, actor: User) -> ComplainantIdentity:
    complaint = Complaint.objects.get(pk=complaint_id)
    if not rules.can_view_identity(actor):
        raise PermissionDenied(_("Only the complaint centre can see who complained."))
    refuse_subject_staff(complaint, actor)
    IdentityAccess.objects.create(complaint=complaint, user=actor)
    ComplaintEvent.record(complaint, actor, Kind.IDENTITY_VIEWED)
    # A complaint made outside the services (the admin, an import) may have none.
    return ComplainantIdentity.objects.filter(complaint=complaint).first() or ComplainantIdentity(complaint=complaint)
