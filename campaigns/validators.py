"""Attachment checks shared by every upload in the portal.

The type is decided by the file's first bytes, never by its name alone, and
files are stored under generated names so nothing a user typed reaches the disk.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# extension -> kind of content its bytes must show
ALLOWED_EXTENSIONS = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".gif": "gif",
    ".webp": "webp",
    ".doc": "ole",
    ".xls": "ole",
    ".ppt": "ole",
    ".docx": "ooxml",
    ".xlsx": "ooxml",
    ".pptx": "ooxml",
    ".odt": "odf",
    ".ods": "odf",
    ".odp": "odf",
    ".txt": "text",
}
# Complaints take photos, PDF and Office documents: no plain text files.
DOCUMENT_AND_IMAGE_EXTENSIONS = {ext: kind for ext, kind in ALLOWED_EXTENSIONS.items() if kind != "text"}
IMAGE_KINDS = {"jpeg", "png", "gif", "webp"}


def sniff(head: bytes) -> str | None:
    """The kind of content ``head`` (the first bytes of a file) starts with."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _zip_kind(file) -> str | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" in names:
                return "ooxml"
            if "mimetype" in names:
                return "odf"
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    return None


def _is_text(file) -> bool:
    file.seek(0)
    sample = file.read(64 * 1024)
    file.seek(0)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def validate_attachment(file, allowed: dict[str, str] | None = None) -> None:
    """Refuse a file over the size limit, of a type not in ``allowed`` (extension ->
    kind), or whose first bytes are not what its extension says."""
    allowed = ALLOWED_EXTENSIONS if allowed is None else allowed
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; attachments may be at most %(max)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "max": filesizeformat(max_bytes)},
        )
    ext = PurePath(file.name).suffix.lower()
    expected = allowed.get(ext)
    if expected is None:
        if "text" in allowed.values():
            message = _("Only PDF, images (JPEG, PNG, GIF, WebP), Office documents and plain text can be attached.")
        else:
            message = _("Only photos (JPEG, PNG, GIF, WebP), PDF and Office documents can be attached.")
        raise ValidationError(message, code="bad_type")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = sniff(head)
    if kind == "zip":
        kind = _zip_kind(file)
    if expected == "text":
        ok = kind is None and _is_text(file)
    else:
        ok = kind == expected
    if not ok:
        raise ValidationError(
            _("The file's content does not match its name (%(ext)s). Please attach the original document."),
            code="bad_content",
            params={"ext": ext},
        )


def generated_name(filename: str) -> str:
    """A random storage name keeping only a known extension."""
    ext = PurePath(filename).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        ext = ""
    return f"{uuid.uuid4().hex}{ext}"
