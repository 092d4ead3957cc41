"""Helpers for tests that need a real PostgreSQL or Redis.

Each helper checks a real connection and skips the calling test, with the
reason, when the service is not there. Under ``CAMPAIGN_PORTAL_REQUIRE_SERVICES``
(set by ``.ci/run``) the root ``conftest.py`` turns that skip into a failure, so
CI cannot pass by skipping.
"""

import os

import pytest

#: Redis database the tests may use and flush; never the one a developer's
#: ``make run`` or a production cache would use.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_url() -> str:
    """``REDIS_URL`` (database 15 by default); under pytest-xdist each worker takes the
    database below the previous one's (gw0: 15, gw1: 14, ...), since these tests flush it."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw"):
        base, _, db = url.rpartition("/")
        url = f"{base}/{int(db or 0) - int(worker[2:])}"
    return url


def require_redis() -> str:
    """Return ``REDIS_URL`` once Redis has answered a PING; skip otherwise."""
    import redis

    url = redis_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        if not client.ping():
            pytest.skip(f"Redis at {url} did not answer PING")
    except Exception as exc:  # connection refused, timeout, auth, bad URL...
        pytest.skip(f"Redis is not reachable at {url} ({exc.__class__.__name__}: {exc}); set REDIS_URL")
    finally:
        client.close()
    return url


def require_postgresql() -> str:
    """Return the server's ``SELECT version()`` if the test database is PostgreSQL.

    Skips when ``DATABASE_URL`` points elsewhere (SQLite by default) or the
    server does not answer. Needs database access: use it from a test that
    has the ``db`` fixture.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            f"the test database is {connection.vendor}, not PostgreSQL; "
            "set DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_portal"
        )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            (version,) = cursor.fetchone()
    except Exception as exc:
        pytest.skip(f"PostgreSQL does not answer ({exc.__class__.__name__}: {exc})")
    return version


def at_once(fn, n: int = 4) -> tuple[list, list]:
    """Run ``fn`` in ``n`` threads released at the same instant (a barrier), each on
    its own database connection (a race only PostgreSQL decides: use with
    ``require_postgresql``); returns what the calls returned and what they raised."""
    import threading

    from django.db import connection

    start = threading.Barrier(n)
    errors: list = []
    results: list = []

    def run():
        try:
            start.wait(timeout=30)
            results.append(fn())
        except Exception as exc:  # pragma: no cover - shown on failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
