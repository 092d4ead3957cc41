"""Sending text messages through a pluggable backend.

``SMS_BACKEND`` names a class with ``send(phone, text)``. Two come with the
portal: ``notifications.sms.ConsoleBackend`` (logs each message) and
``notifications.sms.FileBackend`` (appends to ``SMS_FILE_PATH``; the default).
To use an SMS gateway, write a subclass of ``BaseBackend`` whose ``send`` calls
the gateway and raises on failure, and point ``SMS_BACKEND`` at it; see
docs/operations.md.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Mainland mobile numbers, optionally with +86, or international E.164.
PHONE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$|^\+[1-9]\d{7,14}$")


def normalise_phone(phone: str) -> str:
    return re.sub(r"[\s\-()]", "", phone or "")


def is_valid_mobile(phone: str) -> bool:
    return bool(PHONE_RE.match(normalise_phone(phone)))


class BaseBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, phone, text):
        logger.info("SMS to %s: %s", phone, text)


class FileBackend(BaseBackend):
    def send(self, phone, text):
        path = Path(getattr(settings, "SMS_FILE_PATH", settings.VAR_DIR / "sms" / "outbox.log"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{timezone.now().isoformat()}\t{phone}\t{text}\n")


def send_sms(phone: str, text: str) -> None:
    phone = normalise_phone(phone)
    if not is_valid_mobile(phone):
        raise ValueError(f"not a mobile number: {phone!r}")
    backend = import_string(getattr(settings, "SMS_BACKEND", "notifications.sms.FileBackend"))()
    backend.send(phone, text[:500])
