"""Reads for the rectification pages that are more than one queryset call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from kernel.percent import percent

from .models import Commitment, Rating

Status = Commitment.Status
BOARD_STATUSES = [s for s in Status if s != Status.DRAFT]


@dataclass
class RatingSummary:
    total: int
    satisfied: int
    basically: int
    dissatisfied: int

    def share(self, n: int) -> float:
        return percent(n, self.total) or 0

    @property
    def satisfied_share(self) -> float:
        return self.share(self.satisfied)

    @property
    def basically_share(self) -> float:
        return self.share(self.basically)

    @property
    def dissatisfied_share(self) -> float:
        return self.share(self.dissatisfied)


def rating_summary(commitment_id: int) -> RatingSummary:
    row = Rating.objects.filter(commitment_id=commitment_id).aggregate(
        total=Count("pk"),
        satisfied=Count("pk", filter=Q(value="satisfied")),
        basically=Count("pk", filter=Q(value="basically")),
        dissatisfied=Count("pk", filter=Q(value="dissatisfied")),
    )
    return RatingSummary(**row)


def board_counts(day: dt.date) -> dict[str, Any]:
    """Public commitments of the campaign the page shows by status, and how many are overdue: one query."""
    aggregates = {s.value: Count("pk", filter=Q(status=s)) for s in BOARD_STATUSES}
    aggregates["overdue"] = Count("pk", filter=Q(status__in=Commitment.OPEN_STATUSES, deadline__lt=day))
    aggregates["total"] = Count("pk")
    row = Commitment.objects.public().in_shown_campaign().aggregate(**aggregates)
    return {
        "total": row["total"],
        "overdue": row["overdue"],
        "by_status": [(s.value, s.label, row[s.value]) for s in BOARD_STATUSES],
    }
