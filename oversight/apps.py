from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oversight"
    verbose_name = _("Campaign oversight")

    def ready(self):
        from django.db.models.signals import post_migrate

        from campaigns.roles import sync_role_groups

        from .selectors.progress import TREND
        from .selectors.scorecard import COMPLAINT_FIGURES

        TREND.register()
        COMPLAINT_FIGURES.register()

        # The oversight permissions exist only after this app migrates.
        post_migrate.connect(sync_role_groups, sender=self)
