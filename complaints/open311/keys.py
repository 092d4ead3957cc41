"""API keys for integrating systems.

A key reads ``cp311_<prefix>_<secret>``: the prefix (8 hex digits) names the key
in lists and logs, the secret is 256 random bits. Only the SHA-256 of the whole
key is stored; a plain hash is enough because the key is high-entropy (nothing
to brute-force, unlike a password), and it keeps the check to one indexed
lookup. The plaintext is shown once, when the key is made, and never again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from complaints.models import Open311Key

SCHEME = "cp311"
_PREFIX_ATTEMPTS = 5


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _split(raw: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or len(parts[1]) != 8 or not parts[2]:
        return None
    return parts[1]


def key_create(*, name: str) -> tuple[Open311Key, str]:
    """Issue a key for the system called ``name``; returns the key row and the
    plaintext, which the caller shows once."""
    name = (name or "").strip()
    if not name:
        raise ValueError("an Open311 key needs the name of the system it is for")
    for _attempt in range(_PREFIX_ATTEMPTS):
        prefix = secrets.token_hex(4)
        raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                key = Open311Key.objects.create(name=name[:120], prefix=prefix, key_hash=hash_key(raw))
        except IntegrityError:  # a prefix taken already (1 in 4 billion): draw again
            continue
        return key, raw
    raise RuntimeError("could not find a free key prefix")


def key_revoke(*, prefix: str) -> Open311Key:
    """Revoke the key with this prefix; revoking twice keeps the first time.
    Raises ``Open311Key.DoesNotExist`` for an unknown prefix."""
    key = Open311Key.objects.get(prefix=prefix)
    Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db(fields=["revoked_at"])
    return key


class KeyRefused(Exception):
    """The api_key sent is not a key we issued, or one that has been revoked."""

    def __init__(self, revoked: bool = False):
        super().__init__("revoked" if revoked else "invalid")
        self.revoked = revoked


# Compared against when the prefix is unknown, so a miss costs the same as a hit.
_DUMMY_HASH = hash_key("cp311_00000000_dummy")


def key_check(raw: str) -> Open311Key:
    """The active key whose plaintext is ``raw``; raises ``KeyRefused`` otherwise."""
    prefix = _split(raw)
    key = Open311Key.objects.filter(prefix=prefix).first() if prefix else None
    matches = hmac.compare_digest(hash_key(raw or ""), key.key_hash if key else _DUMMY_HASH)
    if key is None or not matches:
        raise KeyRefused()
    if key.revoked_at is not None:
        raise KeyRefused(revoked=True)
    return key
