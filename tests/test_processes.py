"""Several processes, one PostgreSQL and one Redis, as docker-compose runs them
with web scaled: two gunicorn servers and two Celery workers with the
production settings. What one web process counts or caches, the other sees
(the per-address limits and the public page cache in Redis, sessions in the
database), and a reminder swept by both workers at once goes out once."""

import datetime as dt
import re
import time

import pytest
import redis
from celery import Celery
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from campaigns.tests.factories import PASSWORD, TaskFactory, today
from notifications.models import Notification
from tests.services import require_postgresql, require_redis

from . import live

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WRONG_CODE = {"tracking_number": "TS-2026-999999", "access_code": "WRONGCODE1"}


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def portal(tmp_path, phase, office_a, staff_a):
    require_postgresql()
    url = require_redis()
    redis.Redis.from_url(url).flushdb()
    env = live.production_env(
        tmp_path,
        DATABASE_URL=database_url(),
        CACHE_URL=url,
        CELERY_BROKER_URL=url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        STATIC_ROOT=str(tmp_path / "static"),
        PYTHONUNBUFFERED="1",
    )
    del env["ALLOW_LOCAL_CACHE"]  # the shared cache production insists on
    live.manage(env, "collectstatic", "--no-input", "-v", "0")
    processes = []
    try:
        ports = []
        for n in (1, 2):
            ports.append(live.free_port())
            processes.append(live.start_gunicorn(env, ports[-1], tmp_path / f"web{n}.log"))
        for n in (1, 2):
            log = tmp_path / f"worker{n}.log"
            worker = live.start(
                ["celery", "--app", "campaign_portal", "worker", "--concurrency", "1", "--hostname", f"w{n}@%h"]
                + ["--without-gossip", "--without-mingle", "--loglevel", "INFO"],
                env,
                log,
            )
            processes.append(worker)
            live.wait_until(lambda log=log: "ready." in log.read_text(errors="replace"), 60, worker, log)
        yield {"ports": ports, "broker": url, "mail": tmp_path / "mail", "tmp": tmp_path}
    finally:
        for process in processes:
            live.stop(process)


def test_limits_sessions_and_the_page_cache_are_shared_by_two_web_processes(portal, staff_a):
    web1, web2 = portal["ports"]
    # The tests hash with MD5, which production does not accept.
    hasher = PBKDF2PasswordHasher()
    staff_a.password = hasher.encode(PASSWORD, hasher.salt())
    staff_a.save(update_fields=["password"])

    # The tracking limit (10 wrong look-ups per address) counts across both servers.
    statuses = []
    for n in range(11):
        browser = live.Browser("127.0.0.2", web1 if n % 2 else web2)
        statuses.append(browser.post_form("/complaints/track/", WRONG_CODE)[0])
    assert statuses == [400] * 10 + [429]

    # Logged in on one server, still logged in on the other.
    staff = live.Browser("127.0.0.3", web1)
    status, headers, _ = staff.post_form("/accounts/login/", {"username": "staff_a", "password": PASSWORD})
    assert status == 302 and headers["location"] == "/staff/"
    staff.port = web2
    assert staff.get("/staff/")[0] == 200

    # A public page rendered by one server is served from the cache by the other.
    first = live.Browser("127.0.0.4", web1).get("/complaints/")
    second = live.Browser("127.0.0.5", web2).get("/complaints/")
    assert first[0] == second[0] == 200
    assert "x-public-page-cache" not in first[1]
    assert second[1]["x-public-page-cache"] == "hit"


def test_a_reminder_swept_by_two_workers_at_once_goes_out_once(portal, phase, office_a, staff_a):
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=1), title="两个进程的提醒")
    # Not the current app: the portal's shared tasks would follow it to this broker in later tests.
    with Celery(broker=portal["broker"], set_as_current=False) as client:
        for _ in range(4):  # beat twice over, a redelivery: both workers take some
            client.send_task("notifications.tasks.sweep")

    def sweeps_done():
        logs = [(portal["tmp"] / f"worker{n}.log").read_text(errors="replace") for n in (1, 2)]
        return sum(len(re.findall(r"notifications\.tasks\.sweep\[[^]]+\] succeeded", log)) for log in logs)

    def delivering():
        waiting = (Notification.State.PENDING, Notification.State.SENDING)
        return (
            not Notification.objects.filter(recipient=staff_a).exists()
            or Notification.objects.filter(recipient=staff_a, state__in=waiting).exists()
        )

    # Each of the four sweeps has finished, on one worker or the other, and what they
    # queued has been delivered (a task of its own, after the sweep's), before we count.
    deadline = time.monotonic() + 90
    while sweeps_done() < 4 or delivering():
        assert time.monotonic() < deadline, f"{sweeps_done()} of the 4 sweeps finished, delivering: {delivering()}"
        time.sleep(0.2)

    assert Notification.objects.filter(recipient=staff_a, state=Notification.State.SENT).count() == 1
    assert Notification.objects.filter(recipient=staff_a).count() == 1
    mail = "".join(f.read_text(errors="replace") for f in portal["mail"].glob("*.log"))
    assert mail.count("Subject:") == 1, "the reminder went out more than once"
