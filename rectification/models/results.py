"""The published rectification results (整改情况公布): per office, frozen when published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office

from ..figures import satisfaction_rate


class ResultsPublication(models.Model):
    campaign = models.OneToOneField(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="rectification_results"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note to the public"), blank=True)

    class Meta:
        verbose_name = _("published rectification results")
        verbose_name_plural = _("published rectification results")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.published_at:%Y-%m-%d}"


class OfficeResult(models.Model):
    """One office's figures as they stood at publication; never recomputed."""

    publication = models.ForeignKey(ResultsPublication, on_delete=models.CASCADE, related_name="rows")
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    office_name = models.CharField(_("office name"), max_length=120)
    made = models.PositiveIntegerField(_("commitments made"))
    completed = models.PositiveIntegerField(_("completed"))
    verified = models.PositiveIntegerField(_("verified"))
    overdue = models.PositiveIntegerField(_("overdue"))
    reopened = models.PositiveIntegerField(_("reopened by look-back"), default=0)
    ratings = models.PositiveIntegerField(_("public ratings"))
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basically = models.PositiveIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"))

    class Meta:
        verbose_name = _("office result")
        verbose_name_plural = _("office results")
        ordering = ["office_name"]
        constraints = [models.UniqueConstraint(fields=["publication", "office"], name="result_office_once")]

    #: The counted figures, in the order the results show them (the totals row sums each).
    FIGURES = (
        "made",
        "completed",
        "verified",
        "overdue",
        "reopened",
        "ratings",
        "satisfied",
        "basically",
        "dissatisfied",
    )

    def __str__(self) -> str:
        return self.office_name

    @property
    def satisfaction_rate(self) -> float | None:
        return satisfaction_rate(self.satisfied, self.basically, self.ratings)
