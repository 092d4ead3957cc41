"""A newcomer's first minutes (issue 14, items 12 and 13): `make run` prints one line
per notice sent and the demo users last, when the server is ready; the logs are one
line per ordinary 403/404, in one time zone; DEBUG=1 shows the portal's own 404 page;
one Ctrl-C stops everything with exit status 0."""

import io
import logging
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from campaigns.demo import DEMO_USERS
from tests.test_settings_security import REPO_ROOT, production_env, run

pytestmark = pytest.mark.django_db


# --- One line per notice, the demo users last ------------------------------------


def test_send_reminders_prints_one_line_per_notice_and_no_mail(staff_a, task_a, phase):
    import datetime as dt

    from django.utils import timezone

    task_a.deadline = timezone.localdate() + dt.timedelta(days=3)
    task_a.save(update_fields=["deadline"])
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    lines = out.getvalue().splitlines()
    sent = [line for line in lines if line.startswith("sent to ")]
    assert len(sent) == len(mail.outbox) >= 1
    assert staff_a.username in sent[0] and "e-mail" in sent[0] and mail.outbox[0].subject in sent[0]
    assert not any("Content-Type" in line or "MIME" in line for line in lines)


def test_demo_users_are_listed_by_their_own_command_and_load_demo_can_leave_them_out():
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    for user in DEMO_USERS:
        assert re.search(rf"^\s+{user.username}\s+{re.escape(user.password)}\s", out.getvalue(), re.M)
    out = io.StringIO()
    call_command("load_demo", "--no-users", stdout=out)
    assert DEMO_USERS[0].password not in out.getvalue()


def test_with_debug_on_mail_goes_to_files_under_var_and_the_portal_shows_its_own_404(tmp_path):
    env = production_env(tmp_path, DEBUG="1", EMAIL_BACKEND="")
    del env["EMAIL_BACKEND"]
    shown = run(
        [
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH); "
            "print('kernel.middleware.PortalNotFoundMiddleware' in settings.MIDDLEWARE)",
        ],
        env,
    )
    backend, path = shown.stdout.splitlines()[-2].split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend", shown.stderr
    assert path == str(tmp_path / "var" / "mail")
    assert shown.stdout.splitlines()[-1] == "True"


# --- Quiet, consistent logs -------------------------------------------------------


@pytest.fixture
def console_log():
    """What the portal's console handler (settings.LOGGING) writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_an_ordinary_404_or_403_is_one_line_without_a_traceback(client, staff_a, task_b, console_log):
    client.force_login(staff_a)
    assert client.get(reverse("staff:task-detail", args=[task_b.pk])).status_code == 404
    assert client.get(reverse("oversight-staff:dashboard")).status_code == 403
    lines = console_log.getvalue().splitlines()
    assert [line.split(" django.request ")[1].split("] ", 1)[1] for line in lines if "django.request" in line] == [
        f"Not Found: {reverse('staff:task-detail', args=[task_b.pk])}",
        f"Forbidden (Permission denied): {reverse('oversight-staff:dashboard')}",
    ]
    assert "Traceback" not in console_log.getvalue()


def test_a_server_error_keeps_its_traceback(console_log):
    logging.getLogger("django.request").error(
        "Internal Server Error: /x/", exc_info=ValueError("boom"), extra={"status_code": 500}
    )
    assert "ValueError: boom" in console_log.getvalue()


def test_django_lines_are_written_once():
    """Django's own console handler printed every django.* line a second time."""
    assert [h.get_name() for h in logging.getLogger("django").handlers] == ["mail_admins"]
    assert logging.getLogger("django").propagate


def test_the_portal_404_replaces_djangos_debug_page(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "kernel.middleware.PortalNotFoundMiddleware"]
    with override_settings(DEBUG=True):
        response = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert b"Page not found" in response.content and b"DEBUG = True" not in response.content


# --- One Ctrl-C, a clean stop -----------------------------------------------------

FAKE_PROCFILE = """\
web: {python} {web}
worker: {python} {worker}
"""
# Stops on SIGINT as runserver does, quietly.
FAKE_WEB = """\
import sys, time
print("Quit the server with CONTROL-C.", flush=True)
try:
    time.sleep(60)
except KeyboardInterrupt:
    sys.exit(0)
"""
# Stops on SIGTERM as Celery's warm shutdown does, saying so; anything else kills it.
FAKE_WORKER = """\
import signal, sys, time
signal.signal(signal.SIGTERM, lambda *a: (print("warm shutdown", flush=True), sys.exit(0)))
print("worker ready", flush=True)
time.sleep(60)
"""


def test_one_ctrl_c_stops_every_process_cleanly_with_the_demo_users_when_the_server_is_ready(tmp_path):
    worker, web = tmp_path / "worker.py", tmp_path / "web.py"
    worker.write_text(FAKE_WORKER)
    web.write_text(FAKE_WEB)
    procfile = tmp_path / "Procfile"
    procfile.write_text(FAKE_PROCFILE.format(python=sys.executable, worker=worker, web=web))
    env = production_env(tmp_path, DEBUG="1", PROCFILE=str(procfile), TIME_ZONE="Asia/Shanghai", TZ="UTC")
    process = subprocess.Popen(
        [sys.executable, "scripts/run_dev.py"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        if DEMO_USERS[-1].password in line:
            break
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)  # the terminal's Ctrl-C
    rest, _ = process.communicate(timeout=30)
    out = "".join(seen) + rest
    assert process.returncode == 0, out
    ready = out.index("Quit the server with")
    assert out.index(DEMO_USERS[0].password) > ready
    assert "warm shutdown" in out and out.rstrip().endswith("stopped")
    assert "ERROR" not in out and "Traceback" not in out
    # Every prefix is the portal's time (Asia/Shanghai, UTC+8), not the machine's (UTC).
    shanghai = time.strftime("%H", time.gmtime(time.time() + 8 * 3600))
    prefixed = [line for line in out.splitlines() if re.match(r"^\d\d:\d\d:\d\d ", line)]
    assert prefixed and all(line[:2] in (shanghai, f"{(int(shanghai) - 1) % 24:02d}") for line in prefixed)


def test_procfile_dev_names_the_web_server_and_the_worker():
    from scripts.run_dev import procfile

    os.environ.setdefault("PORT", "8000")
    names = dict(procfile(REPO_ROOT / "Procfile.dev"))
    assert "runserver 127.0.0.1:" in names["web"] and "celery" in names["worker"]
    assert textwrap.dedent(names["worker"]).startswith("celery")
