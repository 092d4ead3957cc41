"""The campaign and its phases."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kernel.models import TimeStampedModel

from ..querysets import CampaignQuerySet, PhaseQuerySet


class Campaign(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    # The node of the office tree the campaign belongs to (the city's campaign, a
    # district's): the offices under it take part, and its users see it
    # (``CampaignQuerySet.for_user``). Empty: the whole tree.
    office = models.ForeignKey(
        "campaigns.Office",
        verbose_name=_("level of government"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text=_(
            "The city, district or township whose campaign this is: the offices under it take part. "
            "Empty: the whole office tree."
        ),
    )
    # Several campaigns run at once; the current one is only the one shown first
    # (in the switcher, and by a page whose address names no campaign).
    is_current = models.BooleanField(
        _("shown first"),
        default=False,
        help_text=_(
            "Several campaigns can run at once; this one is shown first, on pages whose address names no "
            "campaign. Only one campaign can be shown first."
        ),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_campaign"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="campaign_dates_ordered"),
            models.CheckConstraint(condition=~Q(is_current=True, status="draft"), name="campaign_current_not_draft"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The campaign cannot end before it starts.")
        from ..services import campaign_status_errors

        errors.update(campaign_status_errors(self))
        if self.is_current and "is_current" not in errors:
            others = Campaign.objects.filter(is_current=True).exclude(pk=self.pk)
            other = others.first()
            if other is not None:
                errors["is_current"] = _("“%(name)s” is already the current campaign. Clear it there first.") % {
                    "name": other.name
                }
        if errors:
            raise ValidationError(errors)

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase running on ``day``, computed from the dates (never stored)."""
        for phase in self.phases.all():
            if phase.start_date <= day <= phase.end_date:
                return phase
        return None


class Phase(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveIntegerField(_("order"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=120)
    goal = models.TextField(_("goal"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    objects = PhaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="phase_order_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="phase_dates_ordered"),
            models.CheckConstraint(condition=Q(order__gte=1), name="phase_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if adding or (update_fields is not None and "end_date" not in update_fields):
            return
        # The tasks without a deadline of their own end with the phase, wherever it moved.
        self.tasks.filter(deadline_follows_phase=True).exclude(deadline=self.end_date).update(deadline=self.end_date)

    def is_current_on(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    def clean(self):
        from ..services import phase_dates_errors

        # The admin's inline formset checks the phases against each other as they
        # are being saved (a boundary moved between two phases in one save); the
        # rows still in the database would wrongly overlap.
        if getattr(self, "_siblings_checked_by_formset", False):
            return
        if self.campaign_id and self.start_date and self.end_date:
            siblings = Phase.objects.filter(campaign_id=self.campaign_id).exclude(pk=self.pk)
            errors = phase_dates_errors(self, self.campaign, siblings)
            if errors:
                raise ValidationError(errors)


class Section(TimeStampedModel):
    """A content area of a phase between the phase and its tasks, as a plan's
    "（一）进一步转变干部作风 … （十）加强行政效能监察工作" with numbered measures under each."""

    phase = models.ForeignKey(Phase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("order"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["phase", "order"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "order"], name="section_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title
