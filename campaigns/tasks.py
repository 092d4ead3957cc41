from celery import shared_task


@shared_task
def ping() -> str:
    """A no-op round trip, used by the worker health test and by operators."""
    return "pong"


@shared_task
def notify_staff(audit_event_id: int) -> int:
    """Tell the staff a task's step hands work to (campaigns/notices.py), queued once
    the step is committed; returns how many notices were new."""
    from . import notices
    from .models import AuditEvent

    event = AuditEvent.objects.filter(pk=audit_event_id).first()
    return notices.tell(event) if event is not None else 0


@shared_task
def sweep_hand_overs() -> int:
    """Tell the hand-overs whose notify_staff task was lost (beat, every 15 minutes)."""
    from .handovers import make_good_hand_overs

    return make_good_hand_overs()
