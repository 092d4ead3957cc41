"""The broker away (Redis down, a wrong CELERY_BROKER_URL): a step is saved, the
user is told its notices will follow, and the sweeps send them later. Every task
is queued through kernel.dispatch.after_commit; the broker here is a port where
nothing listens, so queueing really fails (no mock of Celery)."""

import datetime as dt
import time

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.handovers import make_good_hand_overs
from campaigns.models import Task
from campaigns.tests.factories import TaskFactory
from complaints.models import Complaint
from complaints.services.sweep import complaints_sweep
from complaints.tests.factories import submit
from kernel import dispatch
from notifications.models import Notification
from notifications.services import run_sweep
from oversight.models import ExportJob
from oversight.services.exports import export_requeue_waiting
from tests.brokers import closed_port, queued_to, run_eagerly

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down():
    with queued_to(f"redis://127.0.0.1:{closed_port()}/0"):
        yield


@pytest.fixture
def broker_back():
    """Give the broker back in the middle of a test (the tasks run eagerly again)."""
    return run_eagerly


def test_queueing_with_the_broker_away_is_logged_and_answers_false(broker_down, caplog):
    from campaigns.tasks import ping

    assert dispatch.queue(ping) is False
    assert "could not queue campaigns.tasks.ping" in caplog.text


def test_a_staff_step_is_saved_and_the_user_told_and_the_sweep_sends_the_notice(
    client, broker_down, broker_back, centre_staff, office_a, settings
):
    settings.LANGUAGE_CODE = "en"
    complaint, _code = submit(office=office_a)
    mail.outbox.clear()  # the acknowledgement of the complaint
    client.force_login(centre_staff)
    started = time.monotonic()
    response = client.post(reverse("complaints-staff:accept", args=[complaint.pk]), {"note": ""})
    assert time.monotonic() - started < 10
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.ACCEPTED
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("could not be sent right now" in m for m in told), told
    told_citizen = Notification.objects.filter(email="citizen@example.com", kind="complaint_event")
    assert not told_citizen.exists()
    assert mail.outbox == []

    broker_back()
    report = complaints_sweep()
    assert report["notices"] >= 1
    notice = told_citizen.get()
    assert "Accepted" in notice.subject
    assert notice.state == Notification.State.SENT
    assert sorted(m.to[0] for m in mail.outbox) == ["centre@example.gov.cn", "citizen@example.com"]
    # The acknowledgement, whose task was lost with the broker too, goes with the reminder sweep.
    run_sweep(inline=True)
    assert any("was received" in m.subject for m in mail.outbox if m.to == ["citizen@example.com"])


def test_a_hand_over_lost_with_the_broker_is_told_by_the_hand_over_sweep(
    client, broker_down, broker_back, coordinator, staff_a, phase, office_a, settings
):
    settings.LANGUAGE_CODE = "en"  # the message is read in English below
    task = TaskFactory(phase=phase, lead=office_a)
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, progress=100, completed_at=timezone.now())
    client.force_login(coordinator)
    response = client.post(reverse("staff:task-reopen", args=[task.pk]), {"reason": "会议纪要未上传。"})
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS
    assert any("could not be sent right now" in str(m) for m in get_messages(response.wsgi_request))
    assert not Notification.objects.filter(kind="task", recipient=staff_a).exists()

    broker_back()
    assert make_good_hand_overs() == 1
    assert Notification.objects.filter(kind="task", recipient=staff_a).count() == 1
    assert make_good_hand_overs() == 0  # told once, however often the sweep runs


def test_a_citizen_files_a_complaint_with_the_broker_away_and_sees_the_receipt(client, broker_down, phase):
    from complaints.models import ProblemType

    form = {
        "office": "",
        "problem_type": ProblemType.objects.filter(is_active=True).first().pk,
        "description": "窗口工作人员态度恶劣，多次推诿不予办理。",
        "is_anonymous": "anonymous",
        "email": "",
        "website": "",
    }
    response = client.post(reverse("complaints:new"), form)
    assert response.status_code == 302 and Complaint.objects.count() == 1
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and receipt.context["access_code"]


def test_an_export_lost_with_the_broker_is_run_by_the_export_sweep(
    client, broker_down, broker_back, coordinator, phase, office_a, settings
):
    settings.OVERSIGHT_EXPORT_ASYNC_ROWS = 2
    for _ in range(3):
        TaskFactory(phase=phase, lead=office_a)
    client.force_login(coordinator)
    response = client.get(reverse("oversight-staff:ledger-export", args=["tasks"]))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.PENDING

    broker_back()
    assert export_requeue_waiting() == 0  # not yet: its task may still be on its way
    assert export_requeue_waiting(now=timezone.now() + dt.timedelta(minutes=6)) == 1
    assert ExportJob.objects.get().state == ExportJob.State.DONE


def test_every_task_is_queued_through_the_one_helper():
    """A bare ``task.delay(...)`` in on_commit raises when the broker is away, after
    the step committed: the user got a 500 for a saved step. Only kernel/dispatch.py
    talks to the broker."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "tests", "var", "node_modules"} or "tests" in relative.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if (".delay(" in text or "apply_async(" in text) and relative != Path("kernel/dispatch.py"):
            offenders.append(str(relative))
    assert offenders == []
