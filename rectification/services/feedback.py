"""The public's ratings and comments, their moderation, and supervisors' flags."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit

from .. import rules
from ..models import Commitment, PublicComment, Rating, SupervisorFlag
from ..models.feedback import COMMENT_MAX
from ..tasks import notify_staff
from .common import audit, clean_text, hashed, require

if TYPE_CHECKING:
    from campaigns.models import User

# http://…, www.…, or a bare domain such as example.com / 例子.cn
LINK_RE = re.compile(
    r"(https?://|ftp://|www\.|\b[\w-]+\.(com|cn|net|org|gov|edu|info|top|xyz|io|cc|me|tv|biz|site|online|shop|vip)\b)",
    re.IGNORECASE,
)


def has_link(text: str) -> bool:
    return bool(LINK_RE.search(text or ""))


def _public_commitment(commitment_id: int) -> Commitment:
    commitment: Commitment | None = Commitment.objects.public().filter(pk=commitment_id).first()
    if commitment is None:
        # Drafts and internal commitments do not exist for the public.
        raise Commitment.DoesNotExist
    return commitment


def _check_comment(text: str) -> str:
    text = clean_text(text)
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {
                "comment": _("Please keep the comment under %(max)d characters (it has %(n)d).")
                % {"max": COMMENT_MAX, "n": len(text)}
            }
        )
    return text


@transaction.atomic
def rating_submit(
    *, commitment_id: int, value: str, browser_token: str, ip: str | None, comment: str = ""
) -> tuple[Rating, PublicComment | None]:
    """One rating per browser per commitment; the optional comment is held for
    moderation. Returns (rating, comment or None)."""
    commitment = _public_commitment(commitment_id)
    if value not in Rating.Value.values:
        raise ValidationError({"value": _("Choose one of the ratings.")})
    comment = _check_comment(comment)
    browser_key = hashed(f"browser:{browser_token}")
    if Rating.objects.filter(commitment=commitment, browser_key=browser_key).exists():
        raise ValidationError(
            _("You have already rated this commitment from this browser. Each browser rates once."), code="rated"
        )
    ip_hash = hashed(f"ip:{ip}") if ip else ""
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                commitment=commitment, value=value, browser_key=browser_key, ip_hash=ip_hash, created_at=timezone.now()
            )
    except IntegrityError as exc:  # the same browser twice at once: the constraint decides
        raise ValidationError(
            _("You have already rated this commitment from this browser. Each browser rates once."), code="rated"
        ) from exc
    held = None
    if comment:
        held = PublicComment.objects.create(
            commitment=commitment,
            rating=rating,
            text=comment,
            has_link=has_link(comment),
            browser_key=browser_key,
            ip_hash=ip_hash,
            created_at=timezone.now(),
        )
    audit(commitment, None, "rating", value=value, comment=held.pk if held else None)
    return rating, held


@transaction.atomic
def comment_submit(*, commitment_id: int, text: str, browser_token: str, ip: str | None) -> PublicComment:
    commitment = _public_commitment(commitment_id)
    text = _check_comment(text)
    if not text:
        raise ValidationError({"comment": _("Write your comment.")})
    comment = PublicComment.objects.create(
        commitment=commitment,
        text=text,
        has_link=has_link(text),
        browser_key=hashed(f"browser:{browser_token}"),
        ip_hash=hashed(f"ip:{ip}") if ip else "",
        created_at=timezone.now(),
    )
    audit(commitment, None, "comment", comment=comment.pk)
    return comment


@transaction.atomic
def comment_moderate(*, actor: User, comment_id: int, publish: bool, note: str = "") -> PublicComment:
    require(rules.is_coordinator(actor), _("Only the campaign office moderates comments."))
    comment = PublicComment.objects.select_for_update().get(pk=comment_id)
    if comment.state != PublicComment.State.HELD:
        raise ValidationError(_("This comment has already been moderated."), code="bad_transition")
    note = clean_text(note)
    if not publish and not note:
        raise ValidationError({"note": _("Say why the comment is not published (kept for the record, not shown).")})
    comment.state = PublicComment.State.PUBLISHED if publish else PublicComment.State.REJECTED
    comment.moderated_at = timezone.now()
    comment.moderated_by = actor
    comment.moderation_note = note
    comment.save(update_fields=["state", "moderated_at", "moderated_by", "moderation_note"])
    audit(comment.commitment, actor, "comment.moderate", comment=comment.pk, state=comment.state)
    return comment


@transaction.atomic
def commitment_flag(*, actor: User, commitment_id: int, reason: str) -> SupervisorFlag:
    """A supervisor asks for a look-back; the commitment joins the look-back queue."""
    if not rules.can_flag(actor):
        raise PermissionDenied(_("Only supervisors can flag a commitment for a look-back."))
    commitment = Commitment.objects.select_for_update().get(pk=commitment_id)
    if not commitment.is_public:
        raise ValidationError(_("Only a published public commitment can be flagged."), code="bad_transition")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what the campaign office should look at again.")})
    if SupervisorFlag.objects.filter(commitment=commitment, flagged_by=actor, lookback__isnull=True).exists():
        raise ValidationError(_("You have already flagged this commitment; the campaign office has not decided yet."))
    flag = SupervisorFlag.objects.create(
        commitment=commitment, flagged_by=actor, reason=reason, created_at=timezone.now()
    )
    event = audit(commitment, actor, "commitment.flag", flag=flag.pk)
    after_commit(notify_staff, event.pk)
    return flag
