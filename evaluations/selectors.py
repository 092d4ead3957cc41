"""Reads of the appraisal, above all the results: exact, explained, and checkable by
any office from the published counts.

How an office's figures are computed (``survey_results``)
----------------------------------------------------------
For each respondent group *g*, count the office's ratings in the office matrix:
S (满意 satisfied), B (基本满意 basically satisfied), D (不满意 dissatisfied) and
U (不了解 don't know).

* valid responses ``V_g = S + B + D`` — "don't know" is not a valid response;
* satisfaction rate ``rate_g = (S + B) / V_g``;
* satisfaction score ``score_g = (S·s₁ + B·s₂ + D·s₃) / V_g``, with the survey's
  scores s₁, s₂, s₃ (100, 60 and 0 unless the campaign office changed them);
* composite score ``Σ w_g·score_g / Σ w_g`` and composite rate ``Σ w_g·rate_g / Σ w_g``,
  over the groups with at least one valid response for the office, *w_g* being the
  group's weight. The weights of a survey add up to 100, so when every group rated
  the office the divisor is 100; a group that did not rate it is left out and the
  others keep their proportions.
* An office is ranked when its valid responses over all groups reach the survey's
  minimum (10 by default); otherwise it shows "insufficient responses". The rank is
  1 + the number of ranked offices with a higher composite score as published (two
  decimals), so equal published scores share a rank.

Everything is computed with exact fractions (``fractions.Fraction``) and rounded
once, for display, half up to two decimals (``Decimal``): a composite is computed
from the exact group scores, not from their rounded display.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, cast

from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.urls import reverse

from campaigns.models import Office
from kernel import figurecache

from .models import Answer, Ballot, Option, Question, Rating, RespondentGroup, Survey

if TYPE_CHECKING:
    from .querysets import SurveyQuerySet

Kind = Question.Kind
CENT = Decimal("0.01")


# --- Exact arithmetic, rounded once ---------------------------------------------------------
def round2(value: Fraction | None) -> Decimal | None:
    """``value`` rounded half up to two decimals, exactly (integers only, no floating point)."""
    return None if value is None else _hundredths(value, 100)


def percent(value: Fraction | None) -> Decimal | None:
    return None if value is None else _hundredths(value, 10000)


def _hundredths(value: Fraction | int, scale: int) -> Decimal:
    """``value × scale / 100`` rounded half up to two decimals. Works on the numerator and
    denominator directly: the results pages round thousands of figures per view."""
    if not isinstance(value, (Fraction, int)):
        value = Fraction(value)
    numerator, denominator = value.numerator * scale, value.denominator
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return (Decimal(-whole if numerator < 0 else whole) / 100).quantize(CENT)


@dataclass(frozen=True)
class Tally:
    """An office's ratings from one group (or from all)."""

    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    unknown: int = 0
    open_link: int = 0  # of these ratings, how many came through the open public link

    @property
    def valid(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def responses(self) -> int:
        return self.valid + self.unknown

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.satisfied + other.satisfied,
            self.basic + other.basic,
            self.dissatisfied + other.dissatisfied,
            self.unknown + other.unknown,
            self.open_link + other.open_link,
        )

    def count(self, rating: str) -> int:
        """The count of one ``Rating`` (its values are the field names)."""
        count: int = getattr(self, Rating(rating).value)
        return count

    def exact_rate(self) -> Fraction | None:
        return Fraction(self.satisfied + self.basic, self.valid) if self.valid else None

    def exact_score(self, scores: Mapping[str, Decimal]) -> Fraction | None:
        if not self.valid:
            return None
        points = (
            self.satisfied * Fraction(scores[Rating.SATISFIED])
            + self.basic * Fraction(scores[Rating.BASIC])
            + self.dissatisfied * Fraction(scores[Rating.DISSATISFIED])
        )
        return points / self.valid


@dataclass
class GroupCell:
    group: RespondentGroup
    tally: Tally
    exact_rate: Fraction | None
    exact_score: Fraction | None

    @cached_property
    def rate(self) -> Decimal | None:
        return percent(self.exact_rate)

    @cached_property
    def score(self) -> Decimal | None:
        return round2(self.exact_score)

    @property
    def counted(self) -> bool:
        return self.tally.valid > 0


@dataclass
class OfficeResult:
    office: Office
    cells: list[GroupCell]
    total: Tally
    exact_composite: Fraction | None
    exact_composite_rate: Fraction | None
    weight_counted: int
    insufficient: bool
    rank: int | None = None
    most_satisfactory: bool = False
    lagging: bool = False

    @cached_property
    def composite_score(self) -> Decimal | None:
        # Cached, as the other rounded figures: the results pages show each several times.
        return round2(self.exact_composite)

    @cached_property
    def composite_rate(self) -> Decimal | None:
        return percent(self.exact_composite_rate)

    @property
    def valid(self) -> int:
        return self.total.valid

    @property
    def anchor(self) -> str:
        return f"office-{self.office.pk}"

    @cached_property
    def counted_cells(self) -> list[GroupCell]:
        return [c for c in self.cells if c.counted]


