"""What one area of the generator tells the next: ids, dates and the random source."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class Office:
    id: int
    name: str
    short_name: str
    level: str
    parent_id: int | None
    depth: int


@dataclass
class World:
    seed: int
    now: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)
    offices: list[Office] = field(default_factory=list)
    centre_office_id: int = 0
    campaign_office_id: int = 0
    # The offices complaints are about / handled by, most-named first (Zipf-like).
    subject_ids: list[int] = field(default_factory=list)
    handler_ids: list[int] = field(default_factory=list)
    busy_office_id: int = 0
    staff_of: dict[int, int] = field(default_factory=dict)  # office id -> its office_staff user id
    users: dict[str, int] = field(default_factory=dict)  # bench username -> id
    campaign_id: int = 0
    previous_campaign_id: int = 0
    campaigns: list[tuple[int, dt.date, dt.date]] = field(default_factory=list)
    phase_ids: list[int] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def rng(self, area: str) -> random.Random:
        """An independent, reproducible stream per area: changing one area's code
        does not shift the data of the others."""
        return random.Random(f"{self.seed}:{area}")

    def aware(self, day: dt.date, seconds: int = 36_000) -> dt.datetime:
        naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
        return timezone.make_aware(naive)

    def campaign_on(self, day: dt.date) -> int | None:
        for pk, start, end in self.campaigns:
            if start <= day <= end:
                return pk
        return None


class Picker:
    """Weighted choice with a precomputed cumulative table (much faster than
    ``random.choices`` called once per row)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def zipf_weights(n: int, exponent: float = 0.9) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, n + 1)]
