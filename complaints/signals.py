from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kernel.models import CalendarDay


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(**kwargs):
    """A holiday added later moves the due dates of open complaints."""
    from .services.deadlines import recompute_open_due_dates

    transaction.on_commit(recompute_open_due_dates)
