from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = _("Democratic appraisal")

    def ready(self):
        from django.db.models.signals import post_migrate

        from campaigns.roles import sync_role_groups

        from . import signals  # noqa: F401

        # The appraisal permissions exist only after this app migrates.
        post_migrate.connect(sync_role_groups, sender=self)
