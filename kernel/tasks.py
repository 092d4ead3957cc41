from typing import Any

from celery import shared_task


@shared_task
def refresh_figures() -> dict[str, Any]:
    """Retake every registered snapshot of the aggregate figures (kernel/figurecache.py)."""
    from . import figurecache

    return figurecache.refresh_all()


@shared_task
def sweep_files() -> dict[str, Any]:
    """Delete attachments no row refers to and stale upload temp files (kernel/orphans.py)."""
    from . import orphans

    return orphans.sweep_files()
