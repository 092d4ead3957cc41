"""The marker that says the database holds generated scale data, not real records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScaleDataRun(models.Model):
    """One run of ``generate_scale_data``. Written before the first generated row and
    completed at the end, so a run that fails half-way still marks its rows as generated
    (``--replace`` can then wipe them)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seed = models.PositiveIntegerField(_("seed"))
    parameters = models.JSONField(_("parameters"), default=dict)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    manifest = models.JSONField(
        _("manifest"),
        default=dict,
        blank=True,
        help_text=_("What the benchmark harness needs: users, password, sample records and row counts."),
    )

    class Meta:
        verbose_name = _("scale data run")
        verbose_name_plural = _("scale data runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} seed {self.seed}"

    @property
    def is_complete(self) -> bool:
        return self.finished_at is not None
