from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django.db.models.signals import post_migrate

        from campaigns.roles import sync_role_groups

        from . import signals  # noqa: F401
        from .selectors import STATISTICS

        STATISTICS.register()

        # The complaint permissions exist only after this app migrates.
        post_migrate.connect(sync_role_groups, sender=self)
        # The problem types come with the portal; a flushed test database gets them back too.
        post_migrate.connect(_default_problem_types, sender=self)


def _default_problem_types(**kwargs):
    from django.apps import apps as global_apps

    from .migrations import _problem_types

    _problem_types.create_defaults(global_apps)
