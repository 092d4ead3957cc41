"""The sweep: each reminder exactly once, never lost, to the right people."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from campaigns.roles import Role
from campaigns.tests.factories import TaskFactory, UserFactory, today
from notifications import services
from notifications.models import Notification
from tests.services import at_once, require_postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_in_three_days(phase, office_a):
    return TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=3), title="召开座谈会")


def sweep(**kwargs):
    return services.run_sweep(inline=True, **kwargs)


def test_a_reminder_goes_to_the_responsible_staff(staff_a, staff_b, due_in_three_days):
    report = sweep()
    assert report["created"] == {("task", "before-3"): 1}
    notice = Notification.objects.get()
    assert (notice.recipient, notice.step, notice.state) == (staff_a, "before-3", "sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff_a.email]
    assert "召开座谈会" in mail.outbox[0].subject
    html = mail.outbox[0].alternatives[0][0]
    assert "召开座谈会" in html


def test_the_sweep_run_twice_sends_each_reminder_once(staff_a, due_in_three_days):
    sweep()
    sweep()
    call_command("send_reminders", stdout=io.StringIO())
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_send_each_reminder_once(staff_a, due_in_three_days):
    require_postgresql()
    _results, errors = at_once(sweep)
    assert not errors
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_recipients_are_resolved_when_the_step_comes_due(office_a, staff_a, due_in_three_days):
    sweep()
    newcomer = UserFactory(office=office_a, role=Role.OFFICE_STAFF)
    staff_a.office = None
    staff_a.save()
    due_in_three_days.deadline = today() + dt.timedelta(days=1)
    due_in_three_days.save()
    sweep()
    assert set(Notification.objects.filter(step="before-1").values_list("recipient", flat=True)) == {newcomer.pk}


def test_a_moved_deadline_gets_the_new_steps_and_none_is_repeated(staff_a, due_in_three_days):
    sweep()
    due_in_three_days.deadline = today() + dt.timedelta(days=8)
    due_in_three_days.save()
    sweep()  # 8 days away: nothing due yet for the new date
    assert Notification.objects.count() == 1
    later = today() + dt.timedelta(days=5)  # three days before the new deadline
    sweep(today=later)
    steps = list(Notification.objects.order_by("pk").values_list("deadline", "step"))
    assert steps == [(today() + dt.timedelta(days=3), "before-3"), (today() + dt.timedelta(days=8), "before-3")]
    sweep(today=later)
    assert Notification.objects.count() == 2


def test_overdue_escalates_to_the_office_head_then_the_campaign_office(phase, office_a, staff_a, coordinator):
    head = UserFactory(office=office_a, role=Role.OFFICE_HEAD)
    task = TaskFactory(phase=phase, lead=office_a, deadline=today() - dt.timedelta(days=1))
    sweep()
    assert set(Notification.objects.filter(step="overdue-1").values_list("recipient", flat=True)) == {
        staff_a.pk,
        head.pk,
    }
    sweep(today=task.deadline + dt.timedelta(days=3))
    assert set(Notification.objects.filter(step="overdue-3").values_list("recipient", flat=True)) == {
        staff_a.pk,
        head.pk,
        coordinator.pk,
    }


def test_a_co_office_that_submitted_is_not_reminded(phase, office_a, office_b, staff_a, staff_b):
    task = TaskFactory(phase=phase, lead=office_a, co_offices=[office_b], deadline=today() + dt.timedelta(days=1))
    task.assignments.filter(office=office_b).update(submitted_at=timezone.now())
    sweep()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [staff_a.pk]


def test_smtp_down_marks_nothing_sent_and_the_next_sweep_sends_it_once(staff_a, office_a, phase):
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=3))
    other = UserFactory(office=office_a, role=Role.OFFICE_STAFF)
    real_send = mail.EmailMultiAlternatives.send
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("SMTP is down")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMultiAlternatives, "send", flaky):
        sweep()
        assert len(mail.outbox) == 1  # the other one in the batch still went out
        failed = Notification.objects.get(state="failed")
        assert failed.email_sent_at is None and failed.sent_at is None and "SMTP" in failed.last_error
        sweep()  # the retry waits for its backoff
        assert len(mail.outbox) == 1
        Notification.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now())
        sweep()
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {staff_a.email, other.email}
    assert Notification.objects.filter(state="sent").count() == 2


def test_a_dropped_broker_message_is_sent_by_the_next_sweep(
    staff_a, due_in_three_days, django_capture_on_commit_callbacks
):
    with mock.patch("notifications.tasks.deliver_notification.apply_async") as lost:
        with django_capture_on_commit_callbacks(execute=True):
            services.run_sweep()
        assert lost.called
    assert len(mail.outbox) == 0 and Notification.objects.get().state == "pending"
    sweep()
    assert len(mail.outbox) == 1


def test_a_claim_whose_sender_died_is_retried_after_the_timeout(staff_a, due_in_three_days):
    with mock.patch("notifications.tasks.deliver_notification.apply_async"):
        services.run_sweep()
    notice = Notification.objects.get()
    assert services.claim(notice.pk)  # a sender takes it ... and dies
    sweep()
    assert len(mail.outbox) == 0
    Notification.objects.filter(pk=notice.pk).update(
        claimed_at=timezone.now() - services.CLAIM_TIMEOUT - dt.timedelta(seconds=1)
    )
    sweep()
    assert len(mail.outbox) == 1


def test_a_recipient_without_email_gets_the_inbox_only(office_a, phase, caplog):
    user = UserFactory(office=office_a, role=Role.OFFICE_STAFF, email="")
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=1))
    with caplog.at_level("INFO", logger="notifications.services"):
        sweep()
    notice = Notification.objects.get(recipient=user)
    assert notice.state == "sent" and not notice.send_email and len(mail.outbox) == 0
    assert "inbox only" in caplog.text


def test_sms_goes_through_the_configured_backend(office_a, phase, tmp_path):
    user = UserFactory(
        office=office_a, role=Role.OFFICE_STAFF, phone="13800138000", notify_by_sms=True, notify_by_email=False
    )
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=1), title="报送材料")
    outbox = tmp_path / "sms.log"
    with override_settings(SMS_BACKEND="notifications.sms.FileBackend", SMS_FILE_PATH=outbox):
        sweep()
    assert "13800138000" in outbox.read_text() and "报送材料" in outbox.read_text()
    assert Notification.objects.get(recipient=user).sms_sent_at is not None


def test_reminders_are_written_in_the_recipients_language(office_a, phase):
    UserFactory(office=office_a, role=Role.OFFICE_STAFF, preferred_language="en")
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=1), title="Hold the meeting")
    sweep()
    assert mail.outbox[0].subject.startswith("Due in 1 day")


def test_send_reminders_prints_counts_per_kind_and_step(staff_a, due_in_three_days, capsys):
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "task" in out and "before-3" in out and "sent now: 1" in out
