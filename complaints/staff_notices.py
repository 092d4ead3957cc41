"""Notices to staff when a complaint brings them work, at once:

- a new complaint → the complaint centre, to accept it;
- a transfer asked for → the receiving office's staff and head, to accept or refuse it;
- a transfer refused → the office that asked (the centre while it held the complaint);
- the complainant's added information → whoever handles the complaint now;
- a review asked for → the complaint centre, which holds the complaint again;
- a reply → the complaint centre, to call the complainant back and close it;
- a complaint escalated → the centre above, which now holds it;
- a complaint taken over by the centre above → the centre that held it.

"The complaint centre" is the complaint's own centre (``Complaint.centre``) when
it has one, every centre's staff otherwise.

Never the complainant's identity nor their words (added information may name
them): the notices name the tracking number, the type, the offices and the date,
and staff of the office complained about never receive one.

One notice per event and recipient, keyed "work-<event pk>": the service that
takes the step queues ``tasks.notify_staff`` after it commits, and however often
that task runs, each notice is written and sent once. If the task is lost, the
complaints' sweep writes what is missing (``write_missed``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from campaigns.roles import Role
from notifications.models import Notification
from notifications.notices import hand_over_rows, send_waiting, write_and_send
from notifications.services import StaffDirectory
from notifications.texts import Localized, Text

from .models import Complaint, ComplaintEvent

Kind = ComplaintEvent.Kind

#: ``Notification.kind`` of these notices.
NOTICE_KIND = "complaint_work"
#: The events that hand a complaint's work to someone.
WORK = frozenset(
    {
        Kind.REGISTERED,
        Kind.TRANSFER_REQUESTED,
        Kind.TRANSFER_REFUSED,
        Kind.INFO_ADDED,
        Kind.REVIEW_REQUESTED,
        Kind.REPLIED,
        Kind.ESCALATED,
        Kind.TAKEN_OVER,
    }
)
#: Events handled per round of queries when making good lost notices.
BATCH_SIZE = 500
#: How far back the sweep looks for events whose notices were lost.
LOOKBACK = dt.timedelta(days=2)

CENTRE = Text(gettext_noop("The complaint centre"))
#: What ``work_of`` reads of an event: fetch events with these.
EVENT_RELATED = ("complaint", "complaint__problem_type", "complaint__office", "complaint__handling_office")


def step(event: ComplaintEvent) -> str:
    return f"work-{event.pk}"


@dataclass
class Work:
    """What one event asks of whom."""

    office_id: int | None  # None: the complaint centre
    subject: Text
    summary: Text
    details: str = ""
    centre_id: int | None = None  # which centre, when office_id is None (None: the complaint's own)


def _type(complaint: Complaint) -> Localized:
    kind = complaint.problem_type
    return Localized({"zh-hans": kind.name, "zh-hant": kind.name_zh_hant, "en": kind.name_en})


def _office(office) -> str | Text:
    return office.name if office is not None else CENTRE


def work_of(event: ComplaintEvent, offices: dict) -> Work | None:
    """The notice an event calls for, or None. ``offices`` maps the office ids the
    event's data names to offices (``event_offices``)."""
    complaint = event.complaint
    number = complaint.tracking_number
    if event.kind == Kind.REGISTERED:
        params = {"number": number, "type": _type(complaint), "date": complaint.accept_due}
        if complaint.office:
            summary = Text(
                gettext_noop("A complaint of the type “%(type)s” about %(office)s waits for acceptance by %(date)s."),
                {**params, "office": complaint.office.name},
            )
        else:
            summary = Text(gettext_noop("A complaint of the type “%(type)s” waits for acceptance by %(date)s."), params)
        return Work(None, Text(gettext_noop("New complaint %(number)s to accept"), {"number": number}), summary)
    if event.kind == Kind.TRANSFER_REQUESTED:
        to_office = offices.get(event.data.get("to_office"))
        if to_office is None:
            return None
        return Work(
            to_office.pk,
            Text(gettext_noop("Complaint %(number)s is offered to your office"), {"number": number}),
            Text(
                gettext_noop(
                    "%(sender)s asks your office to take over complaint %(number)s (“%(type)s”): accept or refuse it."
                ),
                {
                    "sender": _office(offices.get(event.data.get("from_office"))),
                    "number": number,
                    "type": _type(complaint),
                },
            ),
            event.internal_note,
        )
    if event.kind == Kind.TRANSFER_REFUSED:
        refused_by = offices.get(event.data.get("office"))
        return Work(
            event.data.get("from_office"),
            Text(gettext_noop("Transfer of complaint %(number)s refused"), {"number": number}),
            Text(
                gettext_noop("%(office)s will not take over complaint %(number)s; it stays with you."),
                {"office": _office(refused_by), "number": number},
            ),
            event.internal_note,
        )
    if event.kind == Kind.INFO_ADDED:
        return Work(
            complaint.handling_office_id,
            Text(gettext_noop("New information on complaint %(number)s"), {"number": number}),
            Text(
                gettext_noop("The complainant added information to complaint %(number)s; read it on the complaint."),
                {"number": number},
            ),
        )
    if event.kind == Kind.REVIEW_REQUESTED:
        return Work(
            None,
            Text(gettext_noop("Review asked for on complaint %(number)s"), {"number": number}),
            Text(
                gettext_noop(
                    "The complainant is not satisfied with the reply to complaint %(number)s and asks for a review: "
                    "it is back with the complaint centre, to be completed by %(date)s."
                ),
                {"number": number, "date": complaint.complete_due},
            ),
        )
    if event.kind == Kind.ESCALATED:
        return Work(
            None,
            Text(gettext_noop("Complaint %(number)s escalated to your centre"), {"number": number}),
            Text(
                gettext_noop(
                    "%(sender)s handed complaint %(number)s (“%(type)s”) up to your centre, which now accepts, "
                    "follows and closes it."
                ),
                {
                    "sender": _office(offices.get(event.data.get("from_centre"))),
                    "number": number,
                    "type": _type(complaint),
                },
            ),
            event.internal_note,
            centre_id=event.data.get("to_centre"),
        )
    if event.kind == Kind.TAKEN_OVER:
        return Work(
            None,
            Text(gettext_noop("Complaint %(number)s taken over by the centre above"), {"number": number}),
            Text(
                gettext_noop("%(office)s took over complaint %(number)s; your centre no longer holds it."),
                {"office": _office(offices.get(event.data.get("to_centre"))), "number": number},
            ),
            event.internal_note,
            centre_id=event.data.get("from_centre"),
        )
    if event.kind == Kind.REPLIED:
        return Work(
            None,
            Text(gettext_noop("Complaint %(number)s replied: call back and close"), {"number": number}),
            Text(
                gettext_noop("%(office)s replied to complaint %(number)s: call the complainant back and close it."),
                {"office": _office(complaint.handling_office), "number": number},
            ),
        )
    return None


