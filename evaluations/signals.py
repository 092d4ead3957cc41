"""A last guard under the services: whoever writes (admin, shell, a future page), a
ballot that has been cast keeps meaning what it meant. No office and no question
is added to or removed from a survey once anyone has answered it."""

from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver

from .models import Question, Survey
from .services.common import refuse_if_voting_began


@receiver(m2m_changed, sender=Survey.offices.through)
def _offices_frozen(sender, instance, action, reverse, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    surveys = [instance] if not reverse else list(Survey.objects.filter(pk__in=kwargs.get("pk_set") or []))
    for survey in surveys:
        refuse_if_voting_began(survey, "offices")


@receiver(pre_save, sender=Question)
@receiver(pre_delete, sender=Question)
def _questions_frozen(sender, instance, **kwargs):
    if instance.survey_id:
        refuse_if_voting_began(instance.survey, None)
