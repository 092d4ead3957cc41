"""What the public and the supervisors say about commitments, and the look-backs
(回头看) the campaign office decides on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .commitments import Commitment

COMMENT_MAX = 2000


class Rating(models.Model):
    """One citizen's rating; one per browser per commitment (a cookie), no account."""

    class Value(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="ratings")
    value = models.CharField(_("rating"), max_length=12, choices=Value)
    # sha256 of the browser's random cookie token and of the address: nothing that names anyone.
    browser_key = models.CharField(max_length=64, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("public rating")
        verbose_name_plural = _("public ratings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "browser_key"], name="rating_once_per_browser"),
        ]
        indexes = [models.Index(fields=["commitment", "created_at"], name="rating_commitment_idx")]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.value}"


class PublicComment(models.Model):
    """A citizen's comment; held until the campaign office publishes it."""

    class State(models.TextChoices):
        HELD = "held", _("Held for moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="comments")
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    text = models.TextField(_("comment"))
    has_link = models.BooleanField(_("contains a link"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.HELD, db_index=True)
    browser_key = models.CharField(max_length=64, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderation_note = models.TextField(_("moderator's note"), blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="held") & Q(moderated_at__isnull=True))
                | (~Q(state="held") & Q(moderated_at__isnull=False)),
                name="comment_moderated_iff_not_held",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="comment_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class SupervisorFlag(models.Model):
    """A supervisor's request that the campaign office look at a commitment again."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("flagged by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    lookback = models.ForeignKey(
        "LookBack",
        verbose_name=_("settled by look-back"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flags",
    )

    class Meta:
        verbose_name = _("supervisor's flag")
        verbose_name_plural = _("supervisors' flags")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "flagged_by"],
                condition=Q(lookback__isnull=True),
                name="flag_open_once",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="flag_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.flagged_by}"


class LookBack(models.Model):
    """A look-back decision: reopen the commitment, or keep it as it is."""

    class Outcome(models.TextChoices):
        REOPENED = "reopened", _("Reopened")
        KEPT = "kept", _("Kept as it is")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="lookbacks")
    number = models.PositiveSmallIntegerField(_("look-back"))
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome)
    reason = models.TextField(_("reason"))
    previous_status = models.CharField(_("status before"), max_length=12, choices=Commitment.Status)
    ratings = models.PositiveIntegerField(_("ratings counted"), default=0)
    dissatisfied = models.PositiveIntegerField(_("of which dissatisfied"), default=0)
    flag_count = models.PositiveSmallIntegerField(_("supervisors’ flags"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("look-back")
        verbose_name_plural = _("look-backs")
        ordering = ["commitment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="lookback_number_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="lookback_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} #{self.number} {self.outcome}"
