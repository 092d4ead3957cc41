"""The periodic sweep of the time limits: accountability cases for complaints
past a limit and closing replied complaints nobody rated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import timedelta
from itertools import islice
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kernel.dispatch import after_commit
from kernel.workcalendar import WorkCalendar, calendar_for
from notifications.tasks import deliver_notification

from .. import notices, rules, staff_notices
from ..models import AccountabilityCase, Callback, Complaint, ComplaintEvent
from ..tasks import notify_complainant
from .accountability import open_case
from .closing import closing_refusal
from .common import Kind, Status
from .intake import prune_duplicate_guards

# Complaints handled per round of queries by the sweep: a fixed few queries per batch.
SWEEP_BATCH_SIZE = 500

_T = TypeVar("_T")
_Row = TypeVar("_Row", AccountabilityCase, ComplaintEvent)


def _pages(rows: QuerySet[Any, _T], size: int) -> Iterator[list[_T]]:
    """Lists of ``size`` rows of ``rows``, streamed in primary key order by one query
    (never all in memory). Re-running the query per page would scan the candidates
    again each time: quadratic in the number due."""
    iterator = rows.order_by("pk").iterator(chunk_size=size)
    while page := list(islice(iterator, size)):
        yield page


def _sweep_event(complaint_id: int, kind: str, created_at: dt.datetime, **data: Any) -> ComplaintEvent:
    """The event ``ComplaintEvent.record`` writes when nobody acts (the sweep), for bulk_create."""
    return ComplaintEvent(
        complaint_id=complaint_id,
        created_at=created_at,
        kind=kind,
        is_public=kind in ComplaintEvent.PUBLIC_KINDS,
        data=data,
    )


def _with_ids(model: type[_Row], objs: list[_Row], **lookup: Any) -> list[_Row]:
    """``objs`` just bulk-created, with their primary keys even on a database that
    doesn't return them from a bulk INSERT."""
    if objs and objs[0].pk is None:
        ids = dict(model.objects.filter(**lookup).values_list("complaint_id", "pk"))
        for obj in objs:
            obj.pk = ids[obj.complaint_id]
    return objs


def _open_cases(page: list[tuple[int, int | None]], reason: str, office_field: str) -> int:
    """Open the cases for a page of (complaint id, office id) late complaints, each with
    its timeline event: one INSERT for the cases and one for the events."""
    ids = [pk for pk, _office_id in page]
    try:
        with transaction.atomic():
            cases = AccountabilityCase.objects.bulk_create(
                [AccountabilityCase(complaint_id=pk, reason=reason, office_id=office_id) for pk, office_id in page]
            )
            _with_ids(AccountabilityCase, cases, complaint_id__in=ids, reason=reason)
            now = timezone.now()
            ComplaintEvent.objects.bulk_create(
                [_sweep_event(case.complaint_id, Kind.CASE_OPENED, now, reason=reason, case=case.pk) for case in cases]
            )
    except IntegrityError:
        # A sweep running at the same time opened some of them first: one at a
        # time, the unique constraint decides each.
        complaints = Complaint.objects.select_related(office_field).in_bulk(ids)
        return sum(
            1 for complaint in complaints.values() if open_case(complaint, reason, getattr(complaint, office_field))
        )
    return len(cases)


def _close_replied(page: list[tuple[int]], today: dt.date, calendar: WorkCalendar) -> int:
    """Close the complaints of the page that ``closing_refusal`` allows, as
    ``complaint_close`` does with no actor: the rows locked, one UPDATE, one INSERT
    of the events, and the complainants told after commit."""
    ids = [pk for (pk,) in page]
    with transaction.atomic():
        complaints = list(Complaint.objects.select_for_update().filter(pk__in=ids))
        called_back = set(Callback.objects.filter(complaint_id__in=ids).values_list("complaint_id", flat=True))
        closing = [
            c.pk
            for c in complaints
            if closing_refusal(c, today, has_callback=c.pk in called_back, calendar=calendar) is None
        ]
        if not closing:
            return 0
        now = timezone.now()
        Complaint.objects.filter(pk__in=closing).update(status=Status.CLOSED, closed_at=now, updated_at=now)
        events = ComplaintEvent.objects.bulk_create(
            [_sweep_event(pk, Kind.CLOSED, now, automatic=True) for pk in closing]
        )
        _with_ids(ComplaintEvent, events, complaint_id__in=closing, kind=Kind.CLOSED, created_at=now)
        for event in events:
            after_commit(notify_complainant, event.pk)
    return len(closing)


def _make_good_lost_notices() -> int:
    """Write the complainants' notices whose immediate task was lost, and hand them
    to delivery once written."""
    with transaction.atomic():
        written = notices.write_missed_notices(timezone.now() - notices.LOOKBACK)
        for pk in written:
            after_commit(deliver_notification, pk)
    return len(written)


def _make_good_lost_staff_notices() -> int:
    """Write the staff's notices of work handed to them whose immediate task was lost."""
    with transaction.atomic():
        waiting = staff_notices.write_missed(timezone.now() - staff_notices.LOOKBACK)
        staff_notices.send_waiting(waiting)
    return len(waiting)


def complaints_sweep(today: dt.date | None = None) -> dict[str, int]:
    """Open accountability cases for complaints past a limit (each exactly once),
    close replied complaints left unrated for 10 working days, and write the
    complainants' notices whose task was lost. Safe to run at any time, as often
    as you like, in parallel with itself (``tasks.sweep``, every 15 minutes).

    Complaints are taken ``SWEEP_BATCH_SIZE`` at a time, each batch in its own
    transaction with a fixed few queries; a batch that fails leaves the others
    done, and the next sweep takes up what is left."""
    today = today or timezone.localdate()
    opened = closed = 0
    late_accept = Complaint.objects.overdue_to_accept(today).exclude(
        cases__reason=AccountabilityCase.Reason.ACCEPT_OVERDUE
    )
    for page in _pages(late_accept.values_list("pk", "first_office_id"), SWEEP_BATCH_SIZE):
        opened += _open_cases(page, AccountabilityCase.Reason.ACCEPT_OVERDUE, "first_office")
    late_complete = Complaint.objects.past_completion_limit(today).exclude(
        cases__reason=AccountabilityCase.Reason.COMPLETE_OVERDUE
    )
    for page in _pages(late_complete.values_list("pk", "handling_office_id"), SWEEP_BATCH_SIZE):
        opened += _open_cases(page, AccountabilityCase.Reason.COMPLETE_OVERDUE, "handling_office")
    # 10 working days never span fewer than 12 calendar days.
    closable = Complaint.objects.filter(status=Status.REPLIED).filter(
        Q(rating__in=rules.SATISFIED_RATINGS) | Q(replied_at__date__lte=today - timedelta(days=12))
    )
    # Whether one may close is decided on the real day, as complaint_close does.
    day = timezone.localdate()
    calendar = None
    for page in _pages(closable.values_list("pk"), SWEEP_BATCH_SIZE):
        calendar = calendar or calendar_for(day)
        closed += _close_replied(page, day, calendar)
    prune_duplicate_guards()
    return {
        "cases_opened": opened,
        "closed": closed,
        "notices": _make_good_lost_notices(),
        "staff_notices": _make_good_lost_staff_notices(),
    }
