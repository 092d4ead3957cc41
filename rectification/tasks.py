"""Celery tasks of rectification: they take ids, fetch, and call one service."""

from celery import shared_task

from campaigns.models import AuditEvent

from . import notices


@shared_task
def notify_staff(audit_event_id: int) -> int:
    """Tell the staff a step hands work to (rectification/notices.py), queued once the
    step is committed; returns how many notices were new."""
    event = AuditEvent.objects.filter(pk=audit_event_id).first()
    return notices.tell(event) if event is not None else 0