@dataclass
class SurveyResults:
    survey: Survey
    groups: list[RespondentGroup]
    offices: list[OfficeResult]  # ranked first, by rank; then the others by name
    group_totals: list[GroupCell]  # every office's ratings added up, per group
    ballots_invited: dict[int, int] = field(default_factory=dict)  # per group
    ballots_open: dict[int, int] = field(default_factory=dict)

    @property
    def ballot_total(self) -> int:
        return sum(self.ballots_invited.values()) + sum(self.ballots_open.values())

    @property
    def open_total(self) -> int:
        return sum(self.ballots_open.values())

    @property
    def weight_total(self) -> int:
        return sum(g.weight for g in self.groups)

    @property
    def ranked(self) -> list[OfficeResult]:
        return [r for r in self.offices if r.rank is not None]

    @property
    def unranked(self) -> list[OfficeResult]:
        return [r for r in self.offices if r.rank is None]

    @property
    def most_satisfactory(self) -> list[OfficeResult]:
        return [r for r in self.offices if r.most_satisfactory]

    @property
    def lagging(self) -> list[OfficeResult]:
        return [r for r in self.offices if r.lagging]

    def for_office(self, office_id: int) -> OfficeResult | None:
        return next((r for r in self.offices if r.office.pk == office_id), None)

    def group_rows(self) -> list[tuple[RespondentGroup, int, int]]:
        """(group, ballots by invitation, ballots by open link) for the response table."""
        return [(g, self.ballots_invited.get(g.pk, 0), self.ballots_open.get(g.pk, 0)) for g in self.groups]


def _weighted(cells: list[GroupCell], attribute: str) -> tuple[Fraction | None, int]:
    counted = [c for c in cells if getattr(c, attribute) is not None]
    weight = sum(c.group.weight for c in counted)
    if not counted or weight == 0:
        return None, weight
    return sum(c.group.weight * getattr(c, attribute) for c in counted) / weight, weight


def _rank(results: list[OfficeResult], survey: Survey) -> None:
    ranked = [r for r in results if not r.insufficient and r.exact_composite is not None]
    # Ranked results have a composite: exact_composite is not None.
    published = [cast(Decimal, r.composite_score) for r in ranked]
    for result in ranked:
        score = cast(Decimal, result.composite_score)
        result.rank = 1 + sum(1 for other in published if other > score)
        below = sum(1 for other in published if other < score)
        result.most_satisfactory = result.rank <= survey.most_satisfactory_count
        result.lagging = below < survey.lagging_count and not result.most_satisfactory


def survey_results(survey: Survey) -> SurveyResults:
    """Every appraised office's figures (see the module's docstring). Four queries,
    whatever the number of offices, groups and ballots.

    Published results cannot change (no ballot is taken and nothing is edited
    after closing), so they are computed once per publication and kept in the
    cache: at 500,000 ballots the count takes seconds, and the public results
    page, the dashboard and the scorecards all show them."""
    if survey.status == Survey.Status.PUBLISHED and survey.published_at and figurecache.max_age() > 0:
        key = f"survey-results:v1:{survey.pk}:{survey.published_at.isoformat()}"
        results: SurveyResults | None = cache.get(key)
        if results is None:
            results = count_results(survey)
            cache.set(key, results, timeout=None)
        return results
    return count_results(survey)


def count_results(survey: Survey) -> SurveyResults:
    groups = list(survey.groups.all())
    offices = list(survey.offices.order_by("name"))
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Answer.objects.filter(question__survey_id=survey.pk, question__kind=Kind.MATRIX, office__isnull=False)
        .values_list("office_id", "ballot__group_id", "ballot__channel", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for office_id, group_id, channel, rating, n in rows:
        counted = counts[(office_id, group_id)]
        counted[rating] += n
        if channel == Ballot.Channel.OPEN_LINK:
            counted["open_link"] += n
    scores = survey.scores

    def tally(office_id: int, group_id: int) -> Tally:
        c = counts.get((office_id, group_id), {})
        return Tally(
            c.get(Rating.SATISFIED, 0),
            c.get(Rating.BASIC, 0),
            c.get(Rating.DISSATISFIED, 0),
            c.get(Rating.UNKNOWN, 0),
            c.get("open_link", 0),
        )

    def cell(group: RespondentGroup, t: Tally) -> GroupCell:
        return GroupCell(group=group, tally=t, exact_rate=t.exact_rate(), exact_score=t.exact_score(scores))

    results = []
    for office in offices:
        cells = [cell(g, tally(office.pk, g.pk)) for g in groups]
        total = sum((c.tally for c in cells), Tally())
        composite, weight = _weighted(cells, "exact_score")
        composite_rate, _weight = _weighted(cells, "exact_rate")
        results.append(
            OfficeResult(
                office=office,
                cells=cells,
                total=total,
                exact_composite=composite,
                exact_composite_rate=composite_rate,
                weight_counted=weight,
                insufficient=total.valid < survey.min_valid_responses,
            )
        )
    _rank(results, survey)
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.office.name))
    group_totals = [cell(g, sum((r.cells[i].tally for r in results), Tally())) for i, g in enumerate(groups)]

    invited: dict[int, int] = {}
    open_link: dict[int, int] = {}
    for group_id, channel, n in (
        Ballot.objects.filter(survey_id=survey.pk).values_list("group_id", "channel").annotate(n=Count("pk")).order_by()
    ):
        (open_link if channel == Ballot.Channel.OPEN_LINK else invited)[group_id] = n
    return SurveyResults(
        survey=survey,
        groups=groups,
        offices=results,
        group_totals=group_totals,
        ballots_invited=invited,
        ballots_open=open_link,
    )


