"""Small value types shared by the scorecard, the exports and the snapshots."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """A bag of counts; subclasses name them."""

    @classmethod
    def from_row(cls, row: dict):
        return cls(**{f.name: row.get(f.name) or 0 for f in fields(cls)})

    def as_dict(self) -> dict:
        return asdict(self)


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

    def as_dict(self) -> dict:
        return asdict(self)
