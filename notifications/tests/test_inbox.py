import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from campaigns.models import Office
from notifications.models import Notification, ReminderRule

pytestmark = pytest.mark.django_db


def notice(user, n=0, **kwargs):
    return Notification.objects.create(
        kind="task", step=f"before-{n}", target_type=ContentType.objects.get_for_model(Office), target_id=1,
        deadline=dt.date(2026, 12, 1), recipient=user, recipient_key=f"u{user.pk}", subject=f"Reminder {n}",
        body="Body", link="/staff/", state="sent", **kwargs,
    )


def test_inbox_lists_my_notices_and_the_navbar_counts_unread(client, staff_a, staff_b):
    notice(staff_a, 1)
    notice(staff_b, 2)
    client.force_login(staff_a)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Reminder 1" in html and "Reminder 2" not in html
    assert 'data-testid="inbox-unread">1' in html


def test_marking_read_clears_the_badge(client, staff_a):
    item = notice(staff_a)
    client.force_login(staff_a)
    response = client.post(reverse("notifications:mark-read", args=[item.pk]), {"next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    item.refresh_from_db()
    assert item.read_at is not None
    assert "inbox-unread" not in client.get(reverse("notifications:inbox")).content.decode()


def test_mark_read_refuses_an_outside_redirect(client, staff_a):
    item = notice(staff_a)
    client.force_login(staff_a)
    response = client.post(reverse("notifications:mark-read", args=[item.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:inbox")


def test_someone_elses_notice_is_404(client, staff_a, staff_b):
    item = notice(staff_b)
    client.force_login(staff_a)
    assert client.post(reverse("notifications:mark-read", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read(client, staff_a):
    for i in range(3):
        notice(staff_a, i)
    client.force_login(staff_a)
    client.post(reverse("notifications:mark-all-read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize("n", [5, 50])
def test_inbox_query_budget(client, staff_a, n, django_assert_max_num_queries):
    for i in range(n):
        notice(staff_a, i)
    client.force_login(staff_a)
    # session, user, page count, page of notices, unread badge, current campaign
    # and phase (header), the user's office
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:inbox")).status_code == 200


def test_default_rules_exist_with_the_issues_offsets_and_ladder():
    rule = ReminderRule.objects.get(kind="task")
    assert rule.offsets == [7, 3, 1, 0] and rule.repeat_every_days == 7
    ladder = list(rule.ladder.values_list("days_overdue", "notify_office_head", "notify_oversight"))
    assert ladder == [(1, True, False), (3, True, True)]
    assert ReminderRule.objects.get(kind="complaint_accept").working_days


def test_a_badly_written_offset_list_is_refused():
    from django.core.exceptions import ValidationError

    rule = ReminderRule.objects.get(kind="task")
    rule.days_before = "7, three"
    with pytest.raises(ValidationError) as excinfo:
        rule.full_clean()
    assert "days_before" in excinfo.value.message_dict


@pytest.mark.parametrize("n", [5, 50])
def test_notification_log_admin_query_budget(client, admin_user, staff_a, n, django_assert_max_num_queries):
    for i in range(n):
        notice(staff_a, i)
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
    assert client.get(reverse("admin:notifications_reminderrule_change", args=[ReminderRule.objects.first().pk])).status_code == 200


def test_celery_is_configured_for_reliable_delivery(settings):
    from campaign_portal.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    entry = settings.CELERY_BEAT_SCHEDULE["reminder-sweep"]
    assert entry["task"] == "notifications.tasks.sweep" and entry["schedule"] == 15 * 60
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_redis_visibility_timeout_outlasts_the_longest_task(monkeypatch):
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='campaign_portal.settings'; django.setup();"
        "from django.conf import settings as s; from campaign_portal.celery import app;"
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], app.conf.broker_transport_options['visibility_timeout'],"
        " app.conf.result_backend_transport_options.get('visibility_timeout'), app.conf.task_time_limit)"
    )
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "VAR_DIR": "/tmp/cp-vt"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    broker_vt, app_vt, result_vt, time_limit = out
    assert broker_vt == app_vt == result_vt
    assert int(broker_vt) > int(time_limit)
