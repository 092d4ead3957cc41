"""Invitation codes: 125 random bits, written in 25 characters of an alphabet with no
look-alikes (Crockford's base32: no I, L, O or U), and shown in five groups of five so they can be typed
from paper. Case, spaces and dashes don't matter when typed."""

from __future__ import annotations

import re
import secrets

# Crockford's base32: 32 symbols, 5 bits each; the digits 0 and 1 stand in for O and I/L.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 25  # 25 × 5 = 125 bits
GROUP = 5
TOKEN_RE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
_TYPED_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_token(typed: str) -> str | None:
    """The token in canonical form, or None if it cannot be one."""
    cleaned = re.sub(r"[\s\-_.]", "", typed or "").upper().translate(_TYPED_ALIASES)
    return cleaned if TOKEN_RE.match(cleaned) else None


def format_token(token: str) -> str:
    return "-".join(token[i : i + GROUP] for i in range(0, len(token), GROUP))
