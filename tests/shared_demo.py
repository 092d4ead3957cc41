"""One demo per test process, shared by the browser tests that only read it.

Loading every app's demo takes seconds and six thousand queries; the browser tests that
only look at it (menus, tables, accessibility, each role's home) share one copy instead
of each loading its own. The copy is committed (the live server reads it from other
threads), so it has to go before any other test runs in the same process: the root
conftest's ``pytest_runtest_setup`` calls ``discard()`` before every test that does not
ask for the shared demo, and its ``pytest_collection_modifyitems`` runs the sharing
tests last, so a process loads it about once.

A test that changes the demo must load its own (``own_demo``): after each sharing test,
``changes()`` compares every table's row count with the counts just after loading, and
the fixture fails the test that changed one (and throws the copy away).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

#: The fixture that hands the shared demo to a test (tests/browser/conftest.py); the
#: root conftest and the browser harness both decide by it.
FIXTURE = "demo"

#: Rows that reading the demo writes: each login's session and django-axes' access log.
WRITTEN_BY_READING = {"django_session", "axes_accesslog", "axes_accessattempt"}

_loaded: dict[str, Any] = {}


def is_loaded() -> bool:
    return bool(_loaded)


def users(media_root: Path) -> dict:
    """The demo users by username, loading the demo first if this process has none; its
    files (attachments, evidence) are written into this test's ``media_root``."""
    if not _loaded:
        _load(media_root)
    put_files(_loaded["files"], media_root)
    return _loaded["users"]


def files_written_since(started: float, media_root: Path) -> dict[Path, bytes]:
    """The files written under ``media_root`` since ``started`` (a ``time.time()``): what a
    demo loader wrote (attachments, evidence, deliverables), to give each later test,
    which has a MEDIA_ROOT of its own (tests/personas.py ``_private_media``)."""
    written = [p for p in media_root.rglob("*") if p.is_file() and p.stat().st_mtime >= started]
    return {path.relative_to(media_root): path.read_bytes() for path in written}


def put_files(files: dict[Path, bytes], media_root: Path) -> None:
    """Write ``files_written_since``'s files into this test's ``media_root``."""
    for name, content in files.items():
        path = media_root / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def _load(media_root: Path) -> None:
    from campaigns.demo import load_all

    started = time.time()
    demo_users = load_all()["user_objects"]
    _loaded.update(users=demo_users, files=files_written_since(started, media_root), counts=_row_counts())


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in WRITTEN_BY_READING
    }


def changes() -> list[str]:
    """The tables whose row counts differ from the freshly loaded demo's."""
    now = _row_counts()
    return [
        f"{table}: {count} → {now.get(table)}" for table, count in _loaded["counts"].items() if now.get(table) != count
    ]


def discard() -> None:
    """Empty the database as a transactional test's teardown does (content types and
    permissions come back through post_migrate), and forget the copy."""
    from django.core.management import call_command
    from django.db import connections

    for alias in connections:
        call_command("flush", verbosity=0, interactive=False, database=alias)
    _loaded.clear()
