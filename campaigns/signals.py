from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .current import forget_current
from .models import Campaign, Office, Phase


@receiver([post_save, post_delete], sender=Campaign)
@receiver([post_save, post_delete], sender=Phase)
@receiver([post_save, post_delete], sender=Office)
def _campaign_changed(**kwargs):
    forget_current()