def event_offices(events: Iterable[ComplaintEvent]) -> dict:
    """The offices named in the events' data, in one query."""
    from campaigns.models import Office

    keys = ("to_office", "from_office", "office", "from_centre", "to_centre")
    ids = {event.data.get(key) for event in events for key in keys} - {None}
    return Office.objects.in_bulk(ids) if ids else {}


def recipients(event: ComplaintEvent, work: Work, directory: StaffDirectory) -> list:
    """The office's staff and head, or the complaint centre; never staff of the office
    complained about, nor whoever took the step."""
    if work.office_id is None:
        centre = work.centre_id or event.complaint.centre_id
        people = (
            directory.staff_with(Role.COMPLAINT_CENTRE, centre)
            if centre
            else directory.staff_with(Role.COMPLAINT_CENTRE)
        )
    else:
        people = [
            *directory.staff_with(Role.OFFICE_STAFF, work.office_id),
            *directory.staff_with(Role.OFFICE_HEAD, work.office_id),
        ]
    subject_office = event.complaint.office_id
    return [
        user
        for user in people
        if user.pk != event.actor_id and not (subject_office and user.office_id == subject_office)
    ]


def _rows(event: ComplaintEvent, offices: dict, directory: StaffDirectory) -> list[Notification]:
    work = work_of(event, offices)
    if work is None:
        return []
    return hand_over_rows(
        recipients(event, work, directory),
        kind=NOTICE_KIND,
        step=step(event),
        target=event.complaint,
        day=timezone.localdate(event.created_at),
        subject=work.subject,
        summary=work.summary,
        details=work.details,
        link=reverse("complaints-staff:detail", args=[event.complaint_id]),
        at=event.created_at,
    )


def write_staff_notices(event: ComplaintEvent) -> int:
    """The notices of one event, each written and sent once; how many were new."""
    if event.kind not in WORK:
        return 0
    rows = _rows(event, event_offices([event]), StaffDirectory.load())
    return write_and_send(rows)


def write_missed(since: dt.datetime) -> list[int]:
    """Write the notices of recent events whose task was lost; returns the ids of
    those waiting to be sent.

    Events are read in batches of ``BATCH_SIZE``; per batch, one query for the
    events already told, and when some are not: one for the offices they name,
    one INSERT and one to read back what waits to be sent. The staff are read
    once (``StaffDirectory``)."""
    events = (
        ComplaintEvent.objects.filter(kind__in=WORK, created_at__gte=since)
        .select_related(*EVENT_RELATED)
        .order_by("pk")
    )
    target_type = ContentType.objects.get_for_model(Complaint)
    directory = None
    waiting: list[int] = []
    iterator = events.iterator(chunk_size=BATCH_SIZE)
    while page := list(islice(iterator, BATCH_SIZE)):
        steps = [step(event) for event in page]
        told = set(
            Notification.objects.filter(kind=NOTICE_KIND, target_type=target_type, step__in=steps).values_list(
                "step", flat=True
            )
        )
        missed = [event for event in page if step(event) not in told]
        if not missed:
            continue
        directory = directory or StaffDirectory.load()
        offices = event_offices(missed)
        rows = [row for event in missed for row in _rows(event, offices, directory)]
        if not rows:
            continue
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        waiting += Notification.objects.filter(
            Q(kind=NOTICE_KIND, target_type=target_type, step__in={row.step for row in rows})
            & Q(state=Notification.State.PENDING)
        ).values_list("pk", flat=True)
    return waiting


__all__ = ["NOTICE_KIND", "WORK", "send_waiting", "write_missed", "write_staff_notices"]
