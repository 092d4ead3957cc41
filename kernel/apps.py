from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """What every app stands on and nothing in it knows about any app: the work
    calendar, uploads, the public page cache, figure snapshots, pagination,
    widgets, the client address and the per-user language."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "kernel"
    verbose_name = _("Portal kernel")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from . import logs

        request_started.connect(logs.start_request, dispatch_uid="kernel.logs.start_request")
        request_finished.connect(logs.finish_request, dispatch_uid="kernel.logs.finish_request")
