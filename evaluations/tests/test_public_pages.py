"""The public appraisal pages: voting by invitation or open link, the thank-you page,
polite refusals, and the published results and hearings (nothing before publication)."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.tests.factories import OfficeFactory
from evaluations import services
from evaluations.models import Answer, Ballot, Hearing, HearingQuestion, Invitation, Panelist, Question, Survey
from evaluations.tests.factories import B, D, S, cast_counts, group, invite, make_survey, matrix, published_hearing
from evaluations.tokens import format_token
from evaluations.views.public import BROWSER_COOKIE

pytestmark = pytest.mark.django_db
Kind = Question.Kind


@pytest.fixture
def survey(campaign, offices):
    return make_survey(campaign, offices, extra_questions=(Kind.SCALE, Kind.TEXT), intro="请如实评价。")


@pytest.fixture
def invitation(survey):
    return invite(group(survey), note="王先生，某企业")[0]


def ballot_url(invitation):
    return reverse("evaluations:ballot", args=[invitation.token])


def post_data(survey, rating=S, drop_office=None, **extra):
    data = {}
    for q in survey.questions.all():
        if q.kind == Kind.MATRIX:
            for office in survey.offices.all():
                if office != drop_office:
                    data[f"q{q.pk}_o{office.pk}"] = rating
        elif q.kind == Kind.SCALE:
            data[f"q{q.pk}"] = "4"
        elif q.kind == Kind.TEXT:
            data[f"q{q.pk}"] = "希望继续保持。"
    data.update(extra)
    return data


def html(response) -> str:
    return response.content.decode()


# --- The ballot ---------------------------------------------------------------------------------------
def test_the_ballot_has_a_fieldset_with_native_radios_per_office(client, survey, invitation, offices):
    response = client.get(ballot_url(invitation))
    page = html(response)
    assert response.status_code == 200
    assert survey.title in page and "请如实评价。" in page
    q = matrix(survey)
    for office in offices:
        block = re.search(rf'<fieldset[^>]*id="question-{q.pk}-office-{office.pk}".*?</fieldset>', page, re.S).group(0)
        assert f'<legend class="rating-office">{office.name}</legend>' in block
        assert block.count('type="radio"') == 4 and block.count(f'name="q{q.pk}_o{office.pk}"') == 4
    assert "王先生" not in page  # the note stays with the campaign office
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("n", [5, 50])
def test_ballot_page_query_budget(client, campaign, n, django_assert_num_queries):
    survey = make_survey(
        campaign, [OfficeFactory() for _ in range(n)], extra_questions=(Kind.SINGLE, Kind.SCALE, Kind.TEXT)
    )
    invitation = invite(group(survey))[0]
    client.get(reverse("evaluations:index"))
    # 4 queries (the header's campaign is cached by the first page): invitation (+respondentgroup, survey,
    # invitationbatch), question, option, offices (+survey_offices)
    with django_assert_num_queries(4):
        response = client.get(ballot_url(invitation))
    assert response.status_code == 200 and len(response.context["form"].spec.offices) == n


@pytest.mark.parametrize("n", [5, 50])
def test_open_link_ballot_query_budget(client, campaign, n, django_assert_num_queries):
    survey = make_survey(campaign, [OfficeFactory() for _ in range(n)], open_link_groups=("服务对象",))
    public = group(survey, "服务对象")
    client.get(reverse("evaluations:index"))
    # 4 queries (the header's campaign is cached by the first page): respondentgroup (+survey), question, option,
    # offices (+survey_offices)
    with django_assert_num_queries(4):
        response = client.get(reverse("evaluations:open", args=[survey.pk, public.pk]))
    assert response.status_code == 200 and len(response.context["form"].spec.offices) == n


def test_a_complete_ballot_is_stored_and_thanked(client, survey, invitation):
    response = client.post(ballot_url(invitation), post_data(survey))
    assert response.status_code == 302 and response.url == reverse("evaluations:thanks")
    assert Ballot.objects.count() == 1
    thanks = client.get(response.url)
    assert thanks.status_code == 200 and survey.title in html(thanks)


def test_a_partial_ballot_is_shown_again_with_the_error_next_to_the_office_and_nothing_stored(
    client, survey, invitation, offices
):
    q = matrix(survey)
    data = post_data(survey, rating=B, drop_office=offices[1])
    response = client.post(ballot_url(invitation), data)
    page = html(response)
    assert response.status_code == 400
    assert not Ballot.objects.exists() and Invitation.objects.get().used_at is None
    missing = re.search(rf'<fieldset[^>]*id="question-{q.pk}-office-{offices[1].pk}".*?</fieldset>', page, re.S).group(
        0
    )
    assert "is-invalid" in missing and "Rate this office" in missing
    assert f'href="#question-{q.pk}-office-{offices[1].pk}"' in page  # the summary links to it
    kept = re.search(rf'<fieldset[^>]*id="question-{q.pk}-office-{offices[0].pk}".*?</fieldset>', page, re.S).group(0)
    assert re.search(r'value="basic" checked', kept), "answers given are kept"


def test_an_out_of_range_scale_value_is_shown_as_an_error(client, survey, invitation):
    scale = survey.questions.get(kind=Kind.SCALE)
    response = client.post(ballot_url(invitation), post_data(survey, **{f"q{scale.pk}": "9"}))
    assert response.status_code == 400 and "Choose a value from 1 to 5" in html(response)
    assert not Ballot.objects.exists()


def test_a_forged_office_in_the_posted_matrix_is_refused(client, survey, invitation):
    q = matrix(survey)
    outsider = OfficeFactory(name="冒充的单位")
    response = client.post(ballot_url(invitation), post_data(survey, **{f"q{q.pk}_o{outsider.pk}": D}))
    assert response.status_code == 400 and "not being appraised" in html(response)
    assert not Answer.objects.exists()


def test_a_reused_token_gets_the_used_message_and_nothing_more_is_stored(client, survey, invitation):
    client.post(ballot_url(invitation), post_data(survey))
    again = client.post(ballot_url(invitation), post_data(survey, rating=D))
    assert again.status_code == 410 and "already been used" in html(again)
    assert client.get(ballot_url(invitation)).status_code == 410
    assert Ballot.objects.count() == 1 and not Answer.objects.filter(rating=D).exists()


def test_the_code_may_be_typed_with_dashes_and_small_letters(client, survey, invitation):
    typed = format_token(invitation.token).lower()
    assert client.get(f"/appraisal/{typed}/").status_code == 200
    response = client.post(reverse("evaluations:code"), {"code": f" {typed} "})
    assert response.status_code == 302 and response.url == ballot_url(invitation)


def test_a_malformed_code_is_refused_next_to_the_field(client, survey):
    response = client.post(reverse("evaluations:code"), {"code": "ABC"})
    assert response.status_code == 400 and "25 letters and digits" in html(response)


def test_an_unknown_token_gets_a_polite_404_and_guessing_is_limited(client, survey, settings):
    response = client.get("/appraisal/" + "0" * 25 + "/")
    assert response.status_code == 404 and "could not find this invitation" in html(response)
    for _ in range(25):
        client.get("/appraisal/" + "1" * 25 + "/")
    invitation = invite(group(survey))[0]
    limited = client.get(ballot_url(invitation))
    assert limited.status_code == 429 and "Too many attempts" in html(limited)


@pytest.mark.parametrize(
    "change, status, words",
    [
        ({"opens_at": 1}, 403, "has not opened yet"),
        ({"closes_at": -1}, 410, "survey is closed"),
    ],
)
def test_a_survey_not_open_yet_or_closed_says_so_and_stores_nothing(client, survey, invitation, change, status, words):
    now = timezone.now()
    if "opens_at" in change:
        Survey.objects.filter(pk=survey.pk).update(opens_at=now + dt.timedelta(days=1))
    else:
        Survey.objects.filter(pk=survey.pk).update(
            opens_at=now - dt.timedelta(days=5), closes_at=now - dt.timedelta(days=1)
        )
    for response in (client.get(ballot_url(invitation)), client.post(ballot_url(invitation), post_data(survey))):
        assert response.status_code == status and words in html(response)
    assert not Ballot.objects.exists()


def test_words_of_the_site_are_not_taken_for_tokens(client):
    for path in ("/appraisal/results/", "/appraisal/hearings/", "/appraisal/"):
        assert client.get(path).status_code == 200
    assert client.get("/appraisal/thanks/").status_code == 302


# --- The open public link -------------------------------------------------------------------------------
@pytest.fixture
def public(campaign, offices):
    survey = make_survey(campaign, offices, groups=(("企业", 80), ("公众", 20)), open_link_groups=("公众",))
    return survey, group(survey, "公众")


def open_url(survey, g):
    return reverse("evaluations:open", args=[survey.pk, g.pk])


def test_the_open_link_gives_a_cookie_and_takes_one_ballot_per_browser(client, public):
    survey, g = public
    first = client.get(open_url(survey, g))
    assert first.status_code == 200 and first.cookies[BROWSER_COOKIE]["httponly"]
    assert client.post(open_url(survey, g), post_data(survey)).status_code == 302
    assert Ballot.objects.get().channel == Ballot.Channel.OPEN_LINK
    assert client.get(open_url(survey, g)).status_code == 409
    again = client.post(open_url(survey, g), post_data(survey, rating=D))
    assert again.status_code == 409 and "already answered" in html(again)
    assert Ballot.objects.count() == 1


def test_the_open_link_without_the_cookie_explains_and_stores_nothing(client, public):
    survey, g = public
    response = client.post(open_url(survey, g), post_data(survey))
    assert response.status_code == 400 and "cookie" in html(response)
    assert not Ballot.objects.exists()


def test_a_group_without_an_open_link_has_no_public_page(client, public):
    survey, _g = public
    assert client.get(open_url(survey, group(survey, "企业"))).status_code == 404


def test_the_open_link_is_rate_limited_per_address(client, public, settings):
    from evaluations.views import public as views

    survey, g = public
    views.OPEN_RATE = "2/h"
    try:
        for _n in range(3):
            client.cookies.clear()
            client.get(open_url(survey, g))
            response = client.post(open_url(survey, g), post_data(survey))
        assert response.status_code == 429
        assert Ballot.objects.count() == 2
    finally:
        views.OPEN_RATE = "30/h"


# --- Published results --------------------------------------------------------------------------------------
@pytest.fixture
def published(campaign, offices, coordinator):
    survey = make_survey(
        campaign,
        offices,
        groups=(("企业", 50), ("代表", 30), ("监督员", 20)),
        min_valid_responses=3,
        most_satisfactory_count=1,
        lagging_count=1,
    )
    a, b, c = offices
    cast_counts(survey, group(survey, "企业"), {a: (5, 1, 0, 0), b: (1, 2, 3, 0), c: (1, 0, 0, 2)})
    cast_counts(survey, group(survey, "代表"), {a: (2, 1, 0, 0), b: (0, 1, 2, 1)})
    services.survey_close(survey_id=survey.pk, actor=coordinator)
    return survey


def test_results_are_not_public_before_publication(client, published):
    assert client.get(reverse("evaluations:results", args=[published.pk])).status_code == 404
    assert published.title not in html(client.get(reverse("evaluations:results-list")))


def test_published_results_rank_the_offices_and_explain_the_figures(client, published, coordinator, offices):
    services.survey_publish(survey_id=published.pk, actor=coordinator)
    page = html(client.get(reverse("evaluations:results", args=[published.pk])))
    a, b, c = offices
    top = re.search(r'data-testid="most-satisfactory".*?</section>', page, re.S).group(0)
    lagging = re.search(r'data-testid="lagging".*?</section>', page, re.S).group(0)
    assert a.name in top and b.name in lagging
    ranking = re.search(r'data-testid="ranking".*?</table>', page, re.S).group(0)
    assert ranking.index(a.name) < ranking.index(b.name) < ranking.index(c.name)
    assert "Insufficient responses" in ranking  # c: one valid response
    assert f'id="office-{a.pk}"' in page
    assert "(S × 100 + B × 60 + D × 0) ÷ V" in page
    weights = re.search(r'data-testid="weights".*?</table>', page, re.S).group(0)
    assert all(name in weights for name in ("企业", "代表", "监督员")) and ">100<" in weights
    assert "<svg" in page and "style=" not in page.split("<main")[1]
    assert published.title in html(client.get(reverse("evaluations:results-list")))


@pytest.mark.parametrize("n", [5, 50])
def test_public_results_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n)]
    survey = make_survey(campaign, offices, status=Survey.Status.PUBLISHED)
    for g in survey.groups.all():
        cast_counts(survey, g, dict.fromkeys(offices, (3, 2, 1, 1)))
    # 7 queries: survey (+campaign, hearing), respondentgroup (+survey), offices (+survey_offices), answer (+question,
    # ballot), ballot, current campaign, its phases
    with django_assert_num_queries(7):
        response = client.get(reverse("evaluations:results", args=[survey.pk]))
    assert response.status_code == 200 and html(response).count('data-office="') == n


@pytest.mark.parametrize("n", [5, 50])
def test_published_results_are_counted_once_per_publication(client, campaign, n, django_assert_num_queries):
    """At 500,000 ballots the count takes seconds: a publication's results, which
    can no longer change, are counted once and kept (docs/benchmarks.md)."""
    offices = [OfficeFactory() for _ in range(n)]
    survey = make_survey(campaign, offices, status=Survey.Status.PUBLISHED, published_at=timezone.now())
    for g in survey.groups.all():
        cast_counts(survey, g, dict.fromkeys(offices, (3, 2, 1, 1)))
    cache.clear()
    url = reverse("evaluations:results", args=[survey.pk])
    with override_settings(FIGURES_MAX_AGE=300):
        first = html(client.get(url))
        # 1 query: the survey (+campaign, hearing); the header's campaign is cached and nothing is counted
        with django_assert_num_queries(1):
            second = html(client.get(url))
        survey.published_at = timezone.now()  # withdrawn and published again
        survey.save(update_fields=["published_at"])
        with CaptureQueriesContext(connection) as counted:
            client.get(url)

    def ranking(page):
        return re.search(r'data-testid="ranking".*?</table>', page, re.S).group(0)

    assert ranking(second) == ranking(first) and f'id="office-{offices[0].pk}"' in ranking(first)
    assert len(counted) > 3, "a new publication is counted again"
    cache.clear()


@pytest.mark.parametrize("n", [5, 50])
def test_public_results_list_query_budget(client, campaign, n, django_assert_num_queries):
    for _ in range(n):
        make_survey(campaign, status=Survey.Status.PUBLISHED)
    make_survey(campaign, status=Survey.Status.CLOSED)
    # 3 queries: current campaign, its phases, the published surveys (+campaign; their counts as subqueries)
    with django_assert_num_queries(3):
        response = client.get(reverse("evaluations:results-list"))
    assert len(re.findall(r'href="/appraisal/results/\d+/"', html(response))) == n


# --- Hearings -----------------------------------------------------------------------------------------------
@pytest.fixture
def hearing(campaign, offices):
    hearing = Hearing.objects.create(
        campaign=campaign,
        title="听证质询会",
        date=timezone.localdate(),
        place="三楼会议室",
        summary="质询组对两个单位进行了质询。",
    )
    hearing.offices.set(offices[:2])
    member = Panelist.objects.create(
        hearing=hearing, name="王建国", kind=Panelist.Kind.DEPUTY, affiliation="区人大代表"
    )
    Panelist.objects.create(hearing=hearing, name="孙丽", kind=Panelist.Kind.SUPERVISOR)
    HearingQuestion.objects.create(
        hearing=hearing,
        office=offices[0],
        asked_by=member,
        question="如何落实首问负责制？",
        answer="已设立综合受理窗口。",
    )
    return hearing


def test_an_unpublished_hearing_is_not_public(client, hearing):
    assert client.get(reverse("evaluations:hearing", args=[hearing.pk])).status_code == 404
    assert hearing.title not in html(client.get(reverse("evaluations:hearings")))


def test_a_published_hearing_shows_its_summary_and_answers_but_no_panel_names(client, hearing, coordinator):
    services.hearing_publish(hearing_id=hearing.pk, actor=coordinator)
    page = html(client.get(reverse("evaluations:hearing", args=[hearing.pk])))
    assert "质询组对两个单位进行了质询。" in page and "如何落实首问负责制？" in page and "已设立综合受理窗口。" in page
    assert "王建国" not in page and "孙丽" not in page and "区人大代表" not in page
    assert ": 1" in page  # one deputy, one supervisor: counts only
    assert hearing.title in html(client.get(reverse("evaluations:hearings")))


@pytest.mark.parametrize("n", [5, 50])
def test_public_hearing_list_query_budget(client, campaign, offices, n, django_assert_num_queries):
    for i in range(n):
        h = Hearing.objects.create(
            campaign=campaign,
            title=f"听证会{i}",
            date=timezone.localdate(),
            place="会议室",
            summary="摘要",
            published_at=timezone.now(),
        )
        h.offices.set(offices)
    # 4 queries: current campaign, its phases, hearing (+hearingquestion, survey), offices (+hearing_offices)
    with django_assert_num_queries(4):
        response = client.get(reverse("evaluations:hearings"))
    assert len(re.findall(r'href="/appraisal/hearings/\d+/"', html(response))) == n


def test_dont_know_ballots_are_counted_but_not_valid_on_the_public_page(client, campaign, coordinator, office_a):
    survey = make_survey(
        campaign, [office_a], groups=(("公众", 100),), status=Survey.Status.PUBLISHED, min_valid_responses=1
    )
    cast_counts(survey, group(survey), {office_a: (1, 0, 0, 3)})
    page = html(client.get(reverse("evaluations:results", args=[survey.pk])))
    row = re.search(rf'<tr id="office-{office_a.pk}".*?</tr>', page, re.S).group(0)
    cells = re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', row)
    assert cells[-2:] == ["1", "4"]  # valid responses, responses: "don't know" counts only in the second


def test_a_wrong_code_keeps_the_open_surveys_results_and_hearings_on_the_page(client, public):
    """After a mistyped code the page said no survey was open and hid the published
    results and hearings, although the index shows them."""
    survey, _group = public
    index = html(client.get(reverse("evaluations:index")))
    response = client.post(reverse("evaluations:code"), {"code": "ABC"})
    assert response.status_code == 400
    page = html(response)
    assert survey.title in index and survey.title in page
    assert "No survey is open to the public" not in page
    for section in ('id="published-title"', 'id="hearings-title"'):
        assert (section in index) == (section in page)


@pytest.mark.parametrize("n", [5, 50])
def test_public_hearing_page_query_budget(client, campaign, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n)]
    hearing = published_hearing(campaign, offices, n)
    url = reverse("evaluations:hearing", args=[hearing.pk])
    client.get(url)
    # 4 queries (the header's campaign is cached by the first request): hearing (+campaign, poll, user), offices
    # (+hearing_offices), panelist, hearingquestion (+offices, panelist)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert html(response).count("如何落实第") == n


@pytest.mark.parametrize("n", [5, 50])
def test_public_index_query_budget(client, campaign, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(3)]
    for _ in range(n):
        make_survey(campaign, offices, open_link_groups=("服务对象",))
        make_survey(campaign, offices, status=Survey.Status.PUBLISHED)
        published_hearing(campaign, offices, 2)
    client.get(reverse("evaluations:index"))
    # 4 queries (the header's campaign is cached by the first request): respondentgroup with an open link
    # (+survey), the five newest published surveys (+campaign; their counts as subqueries), the five newest published
    # hearings (+poll; their questions counted), offices (+hearing_offices)
    with django_assert_num_queries(4):
        response = client.get(reverse("evaluations:index"))
    page = html(response)
    assert len(re.findall(r'href="/appraisal/open/\d+/\d+/"', page)) == n
    assert len(re.findall(r'href="/appraisal/results/\d+/"', page)) == min(n, 5)
    assert len(re.findall(r'href="/appraisal/hearings/\d+/"', page)) == min(n, 5)
