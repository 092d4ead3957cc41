"""Uploads from citizens: checked by their bytes, and photos re-encoded so that
GPS positions and other EXIF data never reach the disk."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kernel.text import single_line
from kernel.validators import DOCUMENT_AND_IMAGE_EXTENSIONS, IMAGE_KINDS, MAX_IMAGE_PIXELS, validate_attachment

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}


@dataclass
class CleanUpload:
    original_name: str
    size: int
    content: ContentFile


def strip_metadata(data: bytes, kind: str) -> bytes:
    """Re-encode an image without its metadata (EXIF, GPS, XMP, comments).
    validate_attachment has already refused what would cost too much to decode;
    a JPEG over MAX_IMAGE_PIXELS is decoded at a half or a quarter of its size."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if kind == "jpeg":
                width, height = image.size
                scale = 1
                while (width // scale) * (height // scale) > MAX_IMAGE_PIXELS and scale < 8:
                    scale *= 2
                if scale > 1:
                    image.draft("RGB", (width // scale, height // scale))
            image.load()
            frames = getattr(image, "n_frames", 1)
            out = io.BytesIO()
            if frames > 1 and kind in ("gif", "webp"):
                image.save(out, format=PIL_FORMATS[kind], save_all=True)
            else:
                upright = ImageOps.exif_transpose(image)
                if kind == "jpeg" and upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                params = {"quality": 90, "optimize": True} if kind == "jpeg" else {}
                upright.save(out, format=PIL_FORMATS[kind], **params)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The image could not be read. Please attach the original photo.")) from exc


def clean_complaint_upload(upload) -> CleanUpload:
    validate_attachment(upload, DOCUMENT_AND_IMAGE_EXTENSIONS)
    name = single_line(PurePath(upload.name).name) or "attachment"  # a pasted name may carry controls
    kind = DOCUMENT_AND_IMAGE_EXTENSIONS[PurePath(name).suffix.lower()]
    upload.seek(0)
    data = upload.read()
    if kind in IMAGE_KINDS:
        data = strip_metadata(data, kind)
    return CleanUpload(original_name=name, size=len(data), content=ContentFile(data))
