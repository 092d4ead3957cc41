"""Celery tasks: they take ids, fetch, and call one service."""

from celery import shared_task


@shared_task
def run_export(job_id: int) -> str:
    from .services.exports import export_run

    job = export_run(job_id)
    return job.state if job else "skipped"
