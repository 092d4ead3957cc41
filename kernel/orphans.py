"""Files nobody refers to any more, swept on a schedule (``kernel.tasks.sweep_files``).

An attachment is written to the private storage before its row commits; a
worker killed in between (or a transaction rolled back after the write) leaves
the file with no row. An upload interrupted while Django spools it to disk
leaves a temporary file in ``FILE_UPLOAD_TEMP_DIR``. Both hold citizens'
evidence, so both are deleted once they are older than ``min_age`` (an hour:
far longer than any request or task takes to commit, so a file whose row is
about to commit is never touched).

The files referred to are read from every model's file fields that use the
private storage, found through the app registry: the kernel names no app.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from .storage import PrivateStorage, private_storage

logger = logging.getLogger(__name__)
MIN_AGE = timedelta(hours=1)


def _private_file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage):
                yield model, field


def referenced_names() -> set[str]:
    """The storage names of every file a row refers to."""
    names: set[str] = set()
    for model, field in _private_file_fields():
        rows = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
        names.update(rows.values_list(field.name, flat=True).iterator(chunk_size=5000))
    return names


def _old_files(root: Path, cutoff: float) -> Iterator[Path]:
    if not root.is_dir():
        return
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = Path(directory) / name
            try:
                if path.lstat().st_mtime < cutoff:
                    yield path
            except FileNotFoundError:  # deleted meanwhile
                continue


def _delete(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:  # another sweep got there first
        return False
    return True


def sweep_files(*, min_age: timedelta = MIN_AGE, now: float | None = None) -> dict[str, int]:
    """Delete orphaned private files and stale upload temp files older than
    ``min_age``; return how many of each were deleted."""
    cutoff = (now if now is not None else time.time()) - min_age.total_seconds()
    root = Path(private_storage().location)
    referenced = referenced_names()
    orphans = 0
    for path in _old_files(root, cutoff):
        if path.relative_to(root).as_posix() not in referenced and _delete(path):
            logger.warning("deleted orphaned file %s", path.relative_to(root))
            orphans += 1
    temporary = 0
    temp_dir = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if temp_dir:
        for path in _old_files(Path(temp_dir), cutoff):
            if _delete(path):
                temporary += 1
    return {"orphaned_files": orphans, "upload_temp_files": temporary}
