"""End to end: a real Celery worker with beat, on the real Redis and the test
PostgreSQL database, runs the reminder sweep on its schedule and the reminder
arrives by e-mail (the file backend, read here), exactly once."""

import datetime as dt
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from campaigns.tests.factories import TaskFactory, today
from notifications.models import Notification
from tests.services import require_postgresql, require_redis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
WAIT_SECONDS = 120


def _sweeps_run(log_path) -> int:
    """How many reminder sweeps the worker has finished, by its log."""
    text = log_path.read_text(errors="replace")
    return len(re.findall(r"Task notifications\.tasks\.sweep\[[^]]+\] succeeded", text))


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_worker_with_beat_sends_the_reminder_once(tmp_path, phase, office_a, staff_a):
    require_postgresql()
    url = require_redis()
    redis.Redis.from_url(url).flushdb()
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=1), title="端到端提醒测试")
    mail_dir = tmp_path / "mail"
    env = {key: value for key, value in os.environ.items() if key in ("HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(
        {
            "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
            "DEBUG": "1",
            "SECRET_KEY": "beat-test-" + uuid.uuid4().hex * 2,
            "DATABASE_URL": _database_url(),
            "VAR_DIR": str(tmp_path / "var"),
            "CELERY_BROKER_URL": url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "REMINDER_SWEEP_SECONDS": "3",
            "PYTHONUNBUFFERED": "1",
        }
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "campaign_portal",
                "worker",
                "--beat",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--schedule",
                str(tmp_path / "beat-schedule"),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            files = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
            text = "".join(f.read_text(errors="replace") for f in files)
            if "端到端提醒测试" in text or "=?utf-8?" in text:
                break
            if worker.poll() is not None:
                pytest.fail(f"the worker exited ({worker.returncode}):\n{log_path.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no reminder e-mail within {WAIT_SECONDS} s:\n{log_path.read_text(errors='replace')[-4000:]}"
                )
            time.sleep(1)
        # Beat sends the sweep every 3 s: wait until the worker has run it twice more
        # after the mail went out, each a chance to send the reminder again.
        runs = _sweeps_run(log_path)
        deadline = time.monotonic() + WAIT_SECONDS
        while _sweeps_run(log_path) < runs + 2:
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"beat ran no further sweep:\n{log_path.read_text(errors='replace')[-4000:]}")
            time.sleep(0.2)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
    notices = Notification.objects.filter(recipient=staff_a)
    assert notices.count() == 1
    assert notices.get().state == Notification.State.SENT
    messages = sum(f.read_text(errors="replace").count("Subject:") for f in mail_dir.glob("*.log"))
    assert messages == 1, "the reminder went out more than once"
    assert "notifications.tasks.sweep" in log_path.read_text(errors="replace")
