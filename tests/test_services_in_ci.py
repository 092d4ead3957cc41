"""In CI the suite must run against the real services, not the embedded defaults."""

import os

import pytest
import redis

from tests.services import require_postgresql, require_redis

pytestmark = pytest.mark.services

IN_CI = bool(os.environ.get("CAMPAIGN_PORTAL_REQUIRE_SERVICES"))


@pytest.mark.django_db
def test_the_test_database_is_postgresql_when_services_are_required():
    if not IN_CI:
        pytest.skip("only checked with CAMPAIGN_PORTAL_REQUIRE_SERVICES set (as .ci/run does)")
    from django.db import connection

    assert connection.vendor == "postgresql", (
        f"CI must test against PostgreSQL, but DATABASE_URL gave {connection.vendor}"
    )
    assert require_postgresql().startswith("PostgreSQL")


def test_redis_answers_ping():
    url = require_redis()
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        assert client.ping() is True
    finally:
        client.close()
