"""The callback to a real-name complainant and closing the complaint."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit
from kernel.workcalendar import WorkCalendar

from .. import rules
from ..models import Callback, Complaint, ComplaintEvent
from ..tasks import notify_complainant
from .common import Kind, Status, locked, require_permitted, require_status

if TYPE_CHECKING:
    from campaigns.models import User


@transaction.atomic
def complaint_record_callback(
    *, complaint_id: int, actor: User, called_on: dt.date | None = None, outcome: str = "", no_callback_reason: str = ""
) -> Callback:
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "callback")
    require_status(complaint, "callback")
    outcome, no_callback_reason = (outcome or "").strip(), (no_callback_reason or "").strip()
    if not ((called_on and outcome) or no_callback_reason):
        raise ValidationError(
            {"outcome": _("Record the date and what the complainant said, or why there was no callback.")}
        )
    callback, _created = Callback.objects.update_or_create(
        complaint=complaint,
        defaults={
            "called_on": called_on if outcome else None,
            "by": actor,
            "outcome": outcome,
            "no_callback_reason": "" if outcome else no_callback_reason,
        },
    )
    ComplaintEvent.record(complaint, actor, Kind.CALLBACK, internal_note=outcome or no_callback_reason)
    return callback


def closing_refusal(
    complaint: Complaint, today: dt.date, *, has_callback: bool | None = None, calendar: WorkCalendar | None = None
) -> str | None:
    """Why the complaint can't be closed yet, or None. The sweep passes
    ``has_callback`` and ``calendar`` it read for many complaints at once."""
    if complaint.status not in rules.STEP_STATUSES["close"]:
        return _("Only a replied complaint can be closed.")
    if has_callback is None:
        has_callback = complaint.is_anonymous or Callback.objects.filter(complaint=complaint).exists()
    if not complaint.is_anonymous and not has_callback:
        return _("Record the callback to the real-name complainant, or why there was none, before closing.")
    if complaint.rating in rules.SATISFIED_RATINGS:
        return None
    if rules.rating_window_over(complaint, today, calendar):
        return None
    if complaint.rating == Complaint.Rating.DISSATISFIED:
        return _("The complainant is dissatisfied and may ask for a review within %(n)d working days of the reply.") % {
            "n": rules.REVIEW_WORKING_DAYS
        }
    return _("The complainant has %(n)d working days to rate the reply before it can be closed without a rating.") % {
        "n": rules.REVIEW_WORKING_DAYS
    }


@transaction.atomic
def complaint_close(*, complaint_id: int, actor: User | None = None) -> Complaint:
    """Close after the complainant's rating, or after 10 working days without one.
    ``actor`` None means the periodic sweep."""
    complaint = locked(complaint_id)
    if actor is not None:
        require_permitted(complaint, actor, "close")
    problem = closing_refusal(complaint, timezone.localdate())
    if problem:
        raise ValidationError(problem)
    complaint.status = Status.CLOSED
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    event = ComplaintEvent.record(complaint, actor, Kind.CLOSED, automatic=actor is None)
    after_commit(notify_complainant, event.pk)
    return complaint
