"""Reminders before deadlines, escalations after them, and every notice sent.

The database is the source of truth: a periodic sweep decides what is due and
writes one ``Notification`` row per (object, deadline, step, recipient) — a
unique constraint makes a second sweep, or a parallel one, a no-op — and the
rows are then delivered by claiming them one at a time.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .texts import Text


class DeadlineKind(models.TextChoices):
    TASK = "task", _("Task deadlines")
    COMPLAINT_ACCEPT = "complaint_accept", _("Complaint acceptance limits")
    COMPLAINT_COMPLETE = "complaint_complete", _("Complaint completion limits")
    COMMITMENT = "commitment", _("Rectification commitment deadlines")
    SURVEY = "survey", _("Appraisal survey closing")
    DELIVERABLE = "deliverable", _("Phase deliverable due dates")


# Deadlines counted in working days (the complaints' 限时办结); others in calendar days.
WORKING_DAY_KINDS = {DeadlineKind.COMPLAINT_ACCEPT, DeadlineKind.COMPLAINT_COMPLETE}


def _parse_days(value: str) -> list[int]:
    days = []
    for part in (value or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValidationError(_("List whole numbers of days separated by commas, e.g. 7, 3, 1, 0."))
        days.append(int(part))
    return sorted(set(days), reverse=True)


class ReminderRule(models.Model):
    """When to remind before one kind of deadline, and how to escalate after it."""

    kind = models.CharField(_("kind of deadline"), max_length=24, choices=DeadlineKind, unique=True)
    days_before = models.CharField(
        _("remind this many days before"),
        max_length=60,
        default="7, 3, 1, 0",
        help_text=_("Comma-separated; 0 is the day itself. Working days for complaints, calendar days otherwise."),
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("then repeat every (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("After the last step of the ladder, while it stays overdue."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self):
        try:
            _parse_days(self.days_before)
        except ValidationError as exc:
            raise ValidationError({"days_before": exc.messages}) from exc

    @property
    def offsets(self) -> list[int]:
        return _parse_days(self.days_before)

    @property
    def working_days(self) -> bool:
        return self.kind in WORKING_DAY_KINDS

    @classmethod
    def ensure_defaults(cls) -> None:
        for kind in DeadlineKind.values:
            rule, created = cls.objects.get_or_create(kind=kind)
            if created:
                EscalationStep.objects.bulk_create(
                    [
                        EscalationStep(rule=rule, days_overdue=1, notify_responsible=True, notify_office_head=True),
                        EscalationStep(
                            rule=rule,
                            days_overdue=3,
                            notify_responsible=True,
                            notify_office_head=True,
                            notify_oversight=True,
                        ),
                    ]
                )


class EscalationStep(models.Model):
    """A rung of the overdue ladder: on this day overdue, notify these people."""

    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="ladder")
    days_overdue = models.PositiveSmallIntegerField(_("days overdue"), validators=[MinValueValidator(1)])
    notify_responsible = models.BooleanField(_("the responsible staff"), default=True)
    notify_office_head = models.BooleanField(_("the office head"), default=True)
    notify_oversight = models.BooleanField(
        _("the campaign office (the complaint centre for complaints)"), default=False
    )

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation ladder")
        ordering = ["rule", "days_overdue"]
        constraints = [models.UniqueConstraint(fields=["rule", "days_overdue"], name="escalation_day_once")]

    def __str__(self) -> str:
        return f"+{self.days_overdue}"


class Notification(models.Model):
    """One notice to one person: a reminder, an escalation or news of a complaint.

    Every notice to a staff member is in their inbox; e-mail and SMS are sent
    according to their profile. Complainants get e-mail only.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will retry")
        GAVE_UP = "gave_up", _("Failed, gave up")

    kind = models.CharField(_("kind"), max_length=24)
    step = models.CharField(_("step"), max_length=24)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    deadline = models.DateField(_("deadline"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # "u<user id>" or "e<e-mail>": part of the exactly-once key, never null.
    recipient_key = models.CharField(max_length=260)
    language = models.CharField(max_length=10, blank=True)
    # The e-mail as it was sent, in ``language``.
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"))
    # The e-mail as it is to be sent when it holds a secret (a complainant's access
    # code), sealed by kernel.sealing; ``body`` then shows it with the secret masked.
    # Emptied once the e-mail is sent.
    sealed_body = models.TextField(blank=True, editable=False)
    # What the inbox shows, translated when it is read (``texts.Text`` as JSON):
    # {"subject": ..., "summary": ...}. Empty on notices written before it existed,
    # which show their e-mail's subject and first line.
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    send_email = models.BooleanField(default=False)
    send_sms = models.BooleanField(default=False)
    sms_to = models.CharField(max_length=20, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Exactly once: one notice per (object, deadline value, step, recipient).
            models.UniqueConstraint(
                fields=["target_type", "target_id", "deadline", "step", "recipient_key"],
                name="notification_exactly_once",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="notification_has_recipient"
            ),
        ]
        indexes = [
            # The delivery sweep's "what is waiting" query.
            models.Index(fields=["state", "next_attempt_at"], name="notification_due_idx"),
            # The inbox and the unread badge.
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def inbox_subject(self) -> str:
        """The subject in the reader's language of the moment."""
        if "subject" in self.texts:
            return Text.from_json(self.texts["subject"]).render()
        return self.subject

    @property
    def inbox_summary(self) -> str:
        """One line saying what the notice is about, in the reader's language of the
        moment; for an older notice, the first line of its e-mail after the greeting."""
        if "summary" in self.texts:
            return Text.from_json(self.texts["summary"]).render()
        return first_line(self.body)


def first_line(body: str, limit: int = 200) -> str:
    """The first line of a mail that says something: not the greeting ("Dear …,")."""
    lines = [line.strip() for line in (body or "").splitlines() if line.strip()]
    if len(lines) > 1 and lines[0][-1:] in (",", "，", ":", "："):
        lines = lines[1:]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
