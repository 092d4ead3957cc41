"""Limits on what one address may do on the public pages (file complaints, try
tracking numbers, vote, rate commitments), counted by django-ratelimit in the
cache.

The address is the client's as ``kernel.net`` reads it (behind the proxies it
is told about, never a header the client chose): django-ratelimit's ``"ip"`` key
asks ``RATELIMIT_IP_META_KEY``, which names ``kernel.net``'s function.

``group`` names what is counted ("complaints:submit"); ``rate`` is django-
ratelimit's "attempts/period" ("5/10m"). Both are passed on each call, so a
module may keep them as settings-driven constants and a test may change them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited


def _usage(request: HttpRequest, group: str, rate: str, *, increment: bool) -> dict[str, Any] | None:
    usage: dict[str, Any] | None = get_usage(
        request, group=group, key="ip", rate=rate, method=get_usage.ALL, increment=increment
    )
    return usage


def limit_reached(request: HttpRequest, group: str, rate: str) -> bool:
    """True once this address has used up its attempts; looking does not count one.
    Pair with ``count_attempt`` where only some requests should count (a failed
    guess, a form actually sent)."""
    usage = _usage(request, group, rate, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count_attempt(request: HttpRequest, group: str, rate: str) -> None:
    _usage(request, group, rate, increment=True)


def attempt_limited(request: HttpRequest, group: str, rate: str) -> bool:
    """Counts this attempt; True when it is one more than the address may make."""
    return bool(is_ratelimited(request, group=group, key="ip", rate=rate, increment=True))
