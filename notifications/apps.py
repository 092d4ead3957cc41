from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Reminders and notifications")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_default_rules, sender=self)


def _default_rules(**kwargs):
    from .models import ReminderRule

    ReminderRule.ensure_defaults()
