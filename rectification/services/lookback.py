"""Look-back (回头看): the campaign office decides on each commitment in the
look-back queue — reopen it (the office is told, with the reason) or keep it as
it is. Either way the flags are settled and only ratings made after the decision
count towards the next look-back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit

from .. import rules
from ..models import Commitment, LookBack, SupervisorFlag
from ..tasks import notify_staff
from .common import audit, clean_text, require

if TYPE_CHECKING:
    from campaigns.models import User

Status = Commitment.Status
REOPENABLE = [Status.COMPLETED, Status.VERIFIED]


@transaction.atomic
def lookback_decide(*, actor: User, commitment_id: int, outcome: str, reason: str) -> LookBack:
    require(rules.is_coordinator(actor), _("Only the campaign office decides on look-backs."))
    commitment = Commitment.objects.select_for_update().select_related("plan__office").get(pk=commitment_id)
    if outcome not in LookBack.Outcome.values:
        raise ValidationError({"outcome": _("Choose whether to reopen the commitment or keep it as it is.")})
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision; the office reads it.")})
    if commitment.status == Status.DRAFT:
        raise ValidationError(_("A draft commitment has no look-back."), code="bad_transition")
    if outcome == LookBack.Outcome.REOPENED and commitment.status not in REOPENABLE:
        raise ValidationError(
            _("Only a completed or verified commitment can be reopened; this one is “%(status)s” and still open.")
            % {"status": commitment.get_status_display()},
            code="bad_transition",
        )
    counted = Commitment.objects.filter(pk=commitment.pk).with_recent_ratings().with_open_flags().get()
    now = timezone.now()
    lookback = LookBack.objects.create(
        commitment=commitment,
        number=commitment.lookback_count + 1,
        outcome=outcome,
        reason=reason,
        previous_status=commitment.status,
        ratings=counted.recent_ratings,
        dissatisfied=counted.recent_dissatisfied,
        flag_count=counted.open_flags,
        decided_by=actor,
        decided_at=now,
    )
    SupervisorFlag.objects.filter(commitment=commitment, lookback__isnull=True).update(lookback=lookback)
    commitment.lookback_count = lookback.number
    commitment.ratings_since = now
    fields = ["lookback_count", "ratings_since", "updated_at"]
    if outcome == LookBack.Outcome.REOPENED:
        commitment.status = Status.REOPENED
        commitment.completed_at = None
        commitment.verified_at = None
        commitment.verified_by = None
        fields += ["status", "completed_at", "verified_at", "verified_by"]
    commitment.save(update_fields=fields)
    event = audit(commitment, actor, f"lookback.{outcome}", lookback=lookback.pk, number=lookback.number, reason=reason)
    if outcome == LookBack.Outcome.REOPENED:
        after_commit(notify_staff, event.pk)
    return lookback
