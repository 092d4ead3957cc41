"""Offices, users, campaigns, phases and tasks: the backbone every other app uses."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import CampaignQuerySet, PhaseQuerySet, TaskQuerySet
from .storage import private_storage
from .validators import validate_attachment


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Office(TimeStampedModel):
    """A unit of government: city, district or township, or a department under one."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county")
        TOWNSHIP = "township", _("Township / street")
        DEPARTMENT = "department", _("Department")

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level, default=Level.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="office_name_unique_under_parent"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="office_top_name_unique"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="office_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self):
        # Walk up the tree: an office may not become its own ancestor.
        seen = {self.pk} if self.pk else set()
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError(
                    {"parent": _("An office cannot be placed under itself or its own sub-office.")}
                )
            seen.add(node.pk)
            node = node.parent


class User(AbstractUser):
    """A staff member. Citizens never have accounts."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("The office this staff member works in."),
    )
    title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    notify_by_email = models.BooleanField(_("notify me by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("notify me by SMS"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.has_perm("campaigns.coordinate_campaign")

    @property
    def can_read_all(self) -> bool:
        return self.has_perm("campaigns.view_all_tasks")


class Campaign(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    is_current = models.BooleanField(
        _("current campaign"),
        default=False,
        help_text=_("The campaign shown on the public site. Only one campaign can be current."),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_campaign"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="campaign_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The campaign cannot end before it starts.")
        if self.is_current:
            others = Campaign.objects.filter(is_current=True).exclude(pk=self.pk)
            other = others.first()
            if other is not None:
                errors["is_current"] = _(
                    "“%(name)s” is already the current campaign. Clear it there first."
                ) % {"name": other.name}
        if errors:
            raise ValidationError(errors)

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase running on ``day``, computed from the dates (never stored)."""
        for phase in self.phases.all():
            if phase.start_date <= day <= phase.end_date:
                return phase
        return None


class Phase(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="phases"
    )
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
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="phase_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="phase_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def is_current_on(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    def clean(self):
        from .services import phase_dates_errors

        if self.campaign_id and self.start_date and self.end_date:
            siblings = Phase.objects.filter(campaign_id=self.campaign_id).exclude(pk=self.pk)
            errors = phase_dates_errors(self, self.campaign, siblings)
            if errors:
                raise ValidationError(errors)


class Task(TimeStampedModel):
    """A numbered measure of a phase, carried out by a lead office and co-offices."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    offices = models.ManyToManyField(
        Office, through="TaskAssignment", related_name="tasks", verbose_name=_("offices")
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["phase__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "number"], name="task_number_unique"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="task_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False)
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="task_completed_at_iff_done",
            ),
        ]
        permissions = [
            ("coordinate_campaign", _("Can coordinate the campaign (all offices)")),
            ("view_all_tasks", _("Can read every office's tasks")),
            ("report_on_task", _("Can report progress on own office's tasks")),
            ("comment_on_task", _("Can comment on tasks")),
        ]

    def __str__(self) -> str:
        return f"{self.phase.order}.{self.number} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.phase.order}.{self.number}"

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.status != self.Status.DONE and self.deadline < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def clean(self):
        errors = {}
        if self.phase_id and self.deadline:
            phase = self.phase
            if self.deadline < phase.start_date:
                errors["deadline"] = _(
                    "The deadline cannot be before the phase starts (%(date)s)."
                ) % {"date": phase.start_date.isoformat()}
            elif self.deadline > phase.campaign.end_date:
                errors["deadline"] = _(
                    "The deadline cannot be after the campaign ends (%(date)s)."
                ) % {"date": phase.campaign.end_date.isoformat()}
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors["progress"] = _("Progress must be between 0 and 100.")
        if errors:
            raise ValidationError(errors)


class TaskAssignment(TimeStampedModel):
    """One office's part in a task: the lead (牵头) or a co-office (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead office")
        CO = "co", _("Co-office")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role, default=Role.CO)
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the task's deadline. Never after it."),
    )
    submitted_at = models.DateTimeField(_("contribution submitted at"), null=True, blank=True)
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waiver_reason = models.TextField(_("reason for the waiver"), blank=True)

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["task", "-role", "office__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "office"], name="assignment_office_once"),
            models.UniqueConstraint(
                fields=["task"], condition=Q(role="lead"), name="assignment_one_lead"
            ),
            models.CheckConstraint(
                condition=Q(waived_at__isnull=True) | ~Q(waiver_reason=""),
                name="assignment_waiver_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(role="co") | (Q(waived_at__isnull=True) & Q(submitted_at__isnull=True)),
                name="assignment_lead_not_waived",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} ({self.get_role_display()})"

    @property
    def effective_due_date(self) -> dt.date:
        return self.due_date or self.task.deadline

    @property
    def is_settled(self) -> bool:
        """A co-office whose part no longer holds up the task."""
        return self.submitted_at is not None or self.waived_at is not None

    def clean(self):
        # In the admin the task may still be unsaved: use the related object, not task_id.
        task = self.task if self._state.fields_cache.get("task") or self.task_id else None
        if self.due_date and task is not None and task.deadline and self.due_date > task.deadline:
            raise ValidationError(
                {"due_date": _("An office's due date cannot be after the task's deadline (%(date)s).")
                 % {"date": task.deadline.isoformat()}}
            )


def task_report_upload_to(instance: TaskReport, filename: str) -> str:
    from .validators import generated_name

    return f"task-reports/{timezone.now():%Y/%m}/{generated_name(filename)}"


class TaskReport(models.Model):
    """A progress report an assigned office files on a task."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="task_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="task_reports",
    )
    report_date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("report"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    contribution_complete = models.BooleanField(
        _("our contribution is complete"),
        default=False,
        help_text=_("For co-offices: marks your office's part of the task as submitted."),
    )
    attachment = models.FileField(
        _("attachment"),
        upload_to=task_report_upload_to,
        storage=private_storage,
        blank=True,
        validators=[validate_attachment],
    )
    attachment_name = models.CharField(_("original file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="report_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.office} · {self.report_date}"


class TaskComment(models.Model):
    """A remark by a supervisor or the campaign office; changes nothing."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task comment")
        verbose_name_plural = _("task comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class AuditEvent(models.Model):
    """Who did what to which record, for every business action in the portal."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=64)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}"

    @classmethod
    def record(cls, target: models.Model, actor, verb: str, **data) -> AuditEvent:
        return cls.objects.create(
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            verb=verb,
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            data=data,
        )


class CalendarDay(TimeStampedModel):
    """An exception to the Monday–Friday working week: a public holiday on a
    weekday, or a weekend day made a working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Make-up working day (调休)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=80, blank=True, help_text=_("e.g. National Day"))

    class Meta:
        verbose_name = _("work calendar day")
        verbose_name_plural = _("work calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()
