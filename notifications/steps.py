"""Which reminder step applies to a deadline today: a pure function, so the
rules can be read and tested on their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kernel.workcalendar import WorkCalendar


@dataclass(frozen=True)
class Step:
    name: str  # "before-7", "due", "overdue-1", "overdue-10"
    notify_responsible: bool = True
    notify_office_head: bool = False
    notify_oversight: bool = False


@dataclass(frozen=True)
class Rung:
    days_overdue: int
    notify_responsible: bool
    notify_office_head: bool
    notify_oversight: bool


def current_step(
    *,
    deadline: dt.date,
    today: dt.date,
    offsets: list[int],
    ladder: list[Rung],
    repeat_every: int,
    calendar: WorkCalendar | None,
) -> Step | None:
    """The one step due today, or None.

    Only the latest step that has been reached is returned: an item created two
    days before its deadline gets the 1-day reminder, not the 7- and 3-day ones
    as well, and one already overdue gets the overdue step only. Days are
    working days when ``calendar`` is given, calendar days otherwise.
    """

    def between(a: dt.date, b: dt.date) -> int:
        return calendar.working_days_between(a, b) if calendar else (b - a).days

    if today <= deadline:
        left = between(today, deadline)
        reached = [b for b in offsets if left <= b]
        if not reached:
            return None
        b = min(reached)
        return Step("due" if b == 0 else f"before-{b}")
    rungs = sorted(ladder, key=lambda r: r.days_overdue)
    if not rungs:
        return None
    overdue = max(between(deadline, today), 1)
    passed = [r for r in rungs if r.days_overdue <= overdue]
    if not passed:
        return None
    rung = passed[-1]
    day = rung.days_overdue
    last = rungs[-1]
    if rung is last and repeat_every and overdue >= last.days_overdue + repeat_every:
        day = last.days_overdue + (overdue - last.days_overdue) // repeat_every * repeat_every
    return Step(f"overdue-{day}", rung.notify_responsible, rung.notify_office_head, rung.notify_oversight)
