"""Redis away: citizens still file and follow complaints and staff still log in
(kernel/cache.py); /healthz says the cache is down. The cache points at a port
where nothing listens, or at a redis-server of the test's own that it kills;
the shared Redis is never touched."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from campaigns.tests.factories import PASSWORD
from complaints.models import Complaint, ProblemType
from kernel.cache import FallbackRedisCache, production_cache

pytestmark = pytest.mark.django_db
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def complaint_form(n=0):
    return {
        "office": "",
        "problem_type": ProblemType.objects.filter(is_active=True).first().pk,
        "description": f"窗口工作人员态度恶劣，多次推诿不予办理（{n}）。",
        "is_anonymous": "anonymous",
        "email": "",
        "website": "",
    }


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_production_reads_a_redis_cache_url_as_the_falling_back_cache():
    assert production_cache("redis://redis:6379/1") == {
        "BACKEND": "kernel.cache.FallbackRedisCache",
        "LOCATION": "redis://redis:6379/1",
    }
    assert production_cache("locmemcache://")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@override_settings(CACHES={"default": production_cache(NOWHERE)}, PUBLIC_PAGE_CACHE_SECONDS=60, FIGURES_MAX_AGE=300)
def test_with_the_cache_away_the_public_pages_the_complaint_form_tracking_and_login_work(client, staff_a, phase):
    for url in ("home", "complaints:index", "complaints:new", "complaints:track", "complaints:stats", "login"):
        response, seconds = timed(lambda url=url: client.get(reverse(url)))
        assert response.status_code == 200, url
        assert seconds < 3, url

    filed, _ = timed(lambda: client.post(reverse("complaints:new"), complaint_form()))
    assert filed.status_code == 302 and Complaint.objects.count() == 1
    receipt = client.get(filed["Location"])
    number, code = receipt.context["receipt"]["tracking_number"], receipt.context["access_code"]

    found = client.post(reverse("complaints:track"), {"tracking_number": number, "access_code": code})
    assert found.status_code == 302
    assert client.get(found["Location"]).status_code == 200

    logged_in = client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})
    assert logged_in.status_code == 302 and client.get(reverse("staff:workspace")).status_code == 200

    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["cache"] == "ConnectionError" and health.json()["database"] == "ok"


@override_settings(CACHES={"default": production_cache(NOWHERE)})
def test_with_the_cache_away_the_per_address_limits_still_hold_in_each_process(client):
    wrong = {"tracking_number": "TS-2026-999999", "access_code": "WRONGCODE1"}
    statuses = [client.post(reverse("complaints:track"), wrong).status_code for _ in range(11)]

    assert statuses == [400] * 10 + [429]
    assert client.post(reverse("complaints:track"), wrong, REMOTE_ADDR="198.51.100.8").status_code == 400


# --- A Redis of the test's own, stopped and started -------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(port: int, tmp_path) -> subprocess.Popen:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.05)


def test_the_portal_rides_out_a_redis_that_stops_and_comes_back(client, tmp_path, monkeypatch, phase):
    monkeypatch.setattr(FallbackRedisCache, "retry_seconds", 0.5)
    port = free_port()
    redis = start_redis(port, tmp_path)
    try:
        with override_settings(CACHES={"default": production_cache(f"redis://127.0.0.1:{port}/0")}):
            assert client.get(reverse("healthz")).json()["cache"] == "ok"
            assert client.get(reverse("complaints:new")).status_code == 200

            redis.kill()
            redis.wait(timeout=10)
            for url in ("home", "complaints:new", "complaints:track"):
                assert client.get(reverse(url)).status_code == 200, url
            assert client.post(reverse("complaints:new"), complaint_form(1)).status_code == 302
            assert client.get(reverse("healthz")).status_code == 503

            redis = start_redis(port, tmp_path)
            # The cache tries Redis again once retry_seconds have passed since it went away.
            deadline = time.monotonic() + 10
            while client.get(reverse("healthz")).status_code != 200:
                assert time.monotonic() < deadline, "the cache did not go back to Redis"
                time.sleep(0.05)
            assert client.get(reverse("healthz")).json() == {
                "status": "ok",
                "database": "ok",
                "cache": "ok",
                "broker": "ok",
            }
            assert client.post(reverse("complaints:new"), complaint_form(2)).status_code == 302
            # Back on Redis: what is written now is in Redis itself.
            cache.set("outage-probe", "back", 30)
            backend = caches["default"]
            assert backend._cache.get(backend.make_and_validate_key("outage-probe"), None) == "back"
    finally:
        redis.kill()
        redis.wait(timeout=10)
