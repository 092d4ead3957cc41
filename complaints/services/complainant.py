"""What the complainant does with the access code: add information, rate the
reply, ask once for a review."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit
from kernel.workcalendar import calendar_for

from .. import rules
from ..attachments import clean_complaint_upload
from ..models import Complaint, ComplaintAttachment, ComplaintEvent
from ..tasks import notify_staff
from .common import DESCRIPTION_MAX, MAX_ATTACHMENTS, Kind, Status, locked
from .deadlines import set_due_dates


@transaction.atomic
def complaint_add_info(*, complaint_id: int, text: str, attachments: Iterable[UploadedFile] = ()) -> Complaint:
    """The complainant adds information while the complaint is open."""
    complaint = locked(complaint_id)
    if not rules.may_add_info(complaint):
        raise ValidationError(_("Information can be added only while the complaint is being handled."))
    text = (text or "").strip()
    errors = {}
    if len(text) < 2:
        errors["text"] = [_("Write the information you want to add.")]
    elif len(text) > DESCRIPTION_MAX:
        errors["text"] = [_("Please keep it under %(n)d characters.") % {"n": DESCRIPTION_MAX}]
    attachments = list(attachments)
    if complaint.attachments.filter(from_complainant=True).count() + len(attachments) > MAX_ATTACHMENTS * 2:
        errors["attachments"] = [_("No more files can be attached to this complaint.")]
    cleaned = []
    for upload in attachments if "attachments" not in errors else ():  # over the cap: not even read
        try:
            cleaned.append(clean_complaint_upload(upload))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    for clean in cleaned:
        attachment = ComplaintAttachment(complaint=complaint, original_name=clean.original_name[:255], size=clean.size)
        attachment.file.save(clean.original_name, clean.content, save=True)
    resumed: dict[str, Any] = {}
    if complaint.paused_since:
        today = timezone.localdate()
        paused = calendar_for(today).working_days_between(complaint.paused_since, today)
        complaint.paused_working_days += max(paused, 0)
        resumed = {"paused_from": complaint.paused_since.isoformat(), "paused_working_days": max(paused, 0)}
        complaint.paused_since = None
        set_due_dates(complaint)
        complaint.save(
            update_fields=["paused_working_days", "paused_since", "accept_due", "complete_due", "updated_at"]
        )
    event = ComplaintEvent.record(complaint, None, Kind.INFO_ADDED, public_note=text, **resumed)
    after_commit(notify_staff, event.pk)
    return complaint


# --- The complainant's answer -----------------------------------------------------------
@transaction.atomic
def complaint_rate(*, complaint_id: int, rating: str) -> Complaint:
    complaint = locked(complaint_id)
    if complaint.status != Status.REPLIED:
        raise ValidationError(_("A complaint can be rated once it has been replied to."))
    if rules.rated_this_reply(complaint):
        raise ValidationError(_("You have already rated this reply."))
    if rating not in Complaint.Rating.values:
        raise ValidationError({"rating": _("Choose one of the ratings.")})
    complaint.rating = rating
    complaint.rated_at = timezone.now()
    complaint.save(update_fields=["rating", "rated_at", "updated_at"])
    ComplaintEvent.record(complaint, None, Kind.RATED, rating=rating)
    return complaint


@transaction.atomic
def complaint_request_review(*, complaint_id: int, reason: str) -> Complaint:
    """复查: a dissatisfied complainant may ask once; it goes back to the centre."""
    complaint = locked(complaint_id)
    if complaint.status != Status.REPLIED or complaint.rating != Complaint.Rating.DISSATISFIED:
        raise ValidationError(_("A review can be asked for after rating the reply as dissatisfied."))
    if complaint.review_count >= 1:
        raise ValidationError(_("A review has already been requested for this complaint."))
    today = timezone.localdate()
    calendar = calendar_for(today)
    if not rules.review_window_open(complaint, today, calendar):
        raise ValidationError(
            _("A review can be asked for within %(n)d working days of the reply.") % {"n": rules.REVIEW_WORKING_DAYS}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what you are not satisfied with.")})
    # The first reply's on-time verdict stays on its REPLIED event; the complaint
    # carries the verdict of its latest reply.
    complaint.review_count = 1
    complaint.status = Status.ACCEPTED
    complaint.handling_office = None
    complaint.pending_transfer_to = None
    complaint.complete_due = calendar.add_working_days(today, complaint.complete_limit_days)
    complaint.save(
        update_fields=["review_count", "status", "handling_office", "pending_transfer_to", "complete_due", "updated_at"]
    )
    event = ComplaintEvent.record(complaint, None, Kind.REVIEW_REQUESTED, public_note=reason)
    after_commit(notify_staff, event.pk)
    return complaint
