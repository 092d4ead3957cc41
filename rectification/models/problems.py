"""Problems found (查摆问题): what an office's rectification answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office
from kernel.models import TimeStampedModel

from ..querysets import ProblemQuerySet


class Problem(TimeStampedModel):
    class Source(models.TextChoices):
        COMPLAINT = "complaint", _("Complaints")
        APPRAISAL = "appraisal", _("Appraisal result")
        SELF_INSPECTION = "self_inspection", _("Self-inspection")
        HEARING = "hearing", _("Hearing")
        SUPERVISOR = "supervisor", _("Supervisor's report")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        SIGNIFICANT = "significant", _("Significant")
        SERIOUS = "serious", _("Serious")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="rectification_problems"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="rectification_problems"
    )
    description = models.TextField(_("problem"))
    source = models.CharField(_("found through"), max_length=20, choices=Source)
    severity = models.CharField(_("severity"), max_length=12, choices=Severity, default=Severity.SIGNIFICANT)
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    complaints = models.ManyToManyField(
        "complaints.Complaint", verbose_name=_("complaints"), blank=True, related_name="rectification_problems"
    )
    # Set for hotspots: the problem type the complaints share.
    problem_type = models.ForeignKey(
        "complaints.ProblemType",
        verbose_name=_("problem type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_hotspot = models.BooleanField(
        _("raised automatically as a hotspot"),
        default=False,
        editable=False,
    )
    # Appraisals are built in their own app: a free-text reference now, and a
    # generic link to the appraisal result once that app has one to point at.
    appraisal_reference = models.CharField(
        _("appraisal reference"),
        max_length=200,
        blank=True,
        help_text=_("Which survey or appraisal result found the problem, e.g. “2026 民主评议, item 3”."),
    )
    appraisal_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appraisal_id = models.PositiveBigIntegerField(null=True, blank=True)
    appraisal = GenericForeignKey("appraisal_type", "appraisal_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when raised automatically."),
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem found")
        verbose_name_plural = _("problems found")
        ordering = ["-found_on", "-pk"]
        constraints = [
            # Once per hotspot: a second run of the detection, or a parallel one, adds to the first.
            models.UniqueConstraint(
                fields=["campaign", "office", "problem_type"],
                condition=Q(is_hotspot=True),
                name="problem_one_hotspot_per_type",
            ),
            models.CheckConstraint(
                condition=Q(is_hotspot=False) | (Q(problem_type__isnull=False) & Q(source="complaint")),
                name="problem_hotspot_has_type",
            ),
            models.CheckConstraint(
                condition=~Q(source="appraisal") | ~Q(appraisal_reference="") | Q(appraisal_id__isnull=False),
                name="problem_appraisal_has_reference",
            ),
            models.CheckConstraint(
                condition=(Q(appraisal_type__isnull=True) & Q(appraisal_id__isnull=True))
                | (Q(appraisal_type__isnull=False) & Q(appraisal_id__isnull=False)),
                name="problem_appraisal_link_whole",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="problem_has_description"),
        ]
        indexes = [models.Index(fields=["campaign", "office"], name="problem_office_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:40]}"

    @property
    def code(self) -> str:
        return f"P{self.pk}"
