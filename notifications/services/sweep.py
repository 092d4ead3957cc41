"""The reminder sweep: write what is due, then hand every waiting notice to delivery."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TypedDict

from django.db import transaction
from django.utils import timezone

from kernel.dispatch import after_commit

from .delivery import deliver, waiting_ids
from .reminders import write_due_reminders


class SweepReport(TypedDict):
    created: Counter[tuple[str, str]]  # (kind, step): notices written
    dispatched: int
    sent: int
    sent_ids: list[int]


def run_sweep(*, today: dt.date | None = None, inline: bool = False) -> SweepReport:
    """The whole sweep. ``inline`` sends in this process (the management command);
    otherwise each notice becomes a Celery task after this transaction commits."""
    today = today or timezone.localdate()
    with transaction.atomic():
        created = write_due_reminders(today)
    ids = waiting_ids()
    sent = []
    if inline:
        sent = [notification_id for notification_id in ids if deliver(notification_id)]
    else:
        from ..tasks import deliver_notification

        for notification_id in ids:
            after_commit(deliver_notification, notification_id)
    return {"created": created, "dispatched": len(ids), "sent": len(sent), "sent_ids": sent}
