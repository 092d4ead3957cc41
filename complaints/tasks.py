from celery import shared_task

from .services import complaints_sweep


@shared_task
def sweep_complaints() -> dict:
    """Open accountability cases for complaints past a time limit and close
    replied ones left unrated; safe to run any number of times."""
    return complaints_sweep()
