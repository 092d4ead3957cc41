"""报送: a level of government's figures sent to the level above.

Seed 002: "各县(区)…作风效能办要将开展整改工作的情况报送市作风效能办". A district's
campaign office sends the campaign's figures of its own district — each office of
the district and each township as one row, as the dashboard reads them by level
(oversight/selectors/rollup.py) — to the city's campaign office, which finds it in
its inbox. What was sent is frozen: later changes to the live records never change
a report, so the city reads exactly what the district reported on that day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office
from kernel.models import TimeStampedModel

from ..querysets import LevelReportQuerySet


class LevelReport(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="level_reports"
    )
    sender_level = models.ForeignKey(
        Office,
        verbose_name=_("reported by (level)"),
        on_delete=models.PROTECT,
        related_name="level_reports_sent",
        help_text=_("The level of government whose figures these are (a district, a township)."),
    )
    recipient_level = models.ForeignKey(
        Office,
        verbose_name=_("reported to (level)"),
        on_delete=models.PROTECT,
        related_name="level_reports_received",
        help_text=_("The level of government above it, whose campaign office receives it."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("The sending level's n-th report in this campaign.")
    )
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("covering note"), blank=True)
    snapshot = models.JSONField(
        _("figures as sent"), help_text=_("Frozen when sent: names and counts as they were that day.")
    )
    as_of = models.DateField(_("figures as of"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))

    objects = LevelReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report to the level above")
        verbose_name_plural = _("reports to the level above")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "sender_level", "number"], name="level_report_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="level_report_number_positive"),
            models.CheckConstraint(condition=~Q(sender_level=F("recipient_level")), name="level_report_goes_up"),
        ]
        permissions = [
            ("send_level_reports", _("Can send the level's figures to the level above (报送)")),
        ]

    def __str__(self) -> str:
        return f"{self.sender_level} → {self.recipient_level} #{self.number}: {self.title}"
