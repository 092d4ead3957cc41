"""Access codes: how they are stored and checked.

The code a complainant gets with the tracking number is ten characters drawn
at random from 32 (50 bits), not a password a person chose. Passwords are
stored with a deliberately slow hash (Argon2, about 0.2 s of CPU and 100 MB per
check here) because people choose guessable ones; a random code needs no
stretching. It is stored as an HMAC-SHA256 with a random salt per complaint,
keyed with a key derived from ``SECRET_KEY``:

- someone holding only a copy of the database cannot test a single guess;
- someone holding the database and the key would need about 2^49 HMACs to find
  one complaint's code, and what it unlocks (the complaint's own timeline) is
  in that database already;
- online guessing is limited per address (``COMPLAINT_TRACK_RATE``).

Checking costs microseconds instead of 0.2 s, which is what keeps the public
complaint form and the tracking lookup fast under load (docs/benchmarks.md).
When ``SECRET_KEY`` is rotated, keep the old one in ``SECRET_KEY_FALLBACKS``
so codes handed out before still open their complaints. Codes stored by
earlier versions with the password hasher still check.
"""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils.crypto import salted_hmac

ALGORITHM = "hmac-sha256"
KEY_SALT = "complaints.access-code"


def _digest(code: str, salt: str, secret: str | None = None) -> str:
    return salted_hmac(KEY_SALT, f"{salt}${code}", secret=secret, algorithm="sha256").hexdigest()


def hash_code(code: str) -> str:
    """What is stored for ``code`` (already normalised)."""
    salt = secrets.token_hex(8)
    return f"{ALGORITHM}${salt}${_digest(code, salt)}"


def code_matches(code: str, stored: str) -> bool:
    """Whether ``code`` (normalised) is the one ``stored`` was made from."""
    algorithm, _, rest = (stored or "").partition("$")
    if algorithm != ALGORITHM:
        # Stored by an earlier version with the password hasher.
        return bool(stored) and check_password(code, stored)
    salt, _, expected = rest.partition("$")
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(_digest(code, salt, key), expected) for key in keys)


def dummy_check(code: str) -> None:
    """The same work as a check, for an unknown tracking number, so the answer
    time does not tell which numbers exist."""
    code_matches(code, f"{ALGORITHM}$0000000000000000${'0' * 64}")
