"""Point the Celery app at another broker for one test, with tasks queued for real
(not run eagerly): a closed port for a broker that is away, ``memory://`` for one
that takes messages and never runs them."""

import contextlib
import socket

from campaign_portal.celery import app


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


def _reset_pools():
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def queued_to(url: str):
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=url)
    _reset_pools()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_pools()


def run_eagerly():
    """Tasks run in the test's process again (the broker is back)."""
    app.conf.update(task_always_eager=True)
    _reset_pools()
