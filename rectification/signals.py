"""Hotspots are looked for right after a complaint is replied to as substantiated.

complaints.services records a ``replied`` ComplaintEvent with ``substantiated`` in
its data; the check runs once that reply is committed, in a transaction of its
own, so a failure here can never undo the reply (it is logged, and
``manage.py detect_hotspots`` finds anything missed)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from complaints.models import ComplaintEvent


@receiver(post_save, sender=ComplaintEvent)
def _complaint_replied(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.kind != ComplaintEvent.Kind.REPLIED:
        return
    if not (instance.data or {}).get("substantiated"):
        return
    complaint_id = instance.complaint_id

    def check():
        from .services.hotspots import hotspot_check_for_complaint

        hotspot_check_for_complaint(complaint_id=complaint_id)

    transaction.on_commit(check, robust=True)
