"""The shared cache (Redis), and what happens while it is away.

Everything the portal keeps in the cache can be lost without harm: the public
page cache and the current campaign are rebuilt from the database, figure
snapshots are recounted, and the per-address limits start counting again.
Logins are throttled by django-axes in the database, not here. So when Redis
does not answer, ``FallbackRedisCache`` serves every call from this process's
own memory instead of failing the request, and tries Redis again a few
seconds later:

- pages render (from the database, then from the local copy);
- the per-address limits still hold, per process (with several gunicorn
  workers a client gets a few more tries than the limit until Redis is back);
- ``/healthz`` answers 503 and names the cache, so the operator is told.

Short socket timeouts keep a Redis that hangs (rather than refuses) from
holding requests up: at most ``socket_connect_timeout`` once per
``retry_seconds`` and process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
# When each Redis location was last found down, per process (monotonic seconds).
_down_since: dict[str, float] = {}
_lock = threading.Lock()


def production_cache(url: str) -> dict[str, Any]:
    """The CACHES entry for ``CACHE_URL``: Redis through FallbackRedisCache,
    anything else as django-environ reads it."""
    import environ

    config: dict[str, Any] = environ.Env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "kernel.cache.FallbackRedisCache"
    return config


class FallbackRedisCache(RedisCache):
    retry_seconds = 5.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._where = server if isinstance(server, str) else ",".join(server)
        self._local = LocMemCache(f"fallback:{self._where}", {"TIMEOUT": params.get("TIMEOUT", 300)})

    # --- Is Redis there? -----------------------------------------------------------
    def _skipping(self) -> bool:
        since = _down_since.get(self._where)
        return since is not None and time.monotonic() - since < self.retry_seconds

    def _went_down(self, exc: Exception) -> None:
        with _lock:
            first = self._where not in _down_since
            _down_since[self._where] = time.monotonic()
        if first:
            logger.error(
                "the cache at %s does not answer (%s); serving from this process's memory until it does",
                self._where,
                exc.__class__.__name__,
            )

    def _came_back(self) -> None:
        if self._where in _down_since:
            with _lock:
                _down_since.pop(self._where, None)
            logger.warning("the cache at %s answers again", self._where)

    def ping(self) -> None:
        """Talk to Redis itself, whatever the fallback thinks: raises while it is away."""
        self._cache.get_client(write=True).ping()  # type: ignore[attr-defined]  # RedisCache._cache: not in the stubs
        self._came_back()

    def is_down(self) -> bool:
        return self._where in _down_since


def _falling_back(name: str) -> Callable[..., Any]:
    def method(self: FallbackRedisCache, *args: Any, **kwargs: Any) -> Any:
        if not self._skipping():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except OUTAGE as exc:
                self._went_down(exc)
            else:
                if self._where in _down_since:
                    self._came_back()
                return result
        return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, or this process's memory while Redis is away."
    return method


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FallbackRedisCache, _name, _falling_back(_name))


def check(cache: BaseCache) -> tuple[bool, str]:
    """For /healthz: does the shared cache answer? A per-process cache is "local"."""
    try:
        if isinstance(cache, FallbackRedisCache):
            cache.ping()
        elif isinstance(cache, RedisCache):
            cache._cache.get_client(write=True).ping()  # type: ignore[attr-defined]
        elif isinstance(cache, LocMemCache):
            return True, "local"
        else:
            cache.get("healthz:probe")
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, "ok"
