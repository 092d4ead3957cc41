"""The thresholds and choices the campaign office sets per campaign in the admin."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office, Phase
from kernel.models import TimeStampedModel


class RectificationSettings(TimeStampedModel):
    """One row per campaign; a campaign without one uses the defaults below."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="rectification_settings"
    )
    rectification_phase = models.ForeignKey(
        Phase,
        verbose_name=_("rectification phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The phase of this campaign in which offices rectify (整改). "
            "Its last day is when the campaign office may publish the results."
        ),
    )
    hotspot_min_complaints = models.PositiveSmallIntegerField(
        _("hotspot: substantiated complaints"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_(
            "This many substantiated complaints about one office, of one problem type, raise a problem automatically."
        ),
    )
    hotspot_days = models.PositiveSmallIntegerField(
        _("hotspot: within days"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("…received within this many days."),
    )
    lookback_min_ratings = models.PositiveSmallIntegerField(
        _("look-back: at least this many ratings"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    lookback_dissatisfied_share = models.PositiveSmallIntegerField(
        _("look-back: more than this share dissatisfied (%)"),
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
        help_text=_(
            "A commitment with at least the number of ratings above, of which more than this "
            "percentage are “dissatisfied”, goes to the look-back queue."
        ),
    )
    key_offices = models.ManyToManyField(
        Office,
        verbose_name=_("key departments"),
        blank=True,
        related_name="+",
        help_text=_("Key departments (重点部门) publish their public commitments through the media as well."),
    )

    class Meta:
        verbose_name = _("rectification settings")
        verbose_name_plural = _("rectification settings")
        constraints = [
            models.CheckConstraint(condition=Q(hotspot_min_complaints__gte=2), name="rect_settings_hotspot_min"),
            models.CheckConstraint(condition=Q(hotspot_days__gte=1), name="rect_settings_hotspot_days"),
            models.CheckConstraint(condition=Q(lookback_min_ratings__gte=1), name="rect_settings_lookback_min"),
            models.CheckConstraint(
                condition=Q(lookback_dissatisfied_share__lte=99), name="rect_settings_share_below_100"
            ),
        ]

    def __str__(self) -> str:
        return str(self.campaign)

    def clean(self):
        if (
            self.rectification_phase_id
            and self.campaign_id
            and self.rectification_phase.campaign_id != self.campaign_id
        ):
            raise ValidationError({"rectification_phase": _("Choose a phase of this campaign.")})

    @classmethod
    def for_campaign(cls, campaign_id) -> RectificationSettings:
        """The campaign's settings, or unsaved defaults when nobody has set any."""
        found = cls.objects.filter(campaign_id=campaign_id).select_related("rectification_phase").first()
        return found or cls(campaign_id=campaign_id)

    def key_office_ids(self) -> set[int]:
        if self.pk is None:
            return set()
        return set(self.key_offices.values_list("pk", flat=True))
