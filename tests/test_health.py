"""/healthz tells a load balancer or docker-compose whether the portal can serve."""

import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def url():
    return reverse("healthz")


def test_the_health_endpoint_lives_at_healthz(url):
    assert url == "/healthz"


def test_healthz_answers_200_with_json_when_database_and_broker_answer(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # The test settings' cache is this process's own memory: "local".
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local", "broker": "ok"}


def test_the_default_test_broker_is_kombus_filesystem_transport():
    # So the 200 above did check a broker: the embedded one under var/broker/.
    assert settings.CELERY_BROKER_URL.startswith("filesystem://")
    assert "data_folder_in" in settings.CELERY_BROKER_TRANSPORT_OPTIONS


def test_healthz_is_never_cached(client, url):
    cache_control = client.get(url)["Cache-Control"]

    assert "no-cache" in cache_control and "no-store" in cache_control


def test_healthz_answers_503_when_the_database_does_not_answer(client, url):
    with mock.patch("campaign_portal.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get(url)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "OperationalError",
        "cache": "local",
        "broker": "ok",
    }


def test_healthz_answers_503_when_a_query_fails_on_an_open_connection(client, url):
    with mock.patch("campaign_portal.health.connection") as connection:
        cursor = connection.cursor.return_value.__enter__.return_value
        cursor.execute.side_effect = OperationalError("server closed the connection unexpectedly")
        response = client.get(url)

    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"


@override_settings(
    CELERY_BROKER_URL=UNREACHABLE_REDIS,
    CELERY_BROKER_TRANSPORT_OPTIONS={"visibility_timeout": 3600},
)
def test_healthz_answers_503_quickly_when_the_broker_is_unreachable(client, url):
    started = time.monotonic()
    response = client.get(url)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] not in ("ok", "")  # the exception's class name
    # A health probe that hangs is as bad as none: compose's timeout is 10 s.
    assert elapsed < 10


@override_settings(CELERY_BROKER_URL="")
def test_healthz_reports_a_missing_broker_as_not_configured(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response.json()["broker"] == "not configured"


def test_healthz_always_reports_status_database_cache_and_broker(client, url):
    with mock.patch("campaign_portal.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("down")
        failing = client.get(url).json()
    passing = client.get(url).json()

    assert set(failing) == set(passing) == {"status", "database", "cache", "broker"}


def test_healthz_needs_no_login(client, url):
    # The probe runs without a session; it must not be redirected to the login.
    response = client.get(url, follow=False)

    assert response.status_code == 200
