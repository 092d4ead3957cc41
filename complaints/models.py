"""Complaints (投诉) and the three systems: first-inquiry responsibility (首问负责),
time-limited completion (限时办结) and accountability (责任追究)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office
from kernel.models import TimeStampedModel
from kernel.storage import private_storage  # noqa: F401 (migrations refer to it here)

from .querysets import ComplaintQuerySet

if TYPE_CHECKING:
    from campaigns.models import User


class ProblemType(TimeStampedModel):
    """An admin-editable category; the seven of seed 001 (三.2) plus "other"."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (simplified Chinese)"), max_length=80)
    name_zh_hant = models.CharField(_("name (traditional Chinese)"), max_length=80, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    description = models.TextField(_("description (simplified Chinese)"), blank=True)
    description_zh_hant = models.TextField(_("description (traditional Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    accept_limit_days = models.PositiveSmallIntegerField(
        _("acceptance limit (working days)"), default=3, validators=[MinValueValidator(1)]
    )
    complete_limit_days = models.PositiveSmallIntegerField(
        _("completion limit (working days)"), default=15, validators=[MinValueValidator(1)]
    )
    is_corruption = models.BooleanField(
        _("corruption type"),
        default=False,
        help_text=_(
            "Complaints of this type (为政不廉) are never published as cases unless the centre decides so explicitly."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem type")
        verbose_name_plural = _("problem types")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(complete_limit_days__gte=F("accept_limit_days")),
                name="problemtype_limits_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "zh-hans").lower()
        if language == "zh-hant" and self.name_zh_hant:
            return self.name_zh_hant
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def display_description(self) -> str:
        """The description in the current language, as display_name is the name; the
        simplified Chinese one when the type has none in that language."""
        language = (get_language() or "zh-hans").lower()
        if language == "zh-hant" and self.description_zh_hant:
            return self.description_zh_hant
        if language.startswith("en") and self.description_en:
            return self.description_en
        return self.description


class SubmissionGuard(models.Model):
    """One row per (source, text) submitted lately: the duplicate guard locks it, so
    two identical submissions at once (a double click) are decided one after the
    other by the database and the second finds the first. Rows older than the
    duplicate window are deleted by the complaints' sweep."""

    fingerprint = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("duplicate guard")
        verbose_name_plural = _("duplicate guards")

    def __str__(self) -> str:
        return self.fingerprint


class TrackingCounter(models.Model):
    """The last tracking number handed out in a year; rows are locked to allocate."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tracking number counter")
        verbose_name_plural = _("tracking number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(TimeStampedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        ASSIGNED = "assigned", _("Assigned to an office")
        INVESTIGATING = "investigating", _("Under investigation")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", pgettext_lazy("complaint", "Closed")

    # Which statuses count as open, handling and final: complaints/rules.py.

    class Channel(models.TextChoices):
        WEB = "web", _("Public web form")
        HOTLINE = "hotline", _("Hotline")
        LETTER = "letter", _("Letter")
        VISIT = "visit", _("Visit")
        MAILBOX = "mailbox", _("Complaint mailbox")
        SUPERVISOR = "supervisor", _("Supervisor's report")
        OPEN311 = "open311", _("Open311 integration")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    access_code_hash = models.CharField(max_length=128, editable=False)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel, default=Channel.WEB)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
        help_text=_("Empty when the complainant was not sure."),
    )
    problem_type = models.ForeignKey(
        ProblemType, verbose_name=_("problem type"), on_delete=models.PROTECT, related_name="complaints"
    )
    description = models.TextField(_("what happened"))
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)
    location = models.CharField(_("where it happened"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.REGISTERED, db_index=True)

    # First-inquiry responsibility: who first received it, until a transfer is accepted.
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_first_received",
    )
    first_office = models.ForeignKey(
        Office,
        verbose_name=_("first receiving office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_first_received",
    )
    centre = models.ForeignKey(
        Office,
        verbose_name=_("complaint centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_at_centre",
        help_text=_(
            "The complaint centre that accepts, follows and closes it: the nearest above the office complained "
            "about, never the office itself nor its parent (rules.centre_for). Empty: any centre that sees it."
        ),
    )
    handling_office = models.ForeignKey(
        Office,
        verbose_name=_("handling office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_handled",
        help_text=_("Empty while the complaint centre holds it."),
    )
    pending_transfer_to = models.ForeignKey(
        Office,
        verbose_name=_("transfer pending to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_pending",
    )
    transfer_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Time limits (限时办结), in working days, copied from the type when received.
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    accept_limit_days = models.PositiveSmallIntegerField(_("acceptance limit (working days)"))
    complete_limit_days = models.PositiveSmallIntegerField(_("completion limit (working days)"))
    paused_working_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    accept_due = models.DateField(_("acceptance due"))
    complete_due = models.DateField(_("completion due"))
    paused_since = models.DateField(_("paused since"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_on_time = models.BooleanField(_("accepted on time"), null=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("completed on time"), null=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    not_accepted_reason = models.TextField(_("reason for not accepting"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    reply = models.TextField(_("reply to the complainant"), blank=True)
    substantiated = models.BooleanField(_("substantiated"), null=True)
    reward_eligible = models.BooleanField(_("eligible for a real-name reward"), default=False)
    rating = models.CharField(_("complainant's rating"), max_length=12, choices=Rating, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    review_count = models.PositiveSmallIntegerField(_("reviews requested"), default=0)
    publish_allowed = models.BooleanField(
        _("may be published as a case"),
        default=False,
        help_text=_(
            "Set by the complaint centre; required for corruption-type complaints to appear as a typical case."
        ),
    )

    # Abuse protection: the same text from the same source within minutes is one complaint.
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    source_key = models.CharField(max_length=64, blank=True, editable=False)
    open311_key = models.ForeignKey(
        "Open311Key", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints", editable=False
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        constraints = [
            # Conflict of interest: never handled by, nor transferred to, the office complained about.
            models.CheckConstraint(
                condition=Q(handling_office__isnull=True) | Q(office__isnull=True) | ~Q(handling_office=F("office")),
                name="complaint_not_handled_by_subject",
            ),
            models.CheckConstraint(
                condition=Q(pending_transfer_to__isnull=True)
                | Q(office__isnull=True)
                | ~Q(pending_transfer_to=F("office")),
                name="complaint_not_transferred_to_subject",
            ),
            models.CheckConstraint(condition=Q(review_count__lte=1), name="complaint_one_review"),
            models.CheckConstraint(
                condition=~Q(status="not_accepted") | ~Q(not_accepted_reason=""),
                name="complaint_not_accepted_has_reason",
            ),
            models.CheckConstraint(condition=Q(complete_due__gte=F("accept_due")), name="complaint_due_dates_ordered"),
        ]
        indexes = [
            models.Index(fields=["status", "complete_due"], name="complaint_status_due_idx"),
            models.Index(fields=["handling_office", "status"], name="complaint_handling_idx"),
            models.Index(fields=["source_key", "created_at"], name="complaint_source_idx"),
            # The staff queue's default order (newest first) and its reverse, read
            # page by page without sorting a million rows (docs/benchmarks.md).
            models.Index(fields=["received_on", "id"], name="complaint_received_idx"),
            # Open311's requests.json: the newest in a window of at most 90 days.
            models.Index(fields=["created_at", "id"], name="complaint_created_idx"),
            # An office's late complaints in due-date order (office dashboard), read
            # without visiting the thousands of open ones a busy office may hold.
            models.Index(
                fields=["handling_office", "accept_due"],
                condition=Q(status="registered"),
                name="complaint_late_accept_idx",
            ),
            models.Index(
                fields=["handling_office", "complete_due"],
                condition=Q(status__in=["accepted", "assigned", "investigating"]),
                name="complaint_late_complete_idx",
            ),
        ]
        permissions = [
            ("handle_complaints", _("Can work as the complaint centre (all complaints)")),
            ("view_complainant_identity", _("Can see complainants' identity and contact")),
            ("view_all_complaints", _("Can read every complaint (without identity)")),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        from .rules import OPEN

        return self.status in OPEN

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @cached_property
    def public_status(self) -> str:
        return self.get_status_display()


class ComplainantIdentity(models.Model):
    """Who complained and how to reach them. Only complaint-centre staff ever
    read this; every read is logged in ``IdentityAccess``."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="identity")
    name = models.CharField(_("name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("complainant identity")
        verbose_name_plural = _("complainant identities")

    def __str__(self) -> str:
        return str(self.complaint)

    @classmethod
    def too_long(cls, **values: str) -> list[tuple[str, str]]:
        """(field, message) for each value longer than its column holds, so any
        channel (the web form, Open311, staff entry) is refused before the write."""
        problems = []
        for field, value in values.items():
            column = cls._meta.get_field(field)
            assert isinstance(column, models.CharField) and column.max_length is not None
            limit = column.max_length
            if len(value or "") > limit:
                problems.append((field, _("Please keep it under %(n)d characters.") % {"n": limit}))
        return problems


class IdentityAccess(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="identity_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=40, default="view")

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.purpose} {self.at:%Y-%m-%d %H:%M}"


def complaint_upload_to(instance, filename):
    from kernel.validators import generated_name

    return f"complaints/{timezone.now():%Y/%m}/{generated_name(filename)}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=complaint_upload_to, storage=private_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    from_complainant = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class ComplaintEvent(models.Model):
    """The complaint's timeline. Public events are shown to the complainant."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
        TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted")
        TRANSFER_REFUSED = "transfer_refused", _("Transfer refused")
        INVESTIGATING = "investigating", _("Investigation started")
        INFO_REQUESTED = "info_requested", _("More information requested")
        INFO_ADDED = "info_added", _("Information added by the complainant")
        REPLIED = "replied", _("Replied")
        RATED = "rated", _("Rated by the complainant")
        REVIEW_REQUESTED = "review_requested", _("Review requested")
        CALLBACK = "callback", _("Callback recorded")
        CLOSED = "closed", pgettext_lazy("complaint", "Closed")
        IDENTITY_VIEWED = "identity_viewed", _("Identity viewed")
        CASE_OPENED = "case_opened", _("Accountability case opened")
        PUBLISHED = "published", _("Published as a typical case")
        NOTE = "note", _("Internal note")
        ESCALATED = "escalated", _("Escalated to the centre above")
        TAKEN_OVER = "taken_over", _("Taken over by the centre above")

    PUBLIC_KINDS = {
        Kind.REGISTERED,
        Kind.ACCEPTED,
        Kind.NOT_ACCEPTED,
        Kind.TRANSFER_ACCEPTED,
        Kind.INVESTIGATING,
        Kind.INFO_REQUESTED,
        Kind.INFO_ADDED,
        Kind.REPLIED,
        Kind.RATED,
        Kind.REVIEW_REQUESTED,
        Kind.CLOSED,
    }

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_public = models.BooleanField(default=False)
    public_note = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"

    @classmethod
    def record(
        cls,
        complaint: Complaint,
        actor: User | None,
        kind: str,
        *,
        public_note: str = "",
        internal_note: str = "",
        **data: Any,
    ) -> ComplaintEvent:
        event = cls.objects.create(
            complaint=complaint,
            created_at=timezone.now(),
            kind=kind,
            actor=actor if getattr(actor, "pk", None) else None,
            office=getattr(actor, "office", None) if getattr(actor, "pk", None) else None,
            is_public=kind in cls.PUBLIC_KINDS,
            public_note=public_note,
            internal_note=internal_note,
            data=data,
        )
        return event


class Callback(models.Model):
    """回访: the centre calls a real-name complainant back before closing."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="callback")
    called_on = models.DateField(_("date of the callback"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(_("what the complainant said"), blank=True)
    no_callback_reason = models.TextField(_("why there was no callback"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        constraints = [
            models.CheckConstraint(
                condition=(Q(called_on__isnull=False) & ~Q(outcome="")) | ~Q(no_callback_reason=""),
                name="callback_done_or_explained",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}"


class AccountabilityCase(TimeStampedModel):
    """责任追究: opened against an office when a limit is missed or a complaint is substantiated."""

    class Reason(models.TextChoices):
        ACCEPT_OVERDUE = "accept_overdue", _("Acceptance time limit missed")
        COMPLETE_OVERDUE = "complete_overdue", _("Completion time limit missed")
        SUBSTANTIATED = "substantiated", _("Complaint substantiated")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        NO_ACTION = "no_action", _("No action")
        REMINDER_TALK = "reminder_talk", _("Reminder talk (提醒谈话)")
        CRITICISM = "criticism", _("Criticism")
        PUBLIC_CRITICISM = "public_criticism", _("Public criticism (通报批评)")
        REFERRAL = "referral", _("Referral")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="cases")
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_cases",
    )
    person = models.CharField(_("responsible person"), max_length=80, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision, default=Decision.PENDING)
    reasoning = models.TextField(_("reasoning"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "reason"], name="case_once_per_reason"),
            models.CheckConstraint(
                condition=Q(decision="pending") | (~Q(reasoning="") & Q(decided_on__isnull=False)),
                name="case_decision_has_reasoning",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.get_reason_display()}"


class TypicalCase(TimeStampedModel):
    """典型案例: a redacted summary of a closed complaint, published as an example."""

    class Kind(models.TextChoices):
        POSITIVE = "positive", _("Positive example")
        NEGATIVE = "negative", _("Negative example")

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="typical_case")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"), help_text=_("Written for the public: no names, phone numbers or addresses.")
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class Open311Key(models.Model):
    """An API key issued to an integrating system; only its hash is stored."""

    name = models.CharField(_("system name"), max_length=120)
    prefix = models.CharField(_("key prefix"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
