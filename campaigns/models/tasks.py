"""The tasks of a phase, the offices assigned to each, and their reports and comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.models import TimeStampedModel
from kernel.storage import private_storage
from kernel.validators import validate_attachment

from ..querysets import TaskQuerySet
from .campaigns import Phase, Section
from .offices import Office


class Task(TimeStampedModel):
    """A numbered measure of a phase, carried out by a lead office and co-offices."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    phase = models.ForeignKey(Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        help_text=_("The content area of the phase this measure belongs to, if the plan has them."),
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Recurrence(models.TextChoices):
        MONTHLY = "monthly", _("Every month (每月)")
        QUARTERLY = "quarterly", _("Every quarter (每季度)")
        HALF_YEARLY = "half_yearly", _("Every half year (每半年)")
        TWICE_A_YEAR = "twice_a_year", _("At least twice a year (每年至少两次)")

    # ``deadline`` is always the task's date, whoever reads it (reminders, overdue,
    # ledgers, scorecards): a task without a deadline of its own keeps its phase's
    # end there, and Phase.save moves it with the phase (``deadline_follows_phase``).
    deadline = models.DateField(_("deadline"), blank=True, help_text=_("Leave empty: the task ends with its phase."))
    deadline_follows_phase = models.BooleanField(_("ends with its phase"), default=False, editable=False)
    recurrence = models.CharField(
        _("recurs"),
        max_length=16,
        choices=Recurrence,
        blank=True,
        help_text=_("A recurring task is its first occurrence; “Create the occurrences” adds one task per period."),
    )
    repeats = models.ForeignKey(
        "self",
        verbose_name=_("occurrence of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occurrences",
        editable=False,
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    offices: models.ManyToManyField[Office, TaskAssignment] = models.ManyToManyField(
        Office, through="TaskAssignment", related_name="tasks", verbose_name=_("offices")
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["phase__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "number"], name="task_number_unique"),
            # An occurrence per date: scheduling the occurrences twice adds none.
            models.UniqueConstraint(fields=["repeats", "deadline"], name="task_occurrence_once"),
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="task_progress_0_100"),
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
            ("follow_sub_offices", _("Can read the records of the offices under their own")),
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

    def follow_phase_deadline(self) -> None:
        """No deadline of its own: the task ends with its phase. A date other than the
        phase's end is the task's own."""
        if not self.phase_id:
            return
        end = self.phase.end_date
        if self.deadline is None:
            self.deadline, self.deadline_follows_phase = end, True
        elif self.deadline_follows_phase and self.deadline != end:
            self.deadline_follows_phase = False

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "deadline" in update_fields:
            self.follow_phase_deadline()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "deadline_follows_phase"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        self.follow_phase_deadline()
        if self.phase_id and self.deadline:
            phase = self.phase
            if self.deadline < phase.start_date:
                errors["deadline"] = _("The deadline cannot be before the phase starts (%(date)s).") % {
                    "date": phase.start_date.isoformat()
                }
            elif self.deadline > phase.campaign.end_date:
                errors["deadline"] = _("The deadline cannot be after the campaign ends (%(date)s).") % {
                    "date": phase.campaign.end_date.isoformat()
                }
        if self.section_id and self.phase_id and self.section.phase_id != self.phase_id:
            errors["section"] = _("The section belongs to another phase.")
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors["progress"] = _("Progress must be between 0 and 100.")
        if errors:
            raise ValidationError(errors)


class TaskAssignment(TimeStampedModel):
    """One office's part in a task: the lead (牵头) or a co-office (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead office")
        CO = "co", _("Co-office")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments")
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=8, choices=Role, default=Role.CO)
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the task's deadline. Never after it."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_for",
        help_text=_("The member of this office who answers for its part (落实到人)."),
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
            models.UniqueConstraint(fields=["task"], condition=Q(role="lead"), name="assignment_one_lead"),
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
        if self.responsible_id and self.office_id and self.responsible.office_id != self.office_id:
            raise ValidationError(
                {
                    "responsible": _("%(person)s is not a member of %(office)s.")
                    % {"person": self.responsible, "office": self.office}
                }
            )
        if self.due_date and task is not None and task.deadline and self.due_date > task.deadline:
            raise ValidationError(
                {
                    "due_date": _("An office's due date cannot be after the task's deadline (%(date)s).")
                    % {"date": task.deadline.isoformat()}
                }
            )


def task_report_upload_to(instance: TaskReport, filename: str) -> str:
    from kernel.validators import generated_name

    return f"task-reports/{timezone.now():%Y/%m}/{generated_name(filename)}"


class TaskReport(models.Model):
    """A progress report an assigned office files on a task."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="task_reports")
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
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="report_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.office} · {self.report_date}"


class TaskComment(models.Model):
    """A remark by a supervisor or the campaign office; changes nothing."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task comment")
        verbose_name_plural = _("task comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
