"""Making good the notices of work handed over whose task was lost.

A step recorded as an ``AuditEvent`` tells its people through its app's
``tasks.notify_staff``, queued after commit (``kernel.dispatch.after_commit``).
When the broker was away, or the worker died, that task never ran: this sweep
tells each recent event again through its app's ``notices.tell``. Telling is
idempotent (each notice is keyed by the event and the person), so an event
whose notices went out writes nothing. Every installed app with a
``notices.NOTICES`` map of audit verbs takes part; none is named here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger(__name__)

# How far back a lost hand-over is still told (as the complaints' sweep).
LOOKBACK = dt.timedelta(days=2)


def tellers() -> dict[str, Callable[[AuditEvent], int]]:
    """Each audit verb that hands work over, and the ``tell`` of the app that owns it."""
    found = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.notices")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.notices":
                raise
            continue
        if isinstance(getattr(module, "NOTICES", None), dict) and callable(getattr(module, "tell", None)):
            found.update(dict.fromkeys(module.NOTICES, module.tell))
    return found


def make_good_hand_overs(now: dt.datetime | None = None) -> int:
    """Tell again every hand-over of the last ``LOOKBACK``; returns how many notices were new."""
    since = (now or timezone.now()) - LOOKBACK
    tell = tellers()
    written = 0
    events = AuditEvent.objects.filter(created_at__gte=since, verb__in=list(tell)).order_by("pk")
    for event in events.iterator(chunk_size=200):
        try:
            with transaction.atomic():
                written += tell[event.verb](event)
        except Exception:  # one event's target gone must not stop the others
            logger.exception("could not tell the hand-over of audit event %s", event.pk)
    return written
