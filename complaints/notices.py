"""E-mail to the complainant about the public steps of their complaint: accepted
or not, taken over by an office, replied, closed, or more information asked for.
Never internal notes nor staff names.

Each notice is one ``notifications.Notification`` row to the complainant's e-mail
address, keyed by the event ("event-<pk>"), so it is written exactly once however
often it is asked for. The services queue ``tasks.notify_complainant`` after the
step commits, which writes and sends it at once; if that task is lost, the
complaints sweep writes the notice (``write_missed_notices``) and the notifications
sweep delivers it."""

from __future__ import annotations

import datetime as dt
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from notifications.models import Notification
from notifications.notices import address_notice
from notifications.services import render_notice

from .models import ComplainantIdentity, Complaint, ComplaintEvent

Kind = ComplaintEvent.Kind

#: The steps a complainant who left an e-mail address is told about.
NEWS = frozenset(
    {Kind.ACCEPTED, Kind.NOT_ACCEPTED, Kind.TRANSFER_ACCEPTED, Kind.REPLIED, Kind.CLOSED, Kind.INFO_REQUESTED}
)
#: ``Notification.kind`` of these notices.
NOTICE_KIND = "complaint_event"
#: Events handled per round of queries when making good lost notices.
BATCH_SIZE = 500
#: How far back the sweep looks for events whose notice was lost.
LOOKBACK = dt.timedelta(days=2)


def _step(event) -> str:
    return f"event-{event.pk}"


def _notice(event: ComplaintEvent, email: str) -> Notification:
    complaint = event.complaint
    language = settings.LANGUAGE_CODE
    context = {
        "complaint": complaint,
        "event": event,
        "public_note": event.public_note,
        "handling_office": complaint.handling_office.name if complaint.handling_office else "",
        "site_url": getattr(settings, "SITE_URL", ""),
    }
    subject, text = render_notice("complaint_update", context, language)
    return address_notice(
        email,
        kind=NOTICE_KIND,
        step=_step(event),
        target=complaint,
        deadline=timezone.localdate(event.created_at),
        subject=subject,
        body=text,
        link="/complaints/track/",
        language=language,
    )


def write_notice(event: ComplaintEvent) -> Notification | None:
    """The notice of one event, written once; None when the complainant left no
    e-mail address or the step is not news to them."""
    if event.kind not in NEWS:
        return None
    identity = ComplainantIdentity.objects.filter(complaint_id=event.complaint_id).only("email").first()
    if identity is None or not identity.email:
        return None
    notice = _notice(event, identity.email)
    made = Notification.objects.bulk_create([notice], ignore_conflicts=True)
    return (
        made[0]
        if made and made[0].pk
        else Notification.objects.filter(
            target_type=notice.target_type,
            target_id=notice.target_id,
            deadline=notice.deadline,
            step=notice.step,
            recipient_key=notice.recipient_key,
        ).first()
    )


def write_missed_notices(since: dt.datetime) -> list[int]:
    """Make good any notice whose immediate task was lost; returns the ids of
    those written, to be delivered.

    Events are streamed in batches of ``BATCH_SIZE``; per batch, one query for the
    notices already written and, when some are missing, one for the complainants'
    e-mail addresses, one INSERT and one to read back what it wrote."""
    written: list[int] = []
    events = (
        ComplaintEvent.objects.filter(kind__in=NEWS, created_at__gte=since)
        .select_related("complaint", "complaint__handling_office")
        .order_by("pk")
    )
    target_type = ContentType.objects.get_for_model(Complaint)
    iterator = events.iterator(chunk_size=BATCH_SIZE)
    while page := list(islice(iterator, BATCH_SIZE)):
        done = set(
            Notification.objects.filter(
                kind=NOTICE_KIND, target_type=target_type, step__in=[_step(event) for event in page]
            ).values_list("step", flat=True)
        )
        missed = [event for event in page if _step(event) not in done]
        if not missed:
            continue
        emails = dict(
            ComplainantIdentity.objects.filter(complaint_id__in={event.complaint_id for event in missed})
            .exclude(email="")
            .values_list("complaint_id", "email")
        )
        rows = [_notice(event, emails[event.complaint_id]) for event in missed if event.complaint_id in emails]
        if rows:
            # A notice sent by the event's own task meanwhile makes ours a no-op.
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            written += Notification.objects.filter(
                kind=NOTICE_KIND,
                target_type=target_type,
                step__in=[row.step for row in rows],
                state=Notification.State.PENDING,
            ).values_list("pk", flat=True)
    return written
