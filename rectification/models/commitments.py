"""Commitments (整改承诺), their revisions and their progress with evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Office
from kernel.models import TimeStampedModel
from kernel.storage import private_storage  # noqa: F401 (migrations refer to it here)

from ..querysets import CommitmentQuerySet
from .plans import Plan
from .problems import Problem


def evidence_upload_to(instance, filename: str) -> str:
    from kernel.validators import generated_name

    return f"rectification/{timezone.now():%Y/%m}/{generated_name(filename)}"


class Commitment(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed, awaiting verification")
        VERIFIED = "verified", _("Verified")
        SENT_BACK = "sent_back", _("Sent back")
        REOPENED = "reopened", _("Reopened (look-back)")

    # Work remains: progress may be reported, completion claimed, reminders sent.
    OPEN_STATUSES = [Status.PUBLISHED, Status.IN_PROGRESS, Status.SENT_BACK, Status.REOPENED]
    DONE_STATUSES = [Status.COMPLETED, Status.VERIFIED]

    class Handling(models.TextChoices):
        IMMEDIATE = "immediate", _("Fix at once")
        BY_DEADLINE = "by_deadline", _("Fix by a deadline")
        GRADUAL = "gradual", _("Step by step, explained publicly")
        UPWARD = "upward", _("Reported upward for coordination")

    class Scope(models.TextChoices):
        INTERNAL = "internal", _("Internal (within the office only)")
        PUBLIC = "public", _("Public")
        MEDIA = "media", _("Public and through the media")

    PUBLIC_SCOPES = [Scope.PUBLIC, Scope.MEDIA]
    # A published commitment's scope may widen but never narrow.
    SCOPE_ORDER: dict[str, int] = {Scope.INTERNAL: 0, Scope.PUBLIC: 1, Scope.MEDIA: 2}

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="commitments")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    problems = models.ManyToManyField(Problem, verbose_name=_("problems it answers"), related_name="commitments")
    content = models.TextField(_("what will be rectified"))
    measures = models.TextField(_("measures"))
    goal = models.TextField(_("goal"))
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(_("original deadline"))
    responsible_office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        related_name="rectification_commitments",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=80)
    responsible_title = models.CharField(_("responsible person's title"), max_length=80, blank=True)
    handling = models.CharField(_("handling"), max_length=12, choices=Handling, default=Handling.BY_DEADLINE)
    explanation = models.TextField(
        _("public explanation"),
        blank=True,
        help_text=_("For step-by-step handling: why it cannot be fixed at once, and the steps."),
    )
    higher_office = models.ForeignKey(
        Office,
        verbose_name=_("higher office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For upward reports: the office asked to coordinate."),
    )
    scope = models.CharField(_("publication scope"), max_length=10, choices=Scope, default=Scope.PUBLIC)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completion claimed at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    send_back_reason = models.TextField(_("why it was sent back"), blank=True)
    send_back_count = models.PositiveSmallIntegerField(default=0, editable=False)
    claim_count = models.PositiveSmallIntegerField(default=0, editable=False)
    lookback_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # Ratings before a look-back decision do not bring the commitment back to the queue.
    ratings_since = models.DateTimeField(_("ratings counted since"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_number_unique"),
            models.CheckConstraint(
                condition=~Q(content="") & ~Q(measures="") & ~Q(goal="") & ~Q(responsible_person=""),
                name="commitment_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(handling="gradual") | ~Q(explanation=""), name="commitment_gradual_explained"
            ),
            models.CheckConstraint(
                condition=~Q(handling="upward") | Q(higher_office__isnull=False), name="commitment_upward_has_office"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="commitment_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="commitment_published_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "verified"]) | Q(completed_at__isnull=False),
                name="commitment_done_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False), name="commitment_verified_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent_back") | ~Q(send_back_reason=""), name="commitment_sent_back_has_reason"
            ),
        ]
        indexes = [
            # The reminder sweep's and the board's "open, by deadline".
            models.Index(fields=["status", "deadline"], name="commitment_status_due_idx"),
        ]
        permissions = [
            (
                "coordinate_rectification",
                _("Can review plans, verify commitments, moderate comments and run look-backs"),
            ),
            ("view_all_rectification", _("Can read every office's rectification, internal commitments included")),
            ("work_on_rectification", _("Can write its own office's problems, plan and commitments")),
            ("flag_commitment", _("Can flag a public commitment for a look-back")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.content[:40]}"

    @property
    def code(self) -> str:
        """``<office short name>-<number>``; reads plan.office (select it with the row)."""
        return f"{self.plan.office.display_name}-{self.number}"

    @property
    def is_public(self) -> bool:
        return self.scope in self.PUBLIC_SCOPES and self.status != self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.is_open and self.deadline < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def was_extended(self) -> bool:
        return self.deadline > self.original_deadline


class CommitmentRevision(models.Model):
    """The text before one edit of a published commitment, with who, when and why."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    changed_fields = models.JSONField(_("changed"), default=list)
    content = models.TextField(_("earlier content"))
    measures = models.TextField(_("earlier measures"))
    goal = models.TextField(_("earlier goal"))
    deadline = models.DateField(_("earlier deadline"))
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revised by"), on_delete=models.PROTECT, related_name="+"
    )
    revised_at = models.DateTimeField(_("revised at"), default=timezone.now)

    class Meta:
        verbose_name = _("commitment revision")
        verbose_name_plural = _("commitment revisions")
        ordering = ["commitment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="revision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} r{self.number}"

    @property
    def text_changed(self) -> bool:
        return bool({"content", "measures", "goal"} & set(self.changed_fields))

    @property
    def deadline_changed(self) -> bool:
        return self.new_deadline != self.deadline

    @property
    def is_extension(self) -> bool:
        return self.new_deadline > self.deadline


class ProgressUpdate(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        COMPLETION = "completion", _("Completion claimed")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.PROGRESS)
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("what was done"))
    decrease_reason = models.TextField(_("why progress went down"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["reported_on", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="update_percent_0_100"),
            models.CheckConstraint(condition=~Q(kind="completion") | Q(percent=100), name="update_completion_is_100"),
            models.CheckConstraint(condition=~Q(text=""), name="update_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.reported_on} {self.percent}%"


class Evidence(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_upload_to, storage=private_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
