"""The plan (整改方案): one per office per campaign, grouping its commitments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office
from kernel.models import TimeStampedModel

from ..querysets import PlanQuerySet


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Filed (approved)")
        RETURNED = "returned", _("Returned with comments")

    # The office may change the plan's text until it is submitted, and again once returned.
    TEXT_EDITABLE = [Status.DRAFT, Status.RETURNED]
    # Draft commitments may be added and changed except while the campaign office reviews.
    ACCEPTS_COMMITMENTS = [Status.DRAFT, Status.RETURNED, Status.APPROVED]

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="rectification_plans"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="rectification_plans"
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the office found and how it will rectify it, in a few paragraphs."),
    )
    approved_collectively_on = models.DateField(
        _("approved collectively by the leadership on"),
        null=True,
        blank=True,
        help_text=_(
            "The date the office's leadership discussed and approved the plan together (领导班子集体讨论决定)."
        ),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_comments = models.TextField(_("campaign office's comments"), blank=True)
    submission_count = models.PositiveSmallIntegerField(_("times submitted"), default=0, editable=False)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        ordering = ["office__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "office"], name="plan_one_per_office"),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "approved"])
                | (Q(approved_collectively_on__isnull=False) & Q(submitted_at__isnull=False) & ~Q(summary="")),
                name="plan_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comments=""), name="plan_returned_has_comments"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "returned"]) | Q(reviewed_at__isnull=False),
                name="plan_reviewed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.campaign}"

    @property
    def text_editable(self) -> bool:
        return self.status in self.TEXT_EDITABLE

    @property
    def accepts_commitments(self) -> bool:
        return self.status in self.ACCEPTS_COMMITMENTS
