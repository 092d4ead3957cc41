"""Celery tasks: they take ids, fetch, and call one service."""

from celery import shared_task


@shared_task
def notify_staff(audit_event_id: int) -> int:
    """Tell the staff a deliverable's step hands work to (oversight/notices.py),
    queued once the step is committed; returns how many notices were new."""
    from campaigns.models import AuditEvent

    from . import notices

    event = AuditEvent.objects.filter(pk=audit_event_id).first()
    return notices.tell(event) if event is not None else 0


@shared_task
def run_export(job_id: int) -> str:
    from .services.exports import export_run

    job = export_run(job_id)
    return job.state if job else "skipped"


@shared_task
def sweep_exports() -> int:
    """Queue again the exports whose task was lost (beat, every 15 minutes)."""
    from .services.exports import export_requeue_waiting

    return export_requeue_waiting()
