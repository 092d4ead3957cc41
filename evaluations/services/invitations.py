"""Invitations: generated in batches for a respondent group, handed out on paper
or by message, each good for one ballot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import AuditEvent

from ..models import Invitation, InvitationBatch, RespondentGroup, Survey
from ..tokens import new_token
from .common import require_manager

if TYPE_CHECKING:
    from campaigns.models import User

MAX_BATCH = 300
NOTE_MAX = 200


@transaction.atomic
def invitation_batch_create(
    *, group_id: int, actor: User, size: int, label: str = "", note: str = ""
) -> InvitationBatch:
    require_manager(actor)
    group = RespondentGroup.objects.select_related("survey").get(pk=group_id)
    survey = Survey.objects.select_for_update().get(pk=group.survey_id)
    errors = {}
    if survey.status not in (Survey.Status.DRAFT, Survey.Status.OPEN):
        errors["__all__"] = _("Invitations can be generated only while the survey is a draft or open.")
    if not isinstance(size, int) or not 1 <= size <= MAX_BATCH:
        errors["size"] = _("Generate between 1 and %(max)d invitations at a time.") % {"max": MAX_BATCH}
    label, note = (label or "").strip(), (note or "").strip()
    if len(label) > 120:
        errors["label"] = _("The label may have at most 120 characters.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note may have at most %(n)d characters.") % {"n": NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    batch = InvitationBatch.objects.create(group=group, label=label, size=size, created_by=actor)
    tokens: set[str] = set()
    while len(tokens) < size:
        tokens.add(new_token())
    Invitation.objects.bulk_create(
        Invitation(batch=batch, group=group, number=number, token=token, note=note)
        for number, token in enumerate(sorted(tokens), start=1)
    )
    AuditEvent.record(survey, actor, "invitations.generate", batch=batch.pk, group=group.pk, size=size)
    return batch


@transaction.atomic
def invitation_note_set(*, invitation_id: int, actor: User, note: str) -> Invitation:
    require_manager(actor)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("The note may have at most %(n)d characters.") % {"n": NOTE_MAX}})
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    invitation.note = note
    invitation.save(update_fields=["note"])
    # The note itself stays out of the audit trail, which more people read.
    AuditEvent.record(invitation, actor, "invitation.note")
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation_id: int, actor: User) -> Invitation:
    """Cancel an invitation that was lost or given to the wrong person, before it is used."""
    require_manager(actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if invitation.used_at:
        raise ValidationError(
            _("This invitation has been used; a cast ballot cannot be taken back."), code="bad_transition"
        )
    if invitation.revoked_at:
        raise ValidationError(_("This invitation is already revoked."), code="bad_transition")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    AuditEvent.record(invitation, actor, "invitation.revoke")
    return invitation
