"""A survey (问卷) of offices: who is appraised, who answers and with what weight,
and what is asked."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Office
from kernel.models import TimeStampedModel

from ..querysets import SurveyQuerySet


class Rating(models.TextChoices):
    """The four answers of the usual 民主评议 ballot, for each office."""

    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNKNOWN = "unknown", _("Don't know")


SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Survey(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions on the ballot."))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    offices = models.ManyToManyField(Office, verbose_name=_("offices appraised"), related_name="surveys", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    score_satisfied = models.DecimalField(
        _("score for “satisfied”"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=SCORE_VALIDATORS,
    )
    score_basic = models.DecimalField(
        _("score for “basically satisfied”"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=SCORE_VALIDATORS,
    )
    score_dissatisfied = models.DecimalField(
        _("score for “dissatisfied”"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=SCORE_VALIDATORS,
    )
    min_valid_responses = models.PositiveSmallIntegerField(
        _("valid responses needed to be ranked"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_(
            "An office with fewer valid responses (“don't know” is not one) is shown as "
            "“insufficient responses” and not ranked."
        ),
    )
    most_satisfactory_count = models.PositiveSmallIntegerField(
        _("most satisfactory offices named"),
        default=3,
        help_text=_("How many of the top-ranked offices are named 群众最满意单位 on the published results."),
    )
    lagging_count = models.PositiveSmallIntegerField(
        _("lagging offices named"),
        default=2,
        help_text=_("How many of the lowest-ranked offices are named as lagging on the published results."),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal survey")
        verbose_name_plural = _("appraisal surveys")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="survey_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(score_dissatisfied__gte=0)
                & Q(score_basic__gte=F("score_dissatisfied"))
                & Q(score_satisfied__gte=F("score_basic"))
                & Q(score_satisfied__lte=100),
                name="survey_scores_ordered_0_100",
            ),
            models.CheckConstraint(condition=Q(min_valid_responses__gte=1), name="survey_min_valid_positive"),
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False)
                | (~Q(status="published") & Q(published_at__isnull=True)),
                name="survey_published_at_iff_published",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opened_at__isnull=False), name="survey_opened_at_once_opened"
            ),
        ]
        permissions = [
            ("manage_appraisal", _("Can run appraisals: surveys, invitations, hearings, publication")),
            ("view_appraisal_results", _("Can read appraisal results before publication")),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The survey must close after it opens.")
        scores = (self.score_satisfied, self.score_basic, self.score_dissatisfied)
        if None not in scores and not (scores[0] >= scores[1] >= scores[2]):
            errors["score_basic"] = _(
                "Scores must not rise as the rating falls: satisfied ≥ basically satisfied ≥ dissatisfied."
            )
        if errors:
            raise ValidationError(errors)

    # What voters and staff are told about the voting window.
    def is_voting_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def closing_time_passed(self) -> bool:
        return self.closes_at <= timezone.now()

    @property
    def opens_later(self) -> bool:
        return self.opens_at > timezone.now()

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def scores(self) -> dict[str, Decimal]:
        return {
            Rating.SATISFIED: self.score_satisfied,
            Rating.BASIC: self.score_basic,
            Rating.DISSATISFIED: self.score_dissatisfied,
        }


class RespondentGroup(models.Model):
    """Who answers: 服务对象/企业, 两代表一委员, 监督员, 机关干部, 公众 ... with the weight
    their answers carry in the composite. The weights of a survey add up to 100."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=80)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    open_link = models.BooleanField(
        _("open public link"),
        default=False,
        help_text=_(
            "Anyone with the link may answer once per browser, without an invitation. Such ballots are reported apart."
        ),
    )

    class Meta:
        verbose_name = _("respondent group")
        verbose_name_plural = _("respondent groups")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="group_name_unique_in_survey"),
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=100), name="group_weight_0_100"),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        MATRIX = "matrix", _("Office rating matrix (satisfied / basically / dissatisfied / don't know)")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale from 1 to 5")
        TEXT = "text", _("Free text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    required = models.BooleanField(
        _("answer required"),
        default=True,
        help_text=_("For the matrix: every office must be rated (“don't know” is an answer)."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="question_order_unique"),
            # The ranking is computed from the one office matrix of the survey.
            models.UniqueConstraint(fields=["survey"], condition=Q(kind="matrix"), name="question_one_matrix"),
            models.CheckConstraint(condition=Q(order__gte=1), name="question_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    @property
    def has_options(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Option(models.Model):
    """One answer offered by a single- or multiple-choice question."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("text"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order"]
        constraints = [models.UniqueConstraint(fields=["question", "order"], name="option_order_unique")]

    def __str__(self) -> str:
        return self.text
