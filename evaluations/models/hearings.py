"""Hearings (听证质询): a panel of deputies and committee members, supervisors and
service recipients questions key offices and rates them in an opinion poll
(民意测评), which is a ``Survey`` whose invitations are handed to the panel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office
from kernel.models import TimeStampedModel

from ..querysets import HearingQuerySet
from .surveys import Survey


class Hearing(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="hearings"
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    offices = models.ManyToManyField(Office, verbose_name=_("offices examined"), related_name="hearings")
    summary = models.TextField(_("summary"), blank=True, help_text=_("The summary published after the hearing."))
    poll = models.OneToOneField(
        Survey,
        verbose_name=_("opinion poll"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearing",
    )
    published_at = models.DateTimeField(_("summary published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(summary=""), name="hearing_published_has_summary"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_held(self) -> bool:
        return self.date <= timezone.localdate()


class Panelist(models.Model):
    class Kind(models.TextChoices):
        DEPUTY = "deputy", _("Deputy or committee member (两代表一委员)")
        SUPERVISOR = "supervisor", _("Supervisor")
        RECIPIENT = "recipient", _("Service recipient")

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="panel")
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("group"), max_length=12, choices=Kind)
    affiliation = models.CharField(_("affiliation"), max_length=120, blank=True)
    # The poll invitation handed to this member (who got which code; never which answers).
    invitation = models.OneToOneField(
        "evaluations.Invitation",
        verbose_name=_("poll invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panelist",
    )

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["hearing", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["hearing", "name"], name="panelist_once_per_hearing")]

    def __str__(self) -> str:
        return self.name


class HearingQuestion(models.Model):
    """A question the panel raised and the examined office's answer."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="questions")
    office = models.ForeignKey(Office, verbose_name=_("office asked"), on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        Panelist, verbose_name=_("asked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("the office's answer"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("hearing question")
        verbose_name_plural = _("hearing questions")
        ordering = ["hearing", "order", "pk"]

    def __str__(self) -> str:
        return self.question[:60]
