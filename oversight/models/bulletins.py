"""通报: progress bulletins, commendations, criticisms and negative typical cases
(seed 002 三.(五)), written by the campaign office, internal or public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office
from kernel.models import TimeStampedModel

from ..querysets import BulletinQuerySet


class Bulletin(TimeStampedModel):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress bulletin (工作进展通报)")
        COMMENDATION = "commendation", _("Commendation of advanced units and individuals (通报表扬)")
        CRITICISM = "criticism", _("Criticism of lagging units (通报批评)")
        NEGATIVE_CASE = "negative_case", _("Negative typical case (反面典型)")

    class Audience(models.TextChoices):
        INTERNAL = "internal", _("Internal (all offices)")
        PUBLIC = "public", _("Public")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="bulletins"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.PROGRESS)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience, default=Audience.INTERNAL)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Plain text. Leave an empty line between paragraphs; no HTML is interpreted."),
    )
    offices = models.ManyToManyField(
        Office,
        verbose_name=_("offices concerned"),
        related_name="bulletins",
        blank=True,
        help_text=_("The units commended or criticised, if any."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("Given at publication: the campaign's n-th bulletin.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuing_office = models.ForeignKey(
        Office,
        verbose_name=_("issuing office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The publisher's office, recorded at publication."),
    )

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-published_at", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(published_at__isnull=True) & Q(number__isnull=True))
                | (Q(status="published") & Q(published_at__isnull=False) & Q(number__isnull=False)),
                name="bulletin_published_iff_dated",
            ),
            models.UniqueConstraint(
                fields=["campaign", "number"], condition=Q(number__isnull=False), name="bulletin_number_once"
            ),
        ]
        permissions = [
            ("manage_bulletins", _("Can write and publish bulletins")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC
