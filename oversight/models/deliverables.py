"""阶段材料: the documents each office must hand in for a phase, and the versions it uploads."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Office, Phase
from kernel.models import TimeStampedModel

from ..querysets import DeliverableQuerySet, SubmissionQuerySet
from .common import private_storage


class Deliverable(TimeStampedModel):
    """One document every office it applies to must hand in by ``due_date``."""

    class Kind(models.TextChoices):
        SELF_INSPECTION = "self_inspection", _("Self-inspection report (自查报告)")
        PROBLEM_LIST = "problem_list", _("Problem list (问题清单)")
        RECTIFICATION_LEDGER = "rectification_ledger", _("Rectification ledger (整改台账)")
        RECTIFICATION_PLAN = "rectification_plan", _("Rectification plan (整改方案)")
        SUMMARY_REPORT = "summary_report", _("Summary report (总结报告)")
        OTHER = "other", _("Other document")

    phase = models.ForeignKey(Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="deliverables")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what to hand in"), blank=True, help_text=_("Shown to the offices above the upload form.")
    )
    due_date = models.DateField(_("due date"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    offices = models.ManyToManyField(
        Office,
        verbose_name=_("offices it applies to"),
        related_name="deliverables",
        blank=True,
        help_text=_("Only these offices hand it in; the others cannot upload it."),
    )

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("phase deliverable")
        verbose_name_plural = _("phase deliverables")
        ordering = ["phase__order", "order", "due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "title"], name="deliverable_title_unique_in_phase"),
        ]
        permissions = [
            ("submit_deliverables", _("Can upload his or her office's phase deliverables")),
            ("review_deliverables", _("Can accept or return phase deliverables (campaign office)")),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.phase_id and self.due_date:
            phase = self.phase
            if self.due_date < phase.start_date:
                raise ValidationError(
                    {
                        "due_date": _("The due date cannot be before the phase starts (%(date)s).")
                        % {"date": phase.start_date.isoformat()}
                    }
                )
            if self.due_date > phase.campaign.end_date:
                raise ValidationError(
                    {
                        "due_date": _("The due date cannot be after the campaign ends (%(date)s).")
                        % {"date": phase.campaign.end_date.isoformat()}
                    }
                )

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.due_date < day


def submission_upload_to(instance: Submission, filename: str) -> str:
    from kernel.validators import generated_name

    return f"deliverables/{timezone.now():%Y/%m}/{generated_name(filename)}"


class Submission(models.Model):
    """One uploaded version of a deliverable by one office; the latest version counts."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        ACCEPTED = "accepted", pgettext_lazy("deliverable", "Accepted")
        RETURNED = "returned", _("Returned for changes")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("deliverable"), on_delete=models.PROTECT, related_name="submissions"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="deliverable_submissions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=submission_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    note = models.TextField(_("note to the campaign office"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable submission")
        verbose_name_plural = _("deliverable submissions")
        ordering = ["deliverable", "office", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "office", "version"], name="submission_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="submission_version_positive"),
            # A decision has a reviewer and a time; a return always says why.
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "returned"])
                | (Q(reviewed_at__isnull=False) & Q(reviewed_by__isnull=False)),
                name="submission_review_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""), name="submission_return_has_comment"
            ),
            # At most one version of a deliverable per office waits for review or stands accepted.
            models.UniqueConstraint(
                fields=["deliverable", "office"],
                condition=Q(status__in=["submitted", "accepted"]),
                name="submission_one_live_version",
            ),
        ]
        indexes = [
            # The matrix's "latest version of each (deliverable, office)" subquery.
            models.Index(fields=["deliverable", "office", "-version"], name="submission_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} · {self.office} · v{self.version}"

    @property
    def submitted_on_time(self) -> bool:
        return timezone.localdate(self.submitted_at) <= self.deliverable.due_date
