"""The results computation, checked against figures worked out by hand.

The hand-computed example (scores 100 / 60 / 0, at least 10 valid responses to be ranked):

    groups: 企业 w=50, 代表 w=30, 监督员 w=20

    office A   企业:  S6 B3 D1 U2 → V=10, rate 9/10 = 90.00 %,  score (600+180)/10 = 78.00
               代表:  S2 B4 D2 U0 → V=8,  rate 6/8  = 75.00 %,  score (200+240)/8  = 55.00
               监督员: S1 B1 D1 U1 → V=3,  rate 2/3  = 66.67 %,  score 160/3       = 53.33
               composite (50·78 + 30·55 + 20·160/3) / 100 = 6616.67/100   = 66.17
               rate      (50·0.9 + 30·0.75 + 20·2/3) / 100                = 80.83 %
    office B   企业:  S9 B1       → V=10, rate 100 %, score 96.00
               代表:  nobody rated it: left out, the other weights keep their proportions
               监督员: B2 D1       → V=3,  rate 2/3,   score 40.00
               composite (50·96 + 20·40) / 70 = 80.00;  rate (50·1 + 20·2/3) / 70 = 90.48 %
    office C   企业:  S3 B2 D1 U5 → V=6, score 70;  代表: S1 → V=1, score 100
               composite (50·70 + 30·100) / 80 = 81.25, but 7 valid responses < 10: not ranked

    ranking: B 1st (80.00), A 2nd (66.17); C "insufficient responses".
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from campaigns.tests.factories import OfficeFactory
from evaluations.models import Ballot, Survey
from evaluations.selectors import office_result, result_url, round2, survey_results
from evaluations.tests.factories import cast_counts, group, make_survey

pytestmark = pytest.mark.django_db

GROUPS = (("企业", 50), ("代表", 30), ("监督员", 20))


@pytest.fixture
def example(campaign):
    a, b, c = (OfficeFactory(name=n) for n in ("甲单位", "乙单位", "丙单位"))
    survey = make_survey(campaign, [a, b, c], groups=GROUPS, most_satisfactory_count=1, lagging_count=1)
    firms, deputies, supervisors = (group(survey, name) for name, _w in GROUPS)
    cast_counts(survey, firms, {a: (6, 3, 1, 2), b: (9, 1, 0, 0), c: (3, 2, 1, 5)})
    cast_counts(survey, deputies, {a: (2, 4, 2, 0), c: (1, 0, 0, 0)})
    cast_counts(survey, supervisors, {a: (1, 1, 1, 1), b: (0, 2, 1, 0)})
    return survey, a, b, c


def test_the_hand_computed_example_with_three_groups_and_uneven_weights(example):
    survey, a, b, c = example
    results = survey_results(survey)
    ra, rb, rc = (results.for_office(o.pk) for o in (a, b, c))

    firms, deputies, supervisors = ra.cells
    assert (firms.tally.valid, firms.rate, firms.score) == (10, Decimal("90.00"), Decimal("78.00"))
    assert (deputies.tally.valid, deputies.rate, deputies.score) == (8, Decimal("75.00"), Decimal("55.00"))
    assert (supervisors.tally.valid, supervisors.rate, supervisors.score) == (3, Decimal("66.67"), Decimal("53.33"))
    assert supervisors.tally.unknown == 1 and ra.total.responses == 24 and ra.valid == 21
    assert ra.exact_composite == Fraction(6616 * 3 + 2, 300)  # 6616⅔ / 100, kept exact
    assert (ra.composite_score, ra.composite_rate, ra.weight_counted) == (Decimal("66.17"), Decimal("80.83"), 100)

    assert rb.cells[1].tally.valid == 0 and rb.cells[1].score is None
    assert (rb.composite_score, rb.composite_rate, rb.weight_counted) == (Decimal("80.00"), Decimal("90.48"), 70)

    assert (rc.composite_score, rc.valid, rc.insufficient, rc.rank) == (Decimal("81.25"), 7, True, None)

    assert [(r.office, r.rank) for r in results.offices] == [(b, 1), (a, 2), (c, None)]
    assert results.most_satisfactory == [rb] and results.lagging == [ra]
    assert results.ranked == [rb, ra] and results.unranked == [rc]


def test_a_composite_is_computed_from_the_exact_group_scores_not_the_rounded_ones(campaign, office_a):
    survey = make_survey(campaign, [office_a], groups=(("甲", 50), ("乙", 50)), min_valid_responses=1)
    cast_counts(survey, group(survey, "甲"), {office_a: (0, 0, 1, 0)})  # score 0
    cast_counts(survey, group(survey, "乙"), {office_a: (2, 0, 1, 0)})  # score 200/3 = 66.67 when shown
    result = survey_results(survey).for_office(office_a.pk)
    assert result.cells[1].score == Decimal("66.67")
    # (0 + 66.666…)/2 = 33.333… → 33.33; from the rounded 66.67 it would be 33.335 → 33.34.
    assert result.composite_score == Decimal("33.33")


def test_rounding_is_half_up_to_two_decimals_without_floating_point():
    assert round2(Fraction(1, 8)) == Decimal("0.13")  # banker's rounding would give 0.12
    assert round2(Fraction(-1, 8)) == Decimal("-0.13")
    assert round2(Fraction(2, 3)) == Decimal("0.67")
    assert round2(Fraction(100)) == Decimal("100.00")
    assert round2(None) is None


def test_the_survey_scores_are_used_when_the_campaign_office_changes_them(campaign, office_a):
    survey = make_survey(
        campaign,
        [office_a],
        min_valid_responses=1,
        score_satisfied=Decimal("100"),
        score_basic=Decimal("80"),
        score_dissatisfied=Decimal("20"),
    )
    cast_counts(survey, group(survey), {office_a: (1, 1, 1, 3)})
    result = survey_results(survey).for_office(office_a.pk)
    assert result.cells[0].score == Decimal("66.67")  # (100 + 80 + 20) / 3, "don't know" left out
    assert result.composite_score == Decimal("66.67")


def test_equal_published_scores_share_a_rank_and_the_next_rank_is_skipped(campaign):
    a, b, c = OfficeFactory(name="甲"), OfficeFactory(name="乙"), OfficeFactory(name="丙")
    survey = make_survey(
        campaign, [a, b, c], groups=(("公众", 100),), min_valid_responses=1, most_satisfactory_count=1, lagging_count=1
    )
    cast_counts(survey, group(survey), {a: (3, 0, 1, 0), b: (6, 0, 2, 0), c: (1, 0, 1, 0)})  # 75, 75, 50
    results = survey_results(survey)
    assert [(r.office.name, r.rank) for r in results.offices] == [("乙", 1), ("甲", 1), ("丙", 3)]
    assert {r.office.name for r in results.most_satisfactory} == {"甲", "乙"}
    assert [r.office.name for r in results.lagging] == ["丙"]


def test_an_office_nobody_rated_has_no_score_and_is_not_ranked(campaign, office_a, office_b):
    survey = make_survey(campaign, [office_a, office_b], min_valid_responses=1)
    cast_counts(survey, group(survey), {office_a: (0, 0, 0, 4)})  # only "don't know"
    result = survey_results(survey).for_office(office_a.pk)
    assert (result.composite_score, result.composite_rate, result.rank, result.insufficient) == (None, None, None, True)
    assert result.total.responses == 4 and survey_results(survey).for_office(office_b.pk).total.responses == 0


def test_open_link_ballots_count_in_their_group_and_are_reported_apart(campaign, office_a):
    survey = make_survey(
        campaign, [office_a], groups=(("公众", 100),), open_link_groups=("公众",), min_valid_responses=1
    )
    public = group(survey)
    cast_counts(survey, public, {office_a: (2, 0, 0, 0)})
    cast_counts(survey, public, {office_a: (0, 1, 1, 0)}, channel=Ballot.Channel.OPEN_LINK)
    results = survey_results(survey)
    cell = results.for_office(office_a.pk).cells[0]
    assert (cell.tally.valid, cell.tally.open_link) == (4, 2)
    assert (results.ballots_invited, results.ballots_open, results.ballot_total) == ({public.pk: 2}, {public.pk: 2}, 4)


@pytest.mark.parametrize("n", [5, 50])
def test_the_computation_takes_the_same_few_queries_for_5_and_50_offices(campaign, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n)]
    survey = make_survey(campaign, offices)
    for g in survey.groups.all():
        cast_counts(survey, g, dict.fromkeys(offices, (2, 1, 1, 1)))
    survey = Survey.objects.get(pk=survey.pk)
    # 4 queries: respondentgroup (+survey), offices (+survey_offices), answer (+question, ballot), ballot
    with django_assert_num_queries(4):
        results = survey_results(survey)
    assert len(results.offices) == n and all(r.valid == 12 for r in results.offices)


def test_other_apps_can_point_at_one_office_result_of_a_published_survey(example):
    survey, a, _b, _c = example
    assert office_result(survey_id=survey.pk, office_id=a.pk) is None  # not published yet
    assert office_result(survey_id=survey.pk, office_id=a.pk, published_only=False).composite_score == Decimal("66.17")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    from django.utils import timezone

    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.PUBLISHED, published_at=timezone.now())
    assert office_result(survey_id=survey.pk, office_id=a.pk).rank == 2
    assert office_result(survey_id=survey.pk, office_id=OfficeFactory().pk) is None
    assert result_url(survey_id=survey.pk, office_id=a.pk) == f"/appraisal/results/{survey.pk}/#office-{a.pk}"
