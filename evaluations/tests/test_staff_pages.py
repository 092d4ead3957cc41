"""The staff appraisal pages: who may open what (others get a 404, like a page that
does not exist), the forms with the services' errors next to the fields, invitations
and their print sheet, results with charts and exports, free-text answers."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.tests.factories import OfficeFactory
from evaluations import services
from evaluations.models import Invitation, InvitationBatch, Question, Survey
from evaluations.tests.factories import cast_counts, full_answers, group, invite, make_survey, published_hearing, vote

pytestmark = pytest.mark.django_db
Kind = Question.Kind


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def survey(campaign, offices):
    return make_survey(campaign, offices, extra_questions=(Kind.TEXT,))


def url(name, *args):
    return reverse(f"evaluations-staff:{name}", args=args)


# --- Who may open what -------------------------------------------------------------------------------
def test_a_visitor_is_sent_to_the_login_page(client, survey):
    response = client.get(url("surveys"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_office_staff_have_no_appraisal_pages(client, staff_a, survey):
    client.force_login(staff_a)
    assert client.get(url("surveys")).status_code == 403
    assert client.get(url("hearings")).status_code == 403
    for name in ("detail", "results", "results-export", "invitations", "answers", "edit", "groups"):
        assert client.get(url(name, survey.pk)).status_code == 404, name


def test_a_supervisor_reads_results_but_not_invitations_or_free_text(client, supervisor, survey):
    client.force_login(supervisor)
    assert client.get(url("surveys")).status_code == 200
    detail = client.get(url("detail", survey.pk))
    assert detail.status_code == 200 and url("invitations", survey.pk) not in html(detail)
    assert client.get(url("results", survey.pk)).status_code == 200
    assert client.get(url("results-export", survey.pk)).status_code == 200
    for name in ("invitations", "answers", "edit", "groups", "question-new"):
        assert client.get(url(name, survey.pk)).status_code == 404, name
    assert client.post(url("close", survey.pk)).status_code == 404
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.OPEN


def test_an_unknown_survey_is_a_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(url("detail", 999)).status_code == 404


# --- Creating and editing ----------------------------------------------------------------------------
def form_data(offices, **overrides):
    opens = timezone.localtime() + dt.timedelta(days=1)
    data = {
        "title": "年度民主评议",
        "intro": "",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "offices": [o.pk for o in offices],
        "score_satisfied": "100",
        "score_basic": "60",
        "score_dissatisfied": "0",
        "min_valid_responses": "10",
        "most_satisfactory_count": "3",
        "lagging_count": "2",
        "standard_ballot": "on",
    }
    data.update(overrides)
    return data


def test_the_campaign_office_creates_a_survey_from_the_standard_ballot(client, coordinator, campaign, offices):
    client.force_login(coordinator)
    response = client.post(url("new"), form_data(offices))
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == url("detail", survey.pk)
    assert survey.campaign == campaign and survey.offices.count() == 3 and survey.groups.count() == 5
    page = html(client.get(response.url))
    assert "Open the survey" in page or "打开" in page or survey.title in page


def test_a_closing_time_before_the_opening_is_shown_next_to_the_field(client, coordinator, campaign, offices):
    client.force_login(coordinator)
    data = form_data(offices)
    data["closes_at"], data["opens_at"] = data["opens_at"], data["closes_at"]
    response = client.post(url("new"), data)
    assert response.status_code == 400
    assert "closes_at" in response.context["form"].errors
    assert not Survey.objects.exists()


def test_offices_cannot_change_on_the_page_once_voting_began(client, coordinator, survey, offices):
    vote(invite(group(survey))[0], full_answers(survey))
    client.force_login(coordinator)
    page = html(client.get(url("edit", survey.pk)))
    assert "Voting has begun" in page
    data = form_data(
        [offices[0]], title="改名", opens_at=timezone.localtime(survey.opens_at).strftime("%Y-%m-%dT%H:%M")
    )
    data.pop("standard_ballot")
    response = client.post(url("edit", survey.pk), data)
    assert response.status_code == 302  # the disabled field keeps its value; the title changes
    survey.refresh_from_db()
    assert survey.title == "改名" and survey.offices.count() == 3


def group_formset(rows):
    data = {
        "groups-TOTAL_FORMS": str(len(rows)),
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "1000",
    }
    for i, (pk, name, weight) in enumerate(rows):
        data.update({f"groups-{i}-id": pk or "", f"groups-{i}-name": name, f"groups-{i}-weight": str(weight)})
    return data


def test_weights_not_adding_up_to_100_are_shown_and_nothing_is_saved(client, coordinator, campaign, offices):
    survey = make_survey(campaign, offices, status=Survey.Status.DRAFT)
    client.force_login(coordinator)
    response = client.post(url("groups", survey.pk), group_formset([(None, "企业", 50), (None, "代表", 30)]))
    assert response.status_code == 400 and "add up to 80" in html(response)
    assert sorted(survey.groups.values_list("weight", flat=True)) == [20, 30, 50]
    ok = client.post(url("groups", survey.pk), group_formset([(None, "企业", 70), (None, "代表", 30)]))
    assert ok.status_code == 302
    assert sorted(survey.groups.values_list("name", "weight")) == [("代表", 30), ("企业", 70)]


def test_a_question_added_after_voting_began_is_refused_on_the_page(client, coordinator, survey):
    vote(invite(group(survey))[0], full_answers(survey))
    client.force_login(coordinator)
    response = client.post(url("question-new", survey.pk), {"text": "新问题", "kind": Kind.TEXT, "required": "on"})
    assert response.status_code == 400 and "Voting has begun" in html(response)
    assert survey.questions.count() == 2


def test_a_choice_question_without_options_is_refused_next_to_the_field(client, coordinator, campaign):
    survey = make_survey(campaign, status=Survey.Status.DRAFT)
    client.force_login(coordinator)
    response = client.post(url("question-new", survey.pk), {"text": "方式？", "kind": Kind.SINGLE, "options": "窗口"})
    assert response.status_code == 400 and "options" in response.context["form"].errors


def test_buttons_move_the_survey_and_refusals_come_back_as_messages(client, coordinator, campaign, offices):
    survey = make_survey(campaign, offices, status=Survey.Status.DRAFT)
    client.force_login(coordinator)
    assert client.post(url("publish", survey.pk), follow=True).status_code == 200
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.DRAFT
    client.post(url("open", survey.pk))
    client.post(url("close", survey.pk))
    client.post(url("publish", survey.pk))
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.PUBLISHED
    response = client.post(url("withdraw", survey.pk), {"reason": ""}, follow=True)
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.PUBLISHED
    assert "Say why" in html(response)


# --- Invitations -----------------------------------------------------------------------------------------
def test_a_batch_is_generated_printed_and_downloaded(client, coordinator, survey, settings):
    settings.SITE_URL = "https://xiaoneng.example.gov.cn"
    client.force_login(coordinator)
    response = client.post(url("invitations", survey.pk), {"group": group(survey).pk, "size": "12", "label": "座谈会"})
    batch = InvitationBatch.objects.get()
    assert response.status_code == 302 and batch.invitations.count() == 12
    listing = html(client.get(response.url))
    assert batch.invitations.first().display_code in listing

    sheet = html(client.get(url("batch-print", survey.pk, batch.pk)))
    assert sheet.count('class="qr-code"') == 12
    token = batch.invitations.first().token
    assert f"https://xiaoneng.example.gov.cn/appraisal/{token}/" in sheet
    assert "style=" not in sheet.split("<main")[1]

    download = client.get(url("batch-xlsx", survey.pk, batch.pk))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 13 and rows[1][3].endswith(f"/appraisal/{token}/")
    assert len(book.active._images) == 12


def test_used_and_revoked_invitations_are_left_off_the_print_sheet(client, coordinator, survey):
    first, second, third = invite(group(survey), 3)
    vote(first, full_answers(survey))
    client.force_login(coordinator)
    client.post(url("invitation-revoke", survey.pk, second.pk))
    assert Invitation.objects.get(pk=second.pk).revoked_at
    sheet = html(client.get(url("batch-print", survey.pk, first.batch_id)))
    assert sheet.count('class="qr-code"') == 1 and third.display_code in sheet


def test_a_note_is_saved_and_an_invitation_of_another_survey_is_a_404(client, coordinator, survey, campaign):
    invitation = invite(group(survey))[0]
    other = invite(group(make_survey(campaign)))[0]
    client.force_login(coordinator)
    client.post(url("invitation-note", survey.pk, invitation.pk), {"note": "张三，某公司"})
    assert Invitation.objects.get(pk=invitation.pk).note == "张三，某公司"
    assert client.post(url("invitation-note", survey.pk, other.pk), {"note": "x"}).status_code == 404


@pytest.mark.parametrize("n", [5, 50])
def test_invitations_page_query_budget(client, coordinator, survey, n, django_assert_num_queries):
    for g in survey.groups.all():
        invite(g, n)
    client.force_login(coordinator)
    # 14 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), count of
    # invitation, respondentgroup (+survey), current campaign, its phases, inbox badge, respondentgroup,
    # respondentgroup, invitationbatch (+respondentgroup, invitation, user), invitation (+respondentgroup)
    with django_assert_num_queries(14):
        response = client.get(url("invitations", survey.pk))
    assert response.status_code == 200 and html(response).count('<code class="text-nowrap">') == min(3 * n, 50)


# --- Results ---------------------------------------------------------------------------------------------
@pytest.fixture
def counted(campaign, offices):
    survey = make_survey(campaign, offices, min_valid_responses=2)
    a, b, c = offices
    cast_counts(survey, group(survey, "服务对象"), {a: (3, 1, 0, 0), b: (0, 1, 2, 1), c: (1, 0, 0, 0)})
    cast_counts(survey, group(survey, "监督员"), {a: (1, 0, 0, 0), b: (1, 1, 0, 0)})
    return survey


def test_the_staff_results_have_charts_with_their_numbers_in_tables(client, coordinator, counted, offices):
    client.force_login(coordinator)
    page = html(client.get(url("results", counted.pk)))
    assert page.count('<svg class="bar-chart"') == 2
    widths = re.findall(r'<rect class="bar-composite" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', page)
    # a: (50 × 90 + 20 × 100) ÷ 70 = 92.86 of 100 → 278.58 of the 300 units; b: 37.14; c: 100 → 300
    assert widths == ["278.58", "111.42", "300"]
    assert "bar-satisfied" in page and "bar-dissatisfied" in page
    assert 'data-testid="ranking"' in page and 'data-testid="ratings-by-group"' in page
    assert "style=" not in page.split("<main")[1]
    assert "Not published" in page


def test_the_results_export_holds_the_full_tables(client, supervisor, counted, offices):
    client.force_login(supervisor)
    response = client.get(url("results-export", counted.pk))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Ranking", "By group", "Respondents"] or len(book.sheetnames) >= 4
    ranking = list(book.worksheets[0].iter_rows(values_only=True))
    by_office = {row[0]: row for row in ranking[1:]}
    assert by_office[offices[0].name][1] == 1 and by_office[offices[0].name][4] == 5
    assert len(list(book.worksheets[1].iter_rows())) == 1 + 3 * 3  # offices × groups


def test_free_text_answers_are_listed_in_alphabetical_order_for_the_campaign_office(client, coordinator, survey):
    text = survey.questions.get(kind=Kind.TEXT)
    for comment in ("希望公开办事时限", "服务热情", "办事效率高"):
        vote(invite(group(survey))[0], full_answers(survey, overrides={text.pk: comment}))
    client.force_login(coordinator)
    page = html(client.get(url("answers", survey.pk)))
    listed = re.findall(r"</span>([^<]+)</li>", page)
    assert listed == sorted(["希望公开办事时限", "服务热情", "办事效率高"])


@pytest.mark.parametrize("n", [5, 50])
def test_staff_results_query_budget(client, coordinator, campaign, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n)]
    survey = make_survey(campaign, offices, extra_questions=(Kind.SINGLE, Kind.SCALE, Kind.TEXT))
    for g in survey.groups.all():
        cast_counts(survey, g, dict.fromkeys(offices, (2, 2, 1, 1)))
    client.force_login(coordinator)
    # 17 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), respondentgroup
    # (+survey), offices (+survey_offices), answer (+question, ballot), ballot, question, option, count of answer,
    # count of answer, answer (+question), current campaign, its phases, inbox badge
    with django_assert_num_queries(17):
        response = client.get(url("results", survey.pk))
    assert response.status_code == 200 and html(response).count('data-office="') == n


@pytest.mark.parametrize("n", [5, 50])
def test_results_export_query_budget(client, coordinator, campaign, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n)]
    survey = make_survey(campaign, offices, extra_questions=(Kind.SINGLE, Kind.SCALE, Kind.TEXT))
    for g in survey.groups.all():
        cast_counts(survey, g, dict.fromkeys(offices, (2, 2, 1, 1)))
    client.force_login(coordinator)
    # 14 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), respondentgroup
    # (+survey), offices (+survey_offices), answer (+question, ballot), count of ballot, question, option, then the
    # other questions: count of answers, by option, by scale value
    with django_assert_num_queries(14):
        response = client.get(url("results-export", survey.pk))
    ranking = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert len(ranking) == n + 1


@pytest.mark.parametrize("n", [5, 50])
def test_survey_list_query_budget(client, coordinator, campaign, n, django_assert_num_queries):
    for _ in range(n):
        survey = make_survey(campaign)
        invite(group(survey), 2)
    client.force_login(coordinator)
    # 9 queries: session, user, user permissions, group permissions, count of survey, current campaign, its phases,
    # inbox badge, survey_offices (+respondentgroup, campaign, hearing)
    with django_assert_num_queries(9):
        response = client.get(url("surveys"))
    assert response.status_code == 200
    assert len(re.findall(r'href="/staff/appraisal/\d+/"', html(response))) == min(n, 25)


# --- Hearings --------------------------------------------------------------------------------------------
def test_a_hearing_is_recorded_polled_and_published_through_the_pages(client, coordinator, campaign, offices):
    client.force_login(coordinator)
    today = timezone.localdate()
    response = client.post(
        url("hearing-new"),
        {
            "title": "听证质询会",
            "date": today.isoformat(),
            "place": "三楼会议室",
            "offices": [offices[0].pk, offices[1].pk],
            "summary": "",
        },
    )
    hearing = campaign.hearings.get()
    assert response.status_code == 302
    for name, kind in (("王建国", "deputy"), ("李秀英", "deputy"), ("孙丽", "supervisor")):
        client.post(url("panelist-add", hearing.pk), {"name": name, "kind": kind})
    assert hearing.panel.count() == 3
    bad = client.post(url("hearing-question-new", hearing.pk), {"office": offices[2].pk, "question": "问题"})
    assert bad.status_code == 400 and not hearing.questions.exists()
    client.post(
        url("hearing-question-new", hearing.pk),
        {"office": offices[0].pk, "question": "如何整改？", "answer": "限期整改。"},
    )
    assert hearing.questions.count() == 1
    opens = timezone.localtime().replace(second=0, microsecond=0)
    poll_response = client.post(
        url("poll-create", hearing.pk),
        {
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (opens + dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    hearing.refresh_from_db()
    poll = hearing.poll
    assert poll_response.status_code == 302 and poll_response.url == url("detail", poll.pk)
    assert list(poll.groups.order_by("order").values_list("weight", flat=True)) == [50, 50]
    assert set(Invitation.objects.filter(group__survey=poll).values_list("note", flat=True)) == {
        "王建国",
        "李秀英",
        "孙丽",
    }
    refused = client.post(url("hearing-publish", hearing.pk), follow=True)
    assert "Write the summary" in html(refused) and not Survey.objects.get(pk=poll.pk).hearing.is_published
    client.post(
        url("hearing-edit", hearing.pk),
        {
            "title": "听证质询会",
            "date": today.isoformat(),
            "place": "三楼会议室",
            "summary": "质询情况良好。",
        },
    )
    client.post(url("hearing-publish", hearing.pk))
    hearing.refresh_from_db()
    assert hearing.is_published and hearing.summary == "质询情况良好。"
    assert hearing.offices.count() == 2  # fixed by the poll; the disabled field kept them


def test_a_hearing_in_the_future_cannot_publish_its_summary(coordinator, campaign, offices):
    hearing = services.hearing_create(
        actor=coordinator,
        campaign=campaign,
        title="听证会",
        place="会议室",
        date=timezone.localdate() + dt.timedelta(days=3),
        offices=offices,
    )
    services.hearing_update(hearing_id=hearing.pk, actor=coordinator, summary="预写的摘要")
    with pytest.raises(services.surveys.ValidationError):
        services.hearing_publish(hearing_id=hearing.pk, actor=coordinator)


def test_a_supervisor_reads_a_hearing_but_cannot_change_it(client, supervisor, coordinator, campaign, offices):
    hearing = services.hearing_create(
        actor=coordinator, campaign=campaign, title="听证会", place="会议室", date=timezone.localdate(), offices=offices
    )
    client.force_login(supervisor)
    page = client.get(url("hearing", hearing.pk))
    assert page.status_code == 200 and url("panelist-add", hearing.pk) not in html(page)
    assert client.post(url("panelist-add", hearing.pk), {"name": "x", "kind": "deputy"}).status_code == 404
    assert client.get(url("hearing-edit", hearing.pk)).status_code == 404


@pytest.mark.parametrize("n", [5, 50])
def test_hearing_list_query_budget(client, coordinator, campaign, offices, n, django_assert_num_queries):
    for i in range(n):
        services.hearing_create(
            actor=coordinator,
            campaign=campaign,
            title=f"听证会{i}",
            place="会议室",
            date=timezone.localdate(),
            offices=offices,
        )
    client.force_login(coordinator)
    # 10 queries: session, user, user permissions, group permissions, count of hearing, current campaign, its phases,
    # inbox badge, hearing (+panelist, hearingquestion, campaign, survey), offices (+hearing_offices)
    with django_assert_num_queries(10):
        response = client.get(url("hearings"))
    assert len(re.findall(r'href="/staff/appraisal/hearings/\d+/"', html(response))) == min(n, 25)


def test_charts_colour_the_most_satisfactory_and_lagging_offices(client, coordinator, campaign, offices):
    survey = make_survey(campaign, offices, min_valid_responses=1, most_satisfactory_count=1, lagging_count=1)
    a, b, c = offices
    cast_counts(survey, group(survey), {a: (4, 0, 0, 0), b: (2, 2, 0, 0), c: (0, 0, 4, 0)})
    client.force_login(coordinator)
    page = html(client.get(url("results", survey.pk)))
    assert '<g class="chart-row is-top">' in page and '<g class="chart-row is-lagging">' in page


def test_all_unused_invitations_of_a_survey_print_on_one_sheet(client, coordinator, survey):
    invite(group(survey), 2)
    invite(group(survey, "监督员"), 3)
    used = invite(group(survey))[0]
    vote(used, full_answers(survey))
    client.force_login(coordinator)
    sheet = html(client.get(url("print-all", survey.pk)))
    assert sheet.count('class="qr-code"') == 5 and used.display_code not in sheet
    assert "监督员 · " in sheet and "服务对象 · " in sheet


@pytest.mark.parametrize("n", [5, 50])
def test_print_sheet_query_budget(client, coordinator, survey, n, django_assert_num_queries):
    batch = invite(group(survey), n)[0].batch
    invite(group(survey, "监督员"), n)
    client.force_login(coordinator)
    # 9 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), invitation
    # (+respondentgroup), current campaign, its phases, inbox badge
    with django_assert_num_queries(9):
        whole = client.get(url("print-all", survey.pk))
    # 8 queries (the header's campaign is cached by the first page): session, user, user permissions, group
    # permissions, survey (+campaign, hearing), invitationbatch (+respondentgroup), invitation (+respondentgroup),
    # inbox badge
    with django_assert_num_queries(8):
        one = client.get(url("batch-print", survey.pk, batch.pk))
    assert html(whole).count('class="qr-code"') == 2 * n and html(one).count('class="qr-code"') == n


@pytest.mark.parametrize("n", [5, 50])
def test_batch_download_query_budget(client, coordinator, survey, n, django_assert_num_queries):
    batch = invite(group(survey), n)[0].batch
    client.force_login(coordinator)
    # 7 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), invitationbatch
    # (+respondentgroup), invitation (+respondentgroup)
    with django_assert_num_queries(7):
        response = client.get(url("batch-xlsx", survey.pk, batch.pk))
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == n + 1


@pytest.mark.parametrize("n", [5, 50])
def test_groups_page_query_budget(client, coordinator, campaign, offices, n, django_assert_num_queries):
    survey = make_survey(campaign, offices, groups=[(f"群体{i}", 1) for i in range(n)])
    client.force_login(coordinator)
    # 10 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), respondentgroup
    # (+survey), ballot (has voting begun), current campaign, its phases, inbox badge
    with django_assert_num_queries(10):
        response = client.get(url("groups", survey.pk))
    assert html(response).count('value="群体') == n


def test_once_voting_began_the_groups_page_only_renames(client, coordinator, survey):
    vote(invite(group(survey))[0], full_answers(survey))
    client.force_login(coordinator)
    page = html(client.get(url("groups", survey.pk)))
    assert 'data-testid="frozen"' in page and "DELETE" not in page and page.count("readonly") == 3
    rows = [(g.pk, g.name, g.weight) for g in survey.groups.order_by("order")]
    data = group_formset([(rows[0][0], "服务对象和企业", rows[0][2]), *rows[1:]])
    data["groups-INITIAL_FORMS"] = "3"
    assert client.post(url("groups", survey.pk), data).status_code == 302
    assert survey.groups.order_by("order").first().name == "服务对象和企业"
    tampered = group_formset([(rows[0][0], "服务对象", 40), (rows[1][0], rows[1][1], 40), rows[2]])
    tampered["groups-INITIAL_FORMS"] = "3"
    response = client.post(url("groups", survey.pk), tampered)
    assert response.status_code == 400 and "Voting has begun" in html(response)


def test_without_a_current_campaign_no_survey_can_be_created(client, coordinator, offices):
    client.force_login(coordinator)
    response = client.post(url("new"), form_data(offices))
    assert response.status_code == 400 and "no current campaign" in html(response)
    assert not Survey.objects.exists()


def test_a_draft_says_what_stops_it_from_opening(client, coordinator, campaign):
    survey = services.survey_create(
        actor=coordinator,
        campaign=campaign,
        title="草稿",
        opens_at=timezone.now() + dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=9),
    )
    client.force_login(coordinator)
    page = html(client.get(url("detail", survey.pk)))
    readiness = re.search(r'data-testid="readiness">(.*?)</ul>', page, re.S).group(1)
    assert "Choose the offices to be appraised" in readiness
    assert url("open", survey.pk) not in page


@pytest.mark.parametrize("n", [5, 50])
def test_survey_detail_query_budget(client, coordinator, campaign, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n)]
    kinds = (Kind.SINGLE, Kind.SCALE, Kind.TEXT)
    survey = make_survey(
        campaign, offices, extra_questions=[kinds[i % 3] for i in range(n)], open_link_groups=("监督员",)
    )
    client.force_login(coordinator)
    # 13 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), question, option,
    # respondentgroup (+survey), ballot (has voting begun), offices (+survey_offices), current campaign, its phases,
    # inbox badge
    with django_assert_num_queries(13):
        response = client.get(url("detail", survey.pk))
    page = html(response)
    assert page.count("问题 ") == n and len(re.findall(r"<li>Office \d+</li>", page)) == n


@pytest.mark.parametrize("n", [5, 50])
def test_free_text_answers_query_budget(client, coordinator, survey, n, django_assert_num_queries):
    from evaluations.models import Answer, Ballot

    text = survey.questions.get(kind=Kind.TEXT)
    for g in survey.groups.all():
        for i in range(n):
            ballot = Ballot.objects.create(
                survey=survey, group=g, channel=Ballot.Channel.INVITATION, submitted_on=timezone.localdate()
            )
            Answer.objects.create(ballot=ballot, question=text, text=f"意见{i}")
    client.force_login(coordinator)
    # 10 queries: session, user, user permissions, group permissions, survey (+campaign, hearing), question, answer
    # (+ballot, respondentgroup), current campaign, its phases, inbox badge
    with django_assert_num_queries(10):
        response = client.get(url("answers", survey.pk))
    assert html(response).count("意见") == 3 * n


@pytest.mark.parametrize("n", [5, 50])
def test_hearing_page_query_budget(client, coordinator, campaign, n, django_assert_num_queries):
    hearing = published_hearing(campaign, [OfficeFactory() for _ in range(n)], n)
    client.force_login(coordinator)
    # 13 queries: session, user, user permissions, group permissions, hearing (+campaign, poll, user), offices
    # (+hearing_offices), panelist, hearingquestion (+offices, panelist), current campaign, its phases, inbox badge,
    # the question form's choices: offices (+hearing_offices), panelist
    with django_assert_num_queries(13):
        response = client.get(url("hearing", hearing.pk))
    assert html(response).count("如何落实第") == n
