from celery import shared_task


@shared_task
def ping() -> str:
    """A no-op round trip, used by the worker health test and by operators."""
    return "pong"


@shared_task
def refresh_figures() -> dict:
    """Recompute the snapshots of the aggregate figures (campaigns/figurecache.py)."""
    from . import figurecache

    return figurecache.refresh_all()
