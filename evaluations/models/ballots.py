"""Invitations, the register of who has voted, and the ballots.

One person answers once, and nobody can tell how they answered:

* An ``Invitation`` (a one-time token handed to a named person) and the
  ``Participation`` that marks it used are never joined to the ``Ballot``:
  there is no foreign key between them, ballots and answers have random
  (UUID) keys rather than numbers that follow the order of voting, and a
  ballot keeps only the day it was cast, not the time.
* "Once" is the database's job: the invitation is claimed with a conditional
  UPDATE in the same transaction that stores the ballot, and ``Participation``
  has a unique constraint per invitation (and per browser, for the open link).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Office

from .surveys import Option, Question, Rating, RespondentGroup, Survey


class InvitationBatch(models.Model):
    """Invitations generated together, e.g. "for the enterprises' forum on 12 Dec"."""

    group = models.ForeignKey(
        RespondentGroup, verbose_name=_("respondent group"), on_delete=models.CASCADE, related_name="batches"
    )
    label = models.CharField(
        _("label"),
        max_length=120,
        blank=True,
        help_text=_("What the batch is for, e.g. “enterprises' forum, 12 December”."),
    )
    size = models.PositiveSmallIntegerField(_("number of invitations"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"


class Invitation(models.Model):
    """A one-time token. Its note says who it was given to; it is never shown with answers."""

    batch = models.ForeignKey(
        InvitationBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="invitations"
    )
    group = models.ForeignKey(
        RespondentGroup, verbose_name=_("respondent group"), on_delete=models.CASCADE, related_name="invitations"
    )
    number = models.PositiveSmallIntegerField(_("number in batch"))
    token = models.CharField(_("code"), max_length=32, unique=True)
    note = models.CharField(
        _("given to"),
        max_length=200,
        blank=True,
        help_text=_("Who received it. Only the campaign office sees this, never with any answer."),
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="invitation_number_unique_in_batch"),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True), name="invitation_not_used_and_revoked"
            ),
        ]
        indexes = [models.Index(fields=["group", "used_at"], name="invitation_group_used_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What is printed beside the code, to hand the slips out and note who got which."""
        return f"{self.batch_id}-{self.number:03d}"

    @property
    def display_code(self) -> str:
        from ..tokens import format_token

        return format_token(self.token)

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        return "unused"


class Participation(models.Model):
    """The register of who has voted (the tick beside a name), kept apart from the ballot.

    It holds the invitation used, or for an open public link a keyed hash of the
    browser's cookie, and nothing that leads to the ballot."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    group = models.ForeignKey(RespondentGroup, on_delete=models.CASCADE, related_name="participations")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="participation"
    )
    browser_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            # One ballot per browser and survey on the open link (one per invitation: the OneToOneField).
            models.UniqueConstraint(
                fields=["survey", "browser_key"], condition=~Q(browser_key=""), name="participation_browser_once"
            ),
            models.CheckConstraint(
                condition=(Q(invitation__isnull=False) & Q(browser_key=""))
                | (Q(invitation__isnull=True) & ~Q(browser_key="")),
                name="participation_invitation_xor_browser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.group_id}"


class Ballot(models.Model):
    class Channel(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        OPEN_LINK = "open_link", _("Open public link")

    # Random keys, so that the order of the rows says nothing about the order of voting.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="ballots")
    group = models.ForeignKey(
        RespondentGroup, verbose_name=_("respondent group"), on_delete=models.PROTECT, related_name="ballots"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel)
    # The day only: an exact time would pair each ballot with the invitation used at that moment.
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [models.Index(fields=["survey", "group", "channel"], name="ballot_survey_group_idx")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.group_id}"


class Answer(models.Model):
    """One answer of one ballot: an office's rating in the matrix, a chosen option
    (one row per option for multiple choice), a 1–5 value or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=12, choices=Rating, blank=True)
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(office__isnull=True) & Q(rating=""))
                | (Q(office__isnull=False) & Q(rating__in=Rating.values)),
                name="answer_rating_iff_office",
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | (Q(scale__gte=1) & Q(scale__lte=5)), name="answer_scale_1_5"
            ),
            models.UniqueConstraint(
                fields=["ballot", "question", "office"], condition=Q(office__isnull=False), name="answer_office_once"
            ),
            models.UniqueConstraint(
                fields=["ballot", "question", "option"], condition=Q(option__isnull=False), name="answer_option_once"
            ),
            models.UniqueConstraint(
                fields=["ballot", "question"],
                condition=Q(office__isnull=True, option__isnull=True),
                name="answer_value_once",
            ),
        ]
        # The results page counts the matrix by office, rating and group.
        indexes = [models.Index(fields=["question", "office", "rating"], name="answer_matrix_idx")]

    def __str__(self) -> str:
        return f"{self.ballot_id}/{self.question_id}"