# --- For other apps: a stable way to point at one office's result -----------------------------
def office_result(*, survey_id: int, office_id: int, published_only: bool = True) -> OfficeResult | None:
    """Office ``office_id``'s result in survey ``survey_id`` (None if the survey does not
    appraise it, or, with ``published_only``, is not published)."""
    surveys = Survey.objects.filter(pk=survey_id, offices__pk=office_id)
    if published_only:
        surveys = surveys.published()
    survey = surveys.first()
    return survey_results(survey).for_office(office_id) if survey else None


def result_url(*, survey_id: int, office_id: int, public: bool = True) -> str:
    """The office's row on the public (or the staff) results page."""
    name = "evaluations:results" if public else "evaluations-staff:results"
    return f"{reverse(name, args=[survey_id])}#office-{office_id}"


def published_surveys_of_office(office_id: int) -> SurveyQuerySet:
    """Published surveys that appraised the office, newest first (for pickers in other apps)."""
    return Survey.objects.published().filter(offices__pk=office_id).order_by("-published_at")


# --- The ballot ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BallotSpec:
    survey: Survey
    questions: list[Question]
    offices: list[Office]

    @property
    def office_ids(self) -> list[int]:
        return [o.pk for o in self.offices]


def ballot_spec(survey: Survey) -> BallotSpec:
    questions = list(
        survey.questions.order_by("order").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order"))
        )
    )
    offices = list(survey.offices.order_by("name")) if any(q.kind == Kind.MATRIX for q in questions) else []
    return BallotSpec(survey=survey, questions=questions, offices=offices)


# --- The other questions, for the staff ----------------------------------------------------------
@dataclass
class QuestionSummary:
    question: Question
    answered: int = 0
    options: list[tuple[Option, int, Decimal | None]] = field(default_factory=list)
    scale: list[tuple[int, int, Decimal | None]] = field(default_factory=list)
    scale_mean: Decimal | None = None


def question_summaries(survey: Survey) -> list[QuestionSummary]:
    """How the non-matrix questions were answered: counts per option, the 1–5 spread and
    mean, and how many answered each. Four queries."""
    questions = [
        q
        for q in survey.questions.order_by("order").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order"))
        )
        if q.kind != Kind.MATRIX
    ]
    answers = Answer.objects.filter(question__survey_id=survey.pk).exclude(question__kind=Kind.MATRIX)
    answered = dict(answers.values_list("question_id").annotate(n=Count("ballot_id", distinct=True)).order_by())
    by_option = dict(answers.filter(option__isnull=False).values_list("option_id").annotate(n=Count("pk")).order_by())
    by_scale: dict[tuple[int, int], int] = {
        (q, v): n
        for q, v, n in answers.filter(scale__isnull=False)
        .values_list("question_id", "scale")
        .annotate(n=Count("pk"))
        .order_by()
    }
    summaries = []
    for q in questions:
        n = answered.get(q.pk, 0)
        summary = QuestionSummary(question=q, answered=n)
        if q.has_options:
            summary.options = [
                (o, by_option.get(o.pk, 0), percent(Fraction(by_option.get(o.pk, 0), n)) if n else None)
                for o in q.options.all()
            ]
        elif q.kind == Kind.SCALE:
            spread = [(v, by_scale.get((q.pk, v), 0)) for v in range(1, 6)]
            summary.scale = [(v, c, percent(Fraction(c, n)) if n else None) for v, c in spread]
            summary.scale_mean = round2(Fraction(sum(v * c for v, c in spread), n)) if n else None
        summaries.append(summary)
    return summaries


def free_text_answers(survey: Survey) -> list[tuple[Question, list[tuple[str, str]]]]:
    """Each free-text question with its answers as (group, text), in alphabetical order of
    the text — never in the order they came in. For the campaign office only."""
    questions = list(survey.questions.filter(kind=Kind.TEXT).order_by("order"))
    texts = defaultdict(list)
    for question_id, group, text in (
        Answer.objects.filter(question__in=questions)
        .exclude(text="")
        .values_list("question_id", "ballot__group__name", "text")
        .order_by("question_id", "text")
    ):
        texts[question_id].append((group, text))
    return [(q, texts.get(q.pk, [])) for q in questions]
