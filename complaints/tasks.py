"""Celery tasks of the complaints app: they take ids, fetch, and call one service."""

from celery import shared_task

from notifications.services import deliver

from . import notices, staff_notices
from .models import ComplaintEvent


@shared_task
def notify_complainant(event_id: int) -> None:
    """E-mail the complainant about one step, queued once the step is committed."""
    event = ComplaintEvent.objects.select_related("complaint", "complaint__handling_office").filter(pk=event_id).first()
    if event is None:
        return
    notice = notices.write_notice(event)
    if notice is not None and notice.pk:
        deliver(notice.pk)


@shared_task
def notify_staff(event_id: int) -> int:
    """Tell the staff a step hands work to (complaints/staff_notices.py), queued once
    the step is committed; returns how many notices were new."""
    event = ComplaintEvent.objects.select_related(*staff_notices.EVENT_RELATED).filter(pk=event_id).first()
    if event is None:
        return 0
    return staff_notices.write_staff_notices(event)


@shared_task
def sweep() -> dict:
    """The complaints' periodic sweep (beat, every 15 minutes; settings.CELERY_BEAT_SCHEDULE)."""
    # Imported here: the services queue this module's tasks.
    from .services.sweep import complaints_sweep

    return complaints_sweep()
