"""Democratic appraisal in a real browser: a respondent answers the office matrix on a
phone with the keyboard only; the campaign office reads the results with their charts
and prints invitations; the public reads the published ranking. No CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.tests.factories import OfficeFactory
from evaluations import services
from evaluations.models import Ballot, Invitation, Question, Survey
from evaluations.tests.factories import cast_counts, group, invite, make_survey

Kind = Question.Kind


def tab_to(page, locator, limit=60):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def no_sideways_scroll(page):
    size = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1], f"horizontal scroll at phone width: {size}"


@pytest.fixture
def offices(office_a, office_b):
    return [office_a, office_b, OfficeFactory(name="科技发展办公室", short_name="科发办")]


@pytest.fixture
def survey(campaign, offices):
    return make_survey(
        campaign,
        offices,
        extra_questions=(Kind.SCALE,),
        title="2025年度机关作风民主评议",
        intro="请根据您的亲身感受，对以下单位作出评价。",
        most_satisfactory_count=1,
        lagging_count=1,
    )


@pytest.mark.browser
def test_a_respondent_rates_the_offices_on_a_phone_with_the_keyboard_only(
    phone_page, survey, offices, screenshot, browser_log
):
    page = phone_page
    invitation = invite(group(survey))[0]
    matrix = survey.questions.get(kind=Kind.MATRIX)
    scale = survey.questions.get(kind=Kind.SCALE)
    page.goto(f"/appraisal/{invitation.token}/")
    assert page.viewport_size == {"width": 390, "height": 844}
    expect(page.locator("fieldset.rating-row")).to_have_count(3)
    expect(page.locator("fieldset.rating-row legend").first).to_have_text(offices[0].name)
    no_sideways_scroll(page)
    screenshot(page, "1-ballot")

    def radio(office, value):
        return page.locator(f"input[name=q{matrix.pk}_o{office.pk}][value={value}]")

    # First office: Tab into its radio group, Space picks the first answer, the arrow moves on.
    tab_to(page, radio(offices[0], "satisfied"))
    page.keyboard.press("Space")
    expect(radio(offices[0], "satisfied")).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(radio(offices[0], "basic")).to_be_checked()
    expect(radio(offices[0], "basic")).to_be_focused()
    expect(page.locator("[data-matrix-progress]")).to_contain_text("1")

    # Tab leaves the group for the next office; the third office is left out on purpose.
    page.keyboard.press("Tab")
    expect(radio(offices[1], "satisfied")).to_be_focused()
    page.keyboard.press("Space")
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    expect(radio(offices[1], "dissatisfied")).to_be_checked()
    screenshot(page, "2-two-rated")

    # The scale, then send with Enter on the button.
    tab_to(page, page.locator(f"#id_q{scale.pk}_0"))
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#id_q{scale.pk}_3")).to_be_checked()
    submit = page.locator("form[data-ballot] button[type=submit]")
    tab_to(page, submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Re-shown with the error next to the office left out, the summary focused, nothing stored.
    summary = page.get_by_test_id("ballot-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    missing = page.locator(f"#question-{matrix.pk}-office-{offices[2].pk}")
    expect(missing).to_have_class(re.compile("is-invalid"))
    expect(missing.locator(".invalid-feedback")).to_be_visible()
    expect(radio(offices[0], "basic")).to_be_checked()  # what was given is kept
    assert not Ballot.objects.exists()
    no_sideways_scroll(page)
    screenshot(page, "3-errors")

    # The link in the summary leads to the office; rate it "don't know" and send.
    summary.get_by_role("link").first.press("Enter")
    tab_to(page, radio(offices[2], "satisfied"))
    page.keyboard.press("Space")
    page.keyboard.press("End")  # the last of the group: "don't know"
    if not radio(offices[2], "unknown").is_checked():
        for _ in range(3):
            page.keyboard.press("ArrowRight")
    expect(radio(offices[2], "unknown")).to_be_checked()
    tab_to(page, submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("thanks")).to_be_visible()
    screenshot(page, "4-thanks")

    ballot = Ballot.objects.get()
    ratings = {a.office_id: a.rating for a in ballot.answers.filter(office__isnull=False)}
    assert ratings == {offices[0].pk: "basic", offices[1].pk: "dissatisfied", offices[2].pk: "unknown"}
    assert ballot.answers.get(question=scale).scale == 4
    assert Invitation.objects.get().used_at is not None

    # The same link again: a polite "already used", and nothing more is stored.
    page.goto(f"/appraisal/{invitation.token}/")
    expect(page.get_by_test_id("unavailable")).to_have_attribute("data-reason", "used")
    screenshot(page, "5-used")
    assert Ballot.objects.count() == 1
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_campaign_office_reads_the_results_prints_invitations_and_publishes(
    page, login, coordinator, survey, offices, screenshot, browser_log
):
    a, b, c = offices
    for g, counts in zip(
        survey.groups.order_by("order"),
        [
            {a: (9, 3, 1, 1), b: (4, 5, 4, 1), c: (6, 4, 1, 3)},
            {a: (5, 2, 0, 1), b: (2, 3, 3, 0), c: (3, 3, 1, 1)},
            {a: (3, 1, 1, 0), b: (1, 2, 2, 1), c: (2, 2, 0, 1)},
        ],
        strict=False,
    ):
        cast_counts(survey, g, counts)
    services.invitation_batch_create(group_id=group(survey).pk, actor=coordinator, size=6, label="企业座谈会")

    login(page, coordinator)
    page.goto(f"/staff/appraisal/{survey.pk}/results/")
    charts = page.locator("svg.bar-chart")
    expect(charts).to_have_count(2)
    expect(charts.first.locator("rect.bar-composite")).to_have_count(3)
    expect(page.get_by_test_id("ranking").locator("tbody tr").first).to_contain_text(a.name)
    screenshot(page, "results")

    page.goto(f"/staff/appraisal/{survey.pk}/invitations/")
    screenshot(page, "invitations")
    page.get_by_role("link", name="Print sheet").click()
    expect(page.locator(".invite-card")).to_have_count(6)
    expect(page.locator("svg.qr-code").first).to_be_visible()
    screenshot(page, "print-sheet")

    page.goto(f"/staff/appraisal/{survey.pk}/")
    screenshot(page, "survey-detail")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the survey").click()
    page.wait_for_load_state()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish the results").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("status").first).to_have_text("Published")
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.PUBLISHED
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_public_reads_the_published_ranking_on_a_phone(phone_page, campaign, offices, screenshot, browser_log):
    page = phone_page
    survey = make_survey(
        campaign,
        offices,
        status=Survey.Status.PUBLISHED,
        min_valid_responses=5,
        most_satisfactory_count=1,
        lagging_count=1,
        title="2025年度群众评议机关",
    )
    a, b, c = offices
    for g in survey.groups.all():
        cast_counts(survey, g, {a: (8, 2, 0, 1), b: (3, 4, 3, 1), c: (5, 4, 1, 2)})
    page.goto(f"/appraisal/results/{survey.pk}/")
    expect(page.get_by_test_id("most-satisfactory")).to_contain_text(a.name)
    expect(page.get_by_test_id("lagging")).to_contain_text(b.name)
    no_sideways_scroll(page)
    screenshot(page, "public-results")
    page.locator(f"#office-{c.pk}-details summary").click()
    expect(page.locator(f"#office-{c.pk}-details table")).to_be_visible()
    screenshot(page, "public-breakdown")
    browser_log.assert_clean()


@pytest.mark.browser
def test_a_hearing_is_kept_by_the_campaign_office_and_its_summary_read_on_a_phone(
    page, new_page, login, coordinator, campaign, offices, screenshot, browser_log
):
    import datetime as dt

    from django.utils import timezone

    from evaluations.models import Panelist

    hearing = services.hearing_create(
        actor=coordinator,
        campaign=campaign,
        title="作风建设听证质询会",
        date=timezone.localdate(),
        place="管委会三楼会议室",
        offices=offices[:2],
    )
    for name, kind in (
        ("王建国", Panelist.Kind.DEPUTY),
        ("孙丽", Panelist.Kind.SUPERVISOR),
        ("吴海", Panelist.Kind.RECIPIENT),
    ):
        services.panelist_add(hearing_id=hearing.pk, actor=coordinator, name=name, kind=kind)
    login(page, coordinator)
    page.goto(f"/staff/appraisal/hearings/{hearing.pk}/")
    form = page.locator("form[action$='/questions/']")
    form.get_by_label("Office asked").select_option(str(offices[0].pk))
    form.get_by_label("Question raised").fill("企业反映办理入园手续要跑多个科室，如何落实首问负责制？")
    form.get_by_label("The office's answer").fill("已设立综合受理窗口，首问人负责全程跟踪。")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("article")).to_contain_text("首问负责制")
    start = timezone.localtime().replace(second=0, microsecond=0)
    poll = page.locator("form[action$='/poll/']")
    poll.get_by_label("Opens at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    poll.get_by_label("Closes at").fill((start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"))
    poll.get_by_role("button", name="Create the opinion poll").click()
    page.wait_for_url(re.compile(r"/staff/appraisal/\d+/$"))
    screenshot(page, "poll")
    page.goto(f"/staff/appraisal/hearings/{hearing.pk}/")
    screenshot(page, "hearing")
    services.hearing_update(
        hearing_id=hearing.pk, actor=coordinator, summary="质询组对两个单位进行了质询，两单位作出整改承诺。"
    )
    services.hearing_publish(hearing_id=hearing.pk, actor=coordinator)

    phone = new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone.goto(f"/appraisal/hearings/{hearing.pk}/")
    expect(phone.get_by_test_id("hearing-summary")).to_contain_text("整改承诺")
    expect(phone.locator("main")).not_to_contain_text("王建国")
    no_sideways_scroll(phone)
    screenshot(phone, "public-hearing")
    browser_log.assert_clean()
