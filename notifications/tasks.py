"""Celery tasks: they take ids, fetch, and call one service."""

from celery import shared_task

from . import services


@shared_task
def sweep() -> dict:
    report = services.run_sweep()
    report["created"] = {f"{kind}:{step}": n for (kind, step), n in report["created"].items()}
    return report


@shared_task
def deliver_notification(notification_id: int) -> bool:
    return services.deliver(notification_id)


@shared_task
def notify_complaint_event(event_id: int) -> None:
    from complaints.models import ComplaintEvent

    event = ComplaintEvent.objects.select_related("complaint", "complaint__handling_office").filter(pk=event_id).first()
    if event is None:
        return
    notice = services.write_complaint_notice(event)
    if notice is not None and notice.pk:
        services.deliver(notice.pk)
