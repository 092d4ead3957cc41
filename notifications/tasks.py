"""Celery tasks: they take ids, fetch, and call one service."""

from celery import shared_task

from . import services


@shared_task
def sweep() -> dict:
    report = services.run_sweep()
    created = {f"{kind}:{step}": n for (kind, step), n in report["created"].items()}
    return {**report, "created": created}


@shared_task
def deliver_notification(notification_id: int) -> bool:
    return services.deliver(notification_id)
