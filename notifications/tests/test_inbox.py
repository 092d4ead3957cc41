import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Office
from notifications.models import Notification, ReminderRule

pytestmark = pytest.mark.django_db


def notice(user, n=0, **kwargs):
    """A notice as they were written before they kept their words (``texts``)."""
    return Notification.objects.create(
        **{
            "kind": "task",
            "step": f"before-{n}",
            "target_type": ContentType.objects.get_for_model(Office),
            "target_id": 1,
            "deadline": dt.date(2026, 12, 1),
            "recipient": user,
            "recipient_key": f"u{user.pk}",
            "subject": f"Reminder {n}",
            "body": "Body",
            "link": "/staff/",
            "state": "sent",
            **kwargs,
        }
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


def test_mark_all_read_marks_only_mine_and_the_badge_goes(client, staff_a, staff_b):
    for i in range(3):
        notice(staff_a, i)
    theirs = notice(staff_b, 9)
    client.force_login(staff_a)
    assert 'data-testid="inbox-unread">3' in client.get(reverse("notifications:inbox")).content.decode()
    response = client.post(reverse("notifications:mark-all-read"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:inbox")
    assert not staff_a.notifications.filter(read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "inbox-unread" not in html and "已将 3 条通知标为已读。" in html
    assert 'data-testid="mark-all-read"' not in html  # nothing left to mark


def test_marking_needs_a_post_with_the_csrf_token(staff_a):
    from django.test import Client

    item = notice(staff_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405
    assert client.post(reverse("notifications:mark-all-read")).status_code == 403
    assert client.post(reverse("notifications:mark-read", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert item.read_at is None


def test_the_unread_filter_shows_only_unread_ones(client, staff_a):
    notice(staff_a, 1)
    notice(staff_a, 2, read_at=timezone.now())
    client.force_login(staff_a)
    html = client.get(reverse("notifications:inbox"), {"show": "unread"}).content.decode()
    assert "Reminder 1" in html and "Reminder 2" not in html


# --- Each notice in the reader's language of the moment -------------------------------
def written_for(user, **kwargs):
    """A reminder written as the sweep writes it, in ``user``'s language."""
    from notifications.notices import staff_notice
    from notifications.services.reminders import reminder_texts
    from notifications.steps import Step
    from notifications.texts import Text

    title = Text("Task %(code)s “%(title)s”", {"code": "2.3", "title": "召开动员大会"})
    subject, summary = reminder_texts(title, dt.date(2026, 12, 1), Step("before-3"))
    row = staff_notice(
        user,
        kind="task",
        step="before-3",
        target=user,
        deadline=dt.date(2026, 12, 1),
        subject=subject,
        summary=summary,
        body="亲爱的 王明，\n\n……",
        link="/staff/tasks/1/",
        **kwargs,
    )
    row.save()
    return row


@pytest.mark.parametrize(
    "language, subject, summary",
    [
        ("zh-hans", "3 天后到期：工作任务 2.3“召开动员大会”", "工作任务 2.3“召开动员大会”将于 2026年12月1日 到期。"),
        ("zh-hant", "3 天後到期：工作任務 2.3“召开动员大会”", "工作任務 2.3“召开动员大会”將於 2026年12月1日 到期。"),
        ("en", "Due in 3 days: Task 2.3 “召开动员大会”", "Task 2.3 “召开动员大会” is due on Dec. 1, 2026."),
    ],
)
def test_a_notice_reads_in_the_language_the_reader_uses_now(client, staff_a, language, subject, summary, settings):
    staff_a.preferred_language = "zh-hans"
    staff_a.save(update_fields=["preferred_language"])
    row = written_for(staff_a)
    assert row.subject == "3 天后到期：工作任务 2.3“召开动员大会”"  # the e-mail, in the user's own language
    client.force_login(staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # switched with the language selector
    html = client.get(reverse("notifications:inbox")).content.decode()
    shown = re.search(r'data-testid="notice-subject">(?:<span class="badge[^>]*>[^<]*</span>)?([^<]*)</button>', html)
    assert shown.group(1) == subject
    assert re.search(r'data-testid="notice-summary">([^<]*)</p>', html).group(1) == summary
    assert "亲爱的" not in html  # never the mail's greeting, link or footer


def test_a_notice_written_before_notices_kept_their_words_shows_its_subject_and_first_line(client, staff_a):
    notice(staff_a, 1, body="Dear staff_a,\n\nTask 1.2 is due on 5 December.\n\nOpen it in the portal: http://x/staff/")
    client.force_login(staff_a)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Reminder 1" in html and "Task 1.2 is due on 5 December." in html
    assert "Dear staff_a" not in html and "http://x/staff/" not in html


@pytest.mark.parametrize("n", [5, 50])
def test_inbox_query_budget(client, staff_a, n, django_assert_num_queries):
    for i in range(n):
        notice(staff_a, i)
    client.force_login(staff_a)
    # 8 queries: session, user, inbox badge, count of notification, current campaign, user permissions, group
    # permissions, notification
    with django_assert_num_queries(8):
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
def test_notification_log_admin_query_budget(client, admin_user, staff_a, n, django_assert_num_queries):
    for i in range(n):
        notice(staff_a, i)
    client.force_login(admin_user)
    # 9 queries: session, user, count of notification, count of notification, notification (+user), current campaign,
    # date hierarchy: first and last notification, date hierarchy: the dates, filter choices (kind)
    with django_assert_num_queries(9):
        assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
    assert (
        client.get(
            reverse("admin:notifications_reminderrule_change", args=[ReminderRule.objects.first().pk])
        ).status_code
        == 200
    )


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
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'],"
        " app.conf.broker_transport_options['visibility_timeout'],"
        " app.conf.result_backend_transport_options.get('visibility_timeout'), app.conf.task_time_limit)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "VAR_DIR": "/tmp/cp-vt",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    broker_vt, app_vt, result_vt, time_limit = out
    assert broker_vt == app_vt == result_vt
    assert int(broker_vt) > int(time_limit)
