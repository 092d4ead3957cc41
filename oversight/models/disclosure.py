"""政务公开 (seed 004): what the campaign office publishes, as frozen snapshots.

A disclosure item is prepared (its figures are copied into ``snapshot`` at that
moment), checked, then published once. Nothing reads a draft on the public site,
and nothing ever rewrites a snapshot: later changes to the live data make a new
item, they never alter an old one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office

from ..querysets import DisclosureQuerySet


class DisclosureItem(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Campaign progress by phase")
        COMPLAINT_STATISTICS = "complaint_statistics", _("Complaint statistics")
        RECTIFICATION_RESULTS = "rectification_results", _("Rectification results (整改情况公布)")
        APPRAISAL_RANKING = "appraisal_ranking", _("Appraisal ranking (民主评议结果)")
        BULLETIN = "bulletin", _("Bulletin")

    # Kinds whose figures are copied from the live data when the item is prepared.
    SNAPSHOT_KINDS = [Kind.PROGRESS, Kind.COMPLAINT_STATISTICS, Kind.RECTIFICATION_RESULTS, Kind.APPRAISAL_RANKING]

    class Status(models.TextChoices):
        DRAFT = "draft", _("Prepared, not published")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="disclosures"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    snapshot = models.JSONField(_("figures as published"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    as_of = models.DateTimeField(_("figures as of"), default=timezone.now)
    bulletin = models.OneToOneField(
        "oversight.Bulletin",
        verbose_name=_("bulletin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    responsible_office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The office answerable for what is published (the publisher's office)."),
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure item")
        verbose_name_plural = _("public disclosure catalogue")
        ordering = ["-published_at", "-prepared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(published_at__isnull=True))
                | (Q(status="published") & Q(published_at__isnull=False) & Q(published_by__isnull=False)),
                name="disclosure_published_iff_dated",
            ),
            models.CheckConstraint(
                condition=Q(kind="bulletin", bulletin__isnull=False) | (~Q(kind="bulletin") & Q(bulletin__isnull=True)),
                name="disclosure_bulletin_iff_kind",
            ),
        ]
        permissions = [
            ("publish_disclosure", _("Can prepare and publish items of the public disclosure")),
            ("view_dashboard", _("Can see the campaign dashboard, every office's figures and the summary")),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A published snapshot is never rewritten, whoever calls save().
        if self.pk and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values("status", "snapshot", "title").first()
            if (
                stored
                and stored["status"] == self.Status.PUBLISHED
                and (stored["snapshot"] != self.snapshot or stored["title"] != self.title)
            ):
                raise ValidationError(_("A published disclosure item cannot be changed."))
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
