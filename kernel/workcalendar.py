"""Working days: Monday to Friday, minus public holidays, plus the weekend days
made working days (调休), as admins keep them in ``CalendarDay``.

Time limits counted in working days (complaints: 3 to accept, 15 to complete)
and reminders use these functions, so a holiday added later moves every due
date computed after it.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property


class WorkCalendar:
    """A snapshot of the calendar's exceptions between two dates, loaded in one query."""

    def __init__(self, start: dt.date | None = None, end: dt.date | None = None):
        self.start = start
        self.end = end

    @cached_property
    def _exceptions(self) -> dict[dt.date, str]:
        from .models import CalendarDay

        qs = CalendarDay.objects.all()
        if self.start:
            qs = qs.filter(date__gte=self.start)
        if self.end:
            qs = qs.filter(date__lte=self.end)
        return dict(qs.values_list("date", "kind"))

    def is_working_day(self, day: dt.date) -> bool:
        kind = self._exceptions.get(day)
        if kind == "holiday":
            return False
        if kind == "workday":
            return True
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted).

        A matter received on a Friday with a 3-working-day limit is due on the
        following Wednesday.
        """
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def calendar_for(start: dt.date, span_days: int = 400) -> WorkCalendar:
    """A calendar covering ``start`` and the following ``span_days`` days."""
    return WorkCalendar(start - dt.timedelta(days=span_days), start + dt.timedelta(days=span_days))


def add_working_days(start: dt.date, days: int) -> dt.date:
    return calendar_for(start).add_working_days(start, days)
