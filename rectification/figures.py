"""The commitment figures, counted one way for every page that shows them: the
results the campaign office publishes (整改情况公布), the public results page, and
the oversight scorecard, ledgers and summary.

Per office that made them (the plan's office), commitments past the draft:
made, completed (claimed or verified), verified, overdue (still open after their
deadline), and the public's ratings of them. Satisfaction is satisfied plus
basically satisfied over all ratings, as a percentage rounded half up to one
decimal (``kernel.percent``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from kernel.percent import percent


def satisfaction_rate(satisfied: int, basically: int, ratings: int) -> float | None:
    """Satisfied and basically satisfied, in per cent of all ratings (one decimal, half up)."""
    return percent(satisfied + basically, ratings)


@dataclass
class CommitmentCounts:
    made: int = 0
    completed: int = 0
    verified: int = 0
    overdue: int = 0
    ratings: int = 0
    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0

    @property
    def satisfaction_rate(self) -> float | None:
        return satisfaction_rate(self.satisfied, self.basically, self.ratings)


def commitment_counts(
    *, campaign_id: int, day: dt.date, office_ids: Iterable[int] | None = None
) -> dict[int, CommitmentCounts]:
    """Office id → its figures on ``day``, for the offices with a commitment or a
    rating in the campaign (``office_ids`` narrows them): two aggregate queries
    (commitments, ratings), whatever the number of offices."""
    from .models import Commitment, Rating

    commitments = Commitment.objects.filter(plan__campaign_id=campaign_id).exclude(status=Commitment.Status.DRAFT)
    ratings = Rating.objects.filter(commitment__plan__campaign_id=campaign_id)
    if office_ids is not None:
        commitments = commitments.filter(plan__office_id__in=office_ids)
        ratings = ratings.filter(commitment__plan__office_id__in=office_ids)
    found: dict[int, CommitmentCounts] = {}
    for row in (
        commitments.values("plan__office_id")
        .annotate(
            made=Count("pk"),
            completed=Count("pk", filter=Q(status__in=Commitment.DONE_STATUSES)),
            verified=Count("pk", filter=Q(status=Commitment.Status.VERIFIED)),
            overdue=Count("pk", filter=Q(status__in=Commitment.OPEN_STATUSES, deadline__lt=day)),
        )
        .order_by()
    ):
        counts = found.setdefault(row["plan__office_id"], CommitmentCounts())
        counts.made, counts.completed = row["made"], row["completed"]
        counts.verified, counts.overdue = row["verified"], row["overdue"]
    for row in (
        ratings.values("commitment__plan__office_id")
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(value=Rating.Value.SATISFIED)),
            basically=Count("pk", filter=Q(value=Rating.Value.BASICALLY)),
            dissatisfied=Count("pk", filter=Q(value=Rating.Value.DISSATISFIED)),
        )
        .order_by()
    ):
        counts = found.setdefault(row["commitment__plan__office_id"], CommitmentCounts())
        counts.ratings, counts.satisfied = row["total"], row["satisfied"]
        counts.basically, counts.dissatisfied = row["basically"], row["dissatisfied"]
    return found
