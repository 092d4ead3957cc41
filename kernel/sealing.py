"""Sealing a secret that must wait for the worker, such as a complainant's access
code in the acknowledgement e-mail: encrypted and authenticated (Fernet, from the
``cryptography`` package) with a key derived from ``SECRET_KEY``, so the database,
a backup or the admin never hold it in the clear. ``SECRET_KEY_FALLBACKS`` still
open what was sealed before a key rotation."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "seal", "unseal"]

_SALT = b"campaign_portal.kernel.sealing"


def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(_SALT + secret.encode()).digest()))


def _keys() -> MultiFernet:
    return MultiFernet([_fernet(settings.SECRET_KEY), *(_fernet(k) for k in settings.SECRET_KEY_FALLBACKS)])


def seal(text: str) -> str:
    return _keys().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str:
    """The sealed text; ``InvalidToken`` if it was tampered with or sealed under another key."""
    return _keys().decrypt(token.encode("ascii")).decode()
