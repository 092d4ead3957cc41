"""A notice to a staff member is in their inbox, and goes by the channels they chose."""

import datetime as dt

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.notices import address_notice, notify_staff

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 31)


def _notify(user, target, step="export-ready"):
    return notify_staff(
        user,
        kind="export",
        step=step,
        target=target,
        deadline=DAY,
        subject="您的导出文件已生成",
        body="请从下面的链接下载。",
        link="/staff/oversight/exports/1/",
    )


def test_a_notice_by_e_mail_is_sent_once_the_transaction_commits(staff_a, office_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = _notify(staff_a, office_a)
        assert not mail.outbox  # nothing leaves before the commit
    assert len(callbacks) == 1
    notice.refresh_from_db()
    assert (notice.state, notice.send_email, notice.send_sms) == (Notification.State.SENT, True, False)
    assert [m.to for m in mail.outbox] == [[staff_a.email]] and mail.outbox[0].subject == "您的导出文件已生成"


def test_without_a_channel_the_notice_is_only_in_the_inbox(staff_a, office_a, django_capture_on_commit_callbacks):
    staff_a.notify_by_email = False
    staff_a.save(update_fields=["notify_by_email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = _notify(staff_a, office_a)
    assert not callbacks and not mail.outbox
    assert (notice.state, notice.recipient_id, notice.target_id) == (Notification.State.SENT, staff_a.pk, office_a.pk)
    assert notice.sent_at is not None


def test_an_sms_needs_a_mobile_number_on_file(staff_a, office_a):
    staff_a.notify_by_sms, staff_a.phone = True, "13800138000"
    assert _notify(staff_a, office_a).sms_to == "13800138000"
    staff_a.phone = "010-12345678"
    notice = _notify(staff_a, office_a, step="export-failed")
    assert not notice.send_sms and notice.sms_to == ""


def test_the_notice_is_written_in_the_user_s_language(staff_a, office_a):
    staff_a.preferred_language = "zh-hant"
    assert _notify(staff_a, office_a).language == "zh-hant"


def test_an_address_notice_goes_by_e_mail_only_once_per_target_step_and_address(office_a):
    def notice(email):
        return address_notice(
            email,
            kind="news",
            step="event-1",
            target=office_a,
            deadline=DAY,
            subject="您的投诉有新进展",
            body="请凭查询码查看。",
        )

    Notification.objects.bulk_create([notice("Citizen@Example.com")])
    Notification.objects.bulk_create([notice("citizen@example.com")], ignore_conflicts=True)
    row = Notification.objects.get()
    assert (row.email, row.recipient_id, row.send_email, row.send_sms) == ("Citizen@Example.com", None, True, False)
