"""The admin lists the project takes from its libraries (groups, django-axes' login records, django-celery-beat's
schedules): the same queries at 5 and at 50 rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _groups(n):
    from django.contrib.auth.models import Group

    Group.objects.bulk_create(Group(name=f"小组{i}") for i in range(n))


def _axes(n):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    who = {"user_agent": "Mozilla/5.0", "http_accept": "text/html", "path_info": "/accounts/login/"}
    now = timezone.now()
    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username=f"u{i}", ip_address=f"198.51.100.{i}", get_data="", post_data="", failures_since_start=1, **who
        )
        for i in range(n)
    )
    AccessLog.objects.bulk_create(AccessLog(username=f"u{i}", ip_address=f"198.51.100.{i}", **who) for i in range(n))
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=f"u{i}", ip_address=f"198.51.100.{i}", attempt_time=now, **who) for i in range(n)
    )


def _beat(n):
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    intervals = IntervalSchedule.objects.bulk_create(IntervalSchedule(every=i + 1, period="minutes") for i in range(n))
    CrontabSchedule.objects.bulk_create(CrontabSchedule(minute=str(i % 60), hour=str(i % 24)) for i in range(n))
    SolarSchedule.objects.bulk_create(SolarSchedule(event="sunrise", latitude=i, longitude=i) for i in range(n))
    ClockedSchedule.objects.bulk_create(
        ClockedSchedule(clocked_time=timezone.now() + dt.timedelta(days=i)) for i in range(n)
    )
    PeriodicTask.objects.bulk_create(
        PeriodicTask(name=f"任务{i}", task="notifications.tasks.sweep", interval=interval)
        for i, interval in enumerate(intervals)
    )


# The list, what fills it, and its queries (the header's current campaign cached by the first page): session,
# user, the paginator's count and the full count, the page; then, where the list has them, the date hierarchy's
# first and last date and its days (or years), and the distinct values of a filter.
LISTS = {
    "auth_group": (_groups, 5),
    # ... + attempt time's first and last, its days, the paths for the filter
    "axes_accessattempt": (_axes, 8),
    "axes_accesslog": (_axes, 8),
    "axes_accessfailurelog": (_axes, 8),
    # the page (+interval, crontab, solar, clocked) + start time's first and last, its years, the tasks for the filter
    "django_celery_beat_periodictask": (_beat, 8),
    "django_celery_beat_intervalschedule": (_beat, 5),
    "django_celery_beat_crontabschedule": (_beat, 5),
    "django_celery_beat_solarschedule": (_beat, 5),
    "django_celery_beat_clockedschedule": (_beat, 5),
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("n", [5, 50])
def test_library_admin_lists_query_budget(client, admin_user, name, n, django_assert_num_queries):
    fill, budget = LISTS[name]
    fill(n)
    url = reverse(f"admin:{name}_changelist")
    client.force_login(admin_user)
    client.get(url)
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200 and response.context["cl"].result_count >= n
