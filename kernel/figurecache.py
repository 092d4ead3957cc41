"""Figures that aggregate whole tables (complaint statistics, the scorecard's
complaint columns, the weekly trends), computed at most every few minutes and
shared by every web process through the cache.

At a million complaints one of these aggregates takes about a second of the
database's time; the pages that show them answer in milliseconds by reading
the last snapshot, and say how old it is ("figures as of 10:05"). A beat job
(``kernel.tasks.refresh_figures``, every ``FIGURES_REFRESH_SECONDS``)
recomputes every registered snapshot before it is ``FIGURES_MAX_AGE`` old, so
in production no visitor waits for one; without the job (``make run`` with
the in-process cache) the first request after a snapshot expired recomputes it,
and only one process at a time does (the others serve the previous one).

``FIGURES_MAX_AGE = 0`` turns snapshots off: every request computes (the tests'
default, so a figure changes as soon as its data does).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

KEY_PREFIX = "figures:v1:"
LOCK_SECONDS = 120

# name -> function retaking every snapshot of that family; apps register theirs
# in their AppConfig.ready() (see ``register``), the kernel names none of them.
_REFRESHERS: dict[str, Callable[[], None]] = {}


def register(name: str, refresher: Callable[[], None]) -> None:
    """Have the beat job (``refresh_all``) call ``refresher`` to retake the
    snapshots of family ``name``. Registering the same name again replaces it."""
    _REFRESHERS[name] = refresher


def registered() -> list[str]:
    return sorted(_REFRESHERS)


@dataclass(frozen=True)
class Snapshot:
    value: Any
    computed_at: dt.datetime

    @property
    def age_seconds(self) -> float:
        return (timezone.now() - self.computed_at).total_seconds()


def max_age() -> int:
    return int(getattr(settings, "FIGURES_MAX_AGE", 300))


def _key(name: str) -> str:
    return KEY_PREFIX + name


def snapshot(name: str, compute: Callable[[], Any]) -> Snapshot:
    """The last snapshot of ``name`` if younger than FIGURES_MAX_AGE, else a new one."""
    limit = max_age()
    if limit <= 0:
        return Snapshot(compute(), timezone.now())
    entry: Snapshot | None = cache.get(_key(name))
    if entry is not None and entry.age_seconds < limit:
        return entry
    if entry is not None and not cache.add(_key(name) + ":lock", 1, LOCK_SECONDS):
        return entry  # another process is computing it: the previous one will do meanwhile
    try:
        return store(name, compute)
    finally:
        cache.delete(_key(name) + ":lock")


def store(name: str, compute: Callable[[], Any]) -> Snapshot:
    """Compute ``name`` now and keep it (the refresh job; also ``snapshot`` on a miss)."""
    computed_at = timezone.now()
    entry = Snapshot(compute(), computed_at)
    # Kept beyond the max age so a late refresh still has something to serve.
    cache.set(_key(name), entry, timeout=max(max_age() * 12, 3600))
    return entry


def refresh_all() -> dict[str, float]:
    """Recompute every registered snapshot; returns the seconds each took."""
    import time

    timings = {}
    for name, function in sorted(_REFRESHERS.items()):
        started = time.perf_counter()
        try:
            function()
        except Exception:  # one failing family must not stop the others
            logger.exception("refreshing the %s figures failed", name)
            continue
        timings[name] = round(time.perf_counter() - started, 3)
    return timings
