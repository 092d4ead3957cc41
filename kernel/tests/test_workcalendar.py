import datetime as dt

import pytest

from kernel.models import CalendarDay
from kernel.workcalendar import WorkCalendar, add_working_days

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 9, 25)


def test_weekends_are_not_working_days():
    assert add_working_days(FRIDAY, 1) == dt.date(2026, 9, 28)  # Monday
    assert add_working_days(FRIDAY, 3) == dt.date(2026, 9, 30)  # Wednesday


def test_a_holiday_is_skipped():
    CalendarDay.objects.create(date=dt.date(2026, 9, 28), kind=CalendarDay.Kind.HOLIDAY, name="Holiday")
    assert add_working_days(FRIDAY, 1) == dt.date(2026, 9, 29)


def test_a_make_up_working_day_counts():
    CalendarDay.objects.create(date=dt.date(2026, 9, 26), kind=CalendarDay.Kind.WORKDAY, name="调休")
    assert add_working_days(FRIDAY, 1) == dt.date(2026, 9, 26)  # the Saturday


def test_national_day_week_with_make_up_days():
    # 2026: 1–7 October off, Sunday 27 Sep and Saturday 10 Oct worked instead.
    for day in range(1, 8):
        CalendarDay.objects.create(date=dt.date(2026, 10, day), kind="holiday", name="国庆节")
    for day in (dt.date(2026, 9, 27), dt.date(2026, 10, 10)):
        CalendarDay.objects.create(date=day, kind="workday", name="调休")
    # Received Tuesday 29 Sep; 3 working days: 30 Sep, 8 Oct, 9 Oct.
    assert add_working_days(dt.date(2026, 9, 29), 3) == dt.date(2026, 10, 9)
    assert WorkCalendar().working_days_between(dt.date(2026, 9, 29), dt.date(2026, 10, 10)) == 4


def test_working_days_between_is_negative_backwards():
    assert WorkCalendar().working_days_between(dt.date(2026, 9, 30), FRIDAY) == -3
