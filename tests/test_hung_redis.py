"""A Redis that accepts connections and never answers (hung, or a half-open
connection through a firewall), as the cache and as the broker, must not hang a
request: the cache gives up after its socket timeouts and serves from the
process's memory (kernel/cache.py), queueing a task gives up after
CELERY_BROKER_TIMEOUT, twice at most (settings: the broker's transport options
and CELERY_TASK_PUBLISH_RETRY_POLICY), and the step is saved (kernel/dispatch.py).
Without the timeouts kombu waits on the broker forever.

The portal runs as in production (gunicorn, the production settings module, one
PostgreSQL); the hung Redis is a socket server of the test's own."""

import re
import socket
import threading
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from campaigns.tests.factories import PASSWORD
from complaints.models import Complaint, ProblemType
from complaints.tests.factories import submit
from tests.services import require_postgresql

from . import live

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
#: Seconds the broker may take to answer, in this test (production: 2).
BROKER_TIMEOUT = 1
#: Every request answers within this, however long a hung Redis would hold it.
BOUND = 10


@pytest.fixture
def hung_redis():
    """A port that accepts every connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", held
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def portal(tmp_path, hung_redis, phase, office_a):
    require_postgresql()
    url, held = hung_redis
    env = live.production_env(
        tmp_path,
        DATABASE_URL=database_url(),
        CACHE_URL=url,
        CELERY_BROKER_URL=url,
        CELERY_BROKER_TIMEOUT=str(BROKER_TIMEOUT),
        STATIC_ROOT=str(tmp_path / "static"),
        PYTHONUNBUFFERED="1",
    )
    del env["ALLOW_LOCAL_CACHE"]  # a Redis cache, as production insists
    live.manage(env, "collectstatic", "--no-input", "-v", "0")
    port = live.free_port()
    log = tmp_path / "gunicorn.log"
    server = live.start_gunicorn(env, port, log)
    try:
        yield {"port": port, "held": held, "log": log}
    finally:
        live.stop(server)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_citizen_files_a_complaint_with_the_cache_and_broker_hung(portal, phase):
    citizen = live.Browser("127.0.0.2", portal["port"], headers={"Accept-Language": "en"})
    (status, _, _), seconds = timed(lambda: citizen.get("/complaints/new/"))
    assert status == 200 and seconds < BOUND, seconds
    form = {
        "office": "",
        "problem_type": ProblemType.objects.get(code="attitude").pk,
        "description": "窗口工作人员态度恶劣，多次推诿不予办理。",
        "is_anonymous": "real",
        "name": "张三",
        "phone": "13800138000",
        "email": "citizen@example.com",
        "website": "",
    }
    (status, headers, body), seconds = timed(lambda: citizen.post_form("/complaints/new/", form))
    assert status == 302 and seconds < BOUND, (status, seconds, body[:500])
    (status, _, receipt), seconds = timed(lambda: citizen.get(headers["location"]))
    complaint = Complaint.objects.get()
    assert status == 200 and seconds < BOUND
    assert complaint.tracking_number in receipt
    assert portal["held"], "the portal never tried the hung Redis"

    (status, _, body), seconds = timed(lambda: citizen.get("/healthz"))
    assert status == 503 and seconds < BOUND, (status, seconds, body)
    assert '"cache": "ok"' not in body and '"broker": "ok"' not in body and '"database": "ok"' in body


def test_a_staff_step_is_saved_and_the_user_told_with_the_cache_and_broker_hung(portal, office_a, centre_staff):
    complaint, _code = submit(office=office_a)
    hasher = PBKDF2PasswordHasher()  # the tests hash with MD5, which production does not accept
    centre_staff.password = hasher.encode(PASSWORD, hasher.salt())
    centre_staff.save(update_fields=["password"])

    staff = live.Browser("127.0.0.3", portal["port"], headers={"Accept-Language": "en"})
    login = {"username": centre_staff.username, "password": PASSWORD}
    (status, _, _), seconds = timed(lambda: staff.post_form("/accounts/login/", login))
    assert status == 302 and seconds < BOUND, seconds

    status, _, page = staff.get(reverse("complaints-staff:detail", args=[complaint.pk]))
    assert status == 200
    token = live.TOKEN.search(page).group(1)
    accept = reverse("complaints-staff:accept", args=[complaint.pk])
    (status, headers, body), seconds = timed(
        lambda: staff.request("POST", accept, {"note": "", "csrfmiddlewaretoken": token})
    )
    assert status == 302 and seconds < BOUND, (status, seconds, body[:500])
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.ACCEPTED
    status, _, page = staff.get(headers["location"])
    assert status == 200 and "could not be sent right now" in re.sub(r"\s+", " ", page)
    assert "could not queue complaints.tasks" in portal["log"].read_text(errors="replace")
