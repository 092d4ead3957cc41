"""Attachment checks shared by every upload in the portal.

The type is decided by the file's first bytes, never by its name alone, and
files are stored under generated names so nothing a user typed reaches the disk.
"""

from __future__ import annotations

import uuid
import warnings
import zipfile
from pathlib import PurePath
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

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

# What decoding one uploaded image may cost, decided from its header before a
# single pixel is decoded: a small file can describe a huge picture (a 219 KB
# PNG of 75 megapixels, a 2 KB GIF of 100 frames on a 2000x2000 canvas).
# 25 megapixels is a 5000x5000 picture, 100 MB decoded as RGBA. A JPEG may be
# larger (phones take 50 and 108 megapixel photos): it is decoded at a half or
# a quarter of its size (JPEG "draft" mode), never at full size.
MAX_IMAGE_PIXELS = 25_000_000
MAX_JPEG_PIXELS = 16 * MAX_IMAGE_PIXELS
MAX_IMAGE_FRAMES = 50
MAX_ANIMATION_PIXELS = 50_000_000  # width x height x frames
# Pillow's own guard (DecompressionBombError at twice this) as a last line.
Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS


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


def _zip_kind(file: File[Any]) -> str | None:
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


def _is_text(file: File[Any]) -> bool:
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


def validate_attachment(file: File[Any], allowed: dict[str, str] | None = None) -> None:
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
    ext = PurePath(cast(str, file.name)).suffix.lower()
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
    ok = (kind is None and _is_text(file)) if expected == "text" else kind == expected
    if not ok:
        raise ValidationError(
            _("The file's content does not match its name (%(ext)s). Please attach the original document."),
            code="bad_content",
            params={"ext": ext},
        )
    if kind in IMAGE_KINDS:
        validate_image(file, kind)


def image_header(file: File[Any]) -> tuple[int, int, int]:
    """(width, height, frames) from an image's header, without decoding it."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                # Counting frames reads the frames' headers only (a GIF's blocks are skipped).
                frames = getattr(image, "n_frames", 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("The image could not be read. Please attach the original photo."), code="bad_image"
        ) from exc
    finally:
        file.seek(0)
    return width, height, frames


def _too_many_pixels(
    *, width: int | None = None, height: int | None = None, limit: int = MAX_JPEG_PIXELS
) -> ValidationError:
    if width is None:
        return ValidationError(
            _("The image is too large. Please attach a photo of at most %(mp)d megapixels."),
            code="too_many_pixels",
            params={"mp": limit // 1_000_000},
        )
    return ValidationError(
        _("The image is %(w)d × %(h)d pixels; attach a photo of at most %(mp)d megapixels."),
        code="too_many_pixels",
        params={"w": width, "h": height, "mp": limit // 1_000_000},
    )


def validate_image(file: File[Any], kind: str) -> tuple[int, int, int]:
    """Refuse an image whose decoding would cost more than the limits above,
    by its header alone; return its (width, height, frames)."""
    width, height, frames = image_header(file)
    limit = MAX_JPEG_PIXELS if kind == "jpeg" else MAX_IMAGE_PIXELS
    if width * height > limit:
        raise _too_many_pixels(width=width, height=height, limit=limit)
    if frames > MAX_IMAGE_FRAMES or width * height * frames > MAX_ANIMATION_PIXELS:
        raise ValidationError(
            _(
                "The animation is too long or too large (%(frames)d frames of %(w)d × %(h)d pixels). "
                "Please attach a photo."
            ),
            code="too_many_frames",
            params={"frames": frames, "w": width, "h": height},
        )
    return width, height, frames


def generated_name(filename: str) -> str:
    """A random storage name keeping only a known extension."""
    ext = PurePath(filename).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        ext = ""
    return f"{uuid.uuid4().hex}{ext}"
