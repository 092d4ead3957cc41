"""A citizen files a complaint and follows it, on a phone, with the keyboard only."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation
from playwright.sync_api import expect

from complaints import services
from complaints.models import Complaint
from complaints.tests.factories import submit, walk_to

DESCRIPTION = "在政务服务中心3号窗口办理营业执照，工作人员态度恶劣，三次推诿不予受理。"


@pytest.fixture
def en_phone_page(new_page):
    """A phone in English: these tests find fields and buttons by their English
    labels; the Chinese pages are covered by the home-page and i18n tests."""
    from tests.browser.conftest import PHONE

    return new_page(viewport=PHONE, locale="en-US")


@pytest.fixture
def problem_types(db):
    """The seeded problem types. They come from a data migration, and the browser tests'
    transactional database flushes them after every test, so put them back."""
    importlib.import_module("complaints.migrations.0002_problem_types").create(apps, None)


def tab_to(page, locator, limit=40):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def no_sideways_scroll(page):
    size = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1], f"horizontal scroll at phone width: {size}"


@pytest.mark.browser
def test_a_citizen_files_and_follows_a_complaint_with_the_keyboard_on_a_phone(
    en_phone_page, problem_types, campaign, office_a, office_b, screenshot, browser_log
):
    page = en_phone_page
    page.goto("/complaints/new/")
    assert page.viewport_size == {"width": 390, "height": 844}
    no_sideways_scroll(page)
    screenshot(page, "1-form")

    # The office: narrow the list by typing, then pick with the arrow key.
    office_filter = page.locator("#id_office_filter")
    office = page.locator("#id_office")
    tab_to(page, office_filter)
    page.keyboard.type("宣传")
    expect(office.locator("option")).to_have_count(2)  # "not sure" and 宣传办公室
    page.keyboard.press("Tab")
    expect(office).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(office).to_have_value(str(office_b.pk))

    # The problem type: Tab into the radio group, Space picks, arrows move.
    page.keyboard.press("Tab")
    first_type = page.locator("#id_problem_type_0")
    expect(first_type).to_be_focused()
    page.keyboard.press("Space")
    expect(first_type).to_be_checked()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    attitude = page.locator("#id_problem_type_2")
    expect(attitude).to_be_checked()
    expect(attitude).to_be_focused()

    # What happened, with the character counter following along.
    page.keyboard.press("Tab")
    expect(page.locator("#id_description")).to_be_focused()
    page.keyboard.type(DESCRIPTION)
    expect(page.get_by_test_id("char-counter")).to_contain_text(f"{len(DESCRIPTION)}")
    expect(page.get_by_test_id("char-counter")).to_contain_text("5000")

    # Past the optional date (its parts are tab stops of their own) to the place.
    location = page.locator("#id_location")
    tab_to(page, location, limit=6)
    page.keyboard.type("政务服务中心")

    # Anonymous hides name and phone; real name brings them back.
    page.keyboard.press("Tab")
    real = page.locator("#id_is_anonymous_0")
    expect(real).to_be_focused()
    expect(real).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_is_anonymous_1")).to_be_checked()
    expect(page.locator("#id_name")).to_be_hidden()
    expect(page.locator("#id_phone")).to_be_hidden()
    screenshot(page, "2-anonymous")
    page.keyboard.press("ArrowUp")
    expect(real).to_be_checked()
    expect(page.locator("#id_name")).to_be_visible()

    page.keyboard.press("Tab")
    expect(page.locator("#id_name")).to_be_focused()
    page.keyboard.type("李四")
    page.keyboard.press("Tab")
    expect(page.locator("#id_phone")).to_be_focused()
    page.keyboard.type("13912345678")
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_attachments")).to_be_focused()
    page.keyboard.press("Tab")  # the hidden honeypot is no tab stop
    submit = page.get_by_role("button", name="Send the complaint")
    expect(submit).to_be_focused()
    no_sideways_scroll(page)
    screenshot(page, "3-filled")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/complaints/new/receipt/")
    complaint = Complaint.objects.get()
    assert (complaint.office, complaint.problem_type.code, complaint.description) == (office_b, "attitude", DESCRIPTION)
    expect(page.get_by_test_id("tracking-number")).to_have_text(complaint.tracking_number)
    code = page.get_by_test_id("access-code").inner_text().strip()
    assert services.access_code_matches(complaint, code)
    expect(page.locator("main")).not_to_contain_text("李四")
    expect(page.locator("main")).not_to_contain_text("13912345678")
    no_sideways_scroll(page)
    screenshot(page, "4-receipt")

    # Follow it: the receipt's link fills in the number; the code is typed.
    follow = page.get_by_role("link", name="Follow your complaint")
    tab_to(page, follow)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#id_tracking_number")).to_have_value(complaint.tracking_number)
    access = page.locator("#id_access_code")
    tab_to(page, access)
    page.keyboard.type(code)
    screenshot(page, "5-track-form")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # implicit submission
    page.wait_for_url(f"**/complaints/track/{complaint.tracking_number}/")
    with translation.override("en"):
        registered = str(Complaint.Status.REGISTERED.label)
    expect(page.get_by_test_id("complaint-status")).to_have_text(registered)
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(1)
    expect(page.get_by_test_id("add-info-form")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("李四")
    no_sideways_scroll(page)
    screenshot(page, "6-tracked")

    browser_log.assert_clean()


@pytest.mark.browser
def test_the_landing_figures_and_cases_pages_fit_a_phone(
    en_phone_page, problem_types, campaign, office_a, office_b, centre_staff, staff_b, screenshot, browser_log
):
    complaints = [
        submit(office=office_a, anonymous=True, description=f"第{n}件投诉，工作人员推诿扯皮，事情一直没有办。")[0]
        for n in range(4)
    ]
    walk_to("replied", complaints[0], centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaints[0].pk, rating="satisfied")
    services.complaint_close(complaint_id=complaints[0].pk, actor=centre_staff)
    services.typical_case_publish(
        complaint_id=complaints[0].pk,
        actor=centre_staff,
        kind="negative",
        title="窗口推诿扯皮典型案例",
        summary="某窗口工作人员对前来办事的群众多次推诿，经核查属实，已责令整改并通报批评。",
    )
    for path, name in (("/complaints/", "index"), ("/complaints/stats/", "stats"), ("/complaints/cases/", "cases")):
        en_phone_page.goto(path)
        no_sideways_scroll(en_phone_page)
        screenshot(en_phone_page, name)
    expect(en_phone_page.get_by_test_id("case")).to_have_count(1)
    browser_log.assert_clean()


@pytest.mark.browser
def test_a_complainant_rates_the_reply_and_asks_for_a_review_on_a_phone(
    en_phone_page, problem_types, office_a, office_b, centre_staff, staff_b, screenshot, browser_log
):
    complaint, code = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    page = en_phone_page
    page.goto(f"/complaints/track/?number={complaint.tracking_number}")
    page.locator("#id_access_code").fill(code)
    with page.expect_navigation():
        page.locator("#id_access_code").press("Enter")
    expect(page.get_by_test_id("reply")).to_contain_text("经核查，已责令整改。")
    expect(page.get_by_test_id("handling-office")).to_have_text(office_b.name)
    no_sideways_scroll(page)
    screenshot(page, "1-replied")

    # Rate from the keyboard: into the radio group, the arrow picks "dissatisfied", Enter sends.
    tab_to(page, page.locator("#id_rating_0"))
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_rating_2")).to_be_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page.get_by_test_id("rate-form")).to_have_count(0)
    review = page.get_by_test_id("review-form")
    expect(review).to_be_visible()
    screenshot(page, "2-rated")

    tab_to(page, page.locator("#id_reason"))
    page.keyboard.type("问题没有解决，窗口仍然推诿。")
    page.keyboard.press("Tab")
    expect(review.get_by_role("button")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with translation.override("en"):
        accepted = str(Complaint.Status.ACCEPTED.label)
    expect(page.get_by_test_id("complaint-status")).to_have_text(accepted)
    expect(page.get_by_test_id("handling-office")).to_have_text("the complaint centre")
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    no_sideways_scroll(page)
    screenshot(page, "3-review-requested")
    assert Complaint.objects.get(pk=complaint.pk).review_count == 1
    browser_log.assert_clean()
