"""Small value types shared by the scorecard, the exports and the snapshots."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Self

from kernel.percent import percent as share  # one decimal, half up; None when there is nothing to divide by


@dataclass
class Figures:
    """A bag of counts; subclasses name them."""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls(**{f.name: row.get(f.name) or 0 for f in fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_figures(items: Iterable[Any], empty: Any) -> Any:
    """The sum of one family's figures, each count added into ``empty`` (a fresh
    value of the family); a family whose figures are not counts (the appraisal's
    score and rank) gives ``empty`` as it is."""
    if not isinstance(empty, Figures):
        return empty
    names = [f.name for f in fields(empty)]
    for item in items:
        for name in names:
            setattr(empty, name, getattr(empty, name) + getattr(item, name))
    return empty


@dataclass
class TaskFigures(Figures):
    total: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return share(self.done_on_time, self.done)

    @property
    def done_rate(self) -> float | None:
        return share(self.done, self.total)


@dataclass
class ComplaintFigures(Figures):
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return share(self.closed_on_time, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return share(self.satisfied, self.rated)


@dataclass
class DeliverableFigures(Figures):
    required: int = 0
    accepted: int = 0
    awaiting: int = 0
    returned: int = 0
    overdue: int = 0


@dataclass
class CommitmentFigures(Figures):
    made: int = 0
    completed: int = 0
    verified: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def satisfaction_rate(self) -> float | None:
        return share(self.satisfied, self.rated)


@dataclass
class AppraisalFigures:
    score: float | None = None
    rank: int | None = None
    survey_id: int | None = None
    survey_title: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
