from celery import shared_task


@shared_task
def ping() -> str:
    """A no-op round trip, used by the worker health test and by operators."""
    return "pong"
