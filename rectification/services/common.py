"""Helpers shared by the rectification services."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.current import get_current_campaign
from campaigns.models import AuditEvent, Campaign

if TYPE_CHECKING:
    from campaigns.models import User
    from complaints.attachments import CleanUpload

    from ..models import ProgressUpdate

MAX_EVIDENCE_FILES = 5
TEXT_MIN = 5


def audit(target: models.Model, actor: User | None, verb: str, **data: Any) -> AuditEvent:
    return AuditEvent.record(target, actor, f"rectification.{verb}", **data)


def require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise PermissionDenied(message or _("You cannot do this."))


def current_campaign_or_error() -> Campaign:
    campaign = get_current_campaign()
    if campaign is None:
        raise ValidationError(_("No campaign is current. The campaign office sets one in the administration."))
    return campaign


def hashed(value: str) -> str:
    """A salted digest: enough to tell two browsers or addresses apart, never to name them."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{value}".encode()).hexdigest()


class Errors(dict[str, list[str]]):
    """Field name -> list of messages, raised as one ValidationError."""

    def add(self, field: str | None, message: str) -> None:
        self.setdefault(field or "__all__", []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self.items()))


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def store_evidence(
    update: ProgressUpdate | None, uploads: Iterable[UploadedFile] | None, errors: Errors, field: str = "evidence"
) -> list[CleanUpload]:
    """Check every upload (type by content, size, EXIF stripped from photos) before
    anything is written; returns the cleaned files for ``write_evidence``."""
    from complaints.attachments import clean_complaint_upload

    uploads = list(uploads or [])
    if len(uploads) > MAX_EVIDENCE_FILES:
        errors.add(field, _("At most %(n)d files can be attached.") % {"n": MAX_EVIDENCE_FILES})
        return []
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_complaint_upload(upload))
        except ValidationError as exc:
            for message in exc.messages:
                errors.add(field, f"{upload.name}: {message}")
    return cleaned


def write_evidence(update: ProgressUpdate, cleaned: Iterable[CleanUpload]) -> None:
    from ..models import Evidence

    written = []
    try:
        for upload in cleaned:
            evidence = Evidence(
                update=update, original_name=upload.original_name[:255], size=upload.size, created_at=timezone.now()
            )
            evidence.file.save(upload.original_name, upload.content, save=True)
            written.append(evidence.file)
    except Exception:
        # The transaction rolls the rows back; the files have to go by hand.
        for f in written:
            f.delete(save=False)
        raise
