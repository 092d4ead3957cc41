"""Every role's day on the demo campaign, in a real browser: each lands on its own
work, follows a count to the list behind it, reads its notices in the language it
uses now, and a supervisor reads a complaint without who complained. Screenshots
of every page at 390 and 1280 px, in Simplified Chinese and in English."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_oversight_dashboard import PASSWORDS

LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
HOMES = {
    "centre": ["panel-centre", "panel-inbox"],
    "office": ["panel-tasks", "panel-complaints", "panel-commitments", "panel-deliverables", "panel-inbox"],
    "coordinator": ["panel-tasks", "panel-review", "panel-late", "panel-inbox"],
    "supervisor": ["panel-late"],
}


def open_as(new_page, login, user, *, language="en", size="desktop"):
    page = new_page(viewport=SIZES[size], locale=LANGUAGES[language])
    login(page, user, PASSWORDS[user.username])
    return page


def no_sideways_scroll(page):
    """The page's own content fits the width (the navbar is measured by its own test)."""
    width = page.evaluate("() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; }")
    assert width <= 0, f"the content is {width}px wider than the page"


@pytest.mark.browser
@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_own_work(new_page, login, demo, screenshot, browser_log, role):
    for language in LANGUAGES:
        for size in SIZES:
            page = open_as(new_page, login, demo[role], language=language, size=size)
            expect(page.locator("html")).to_have_attribute("lang", language)
            for section in HOMES[role]:
                expect(page.locator(f"section#{section}")).to_be_visible()
            no_sideways_scroll(page)
            screenshot(page, f"{role}-{language}-{size}")
            page.context.close()
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_centre_follows_a_count_to_the_complaints_waiting_for_it(new_page, login, demo, screenshot, browser_log):
    page = open_as(new_page, login, demo["centre"])
    count = page.get_by_test_id("count-to-accept")
    waiting = int(page.get_by_test_id("count-to-accept-value").inner_text())
    assert waiting > 0
    count.click()
    page.wait_for_url(re.compile(r"/staff/complaints/\?status=registered"))
    expect(page.locator("#id_status")).to_have_value("registered")
    expect(page.locator("table tbody tr")).to_have_count(waiting)
    screenshot(page, "queue-registered")
    browser_log.assert_clean()


@pytest.mark.browser
def test_an_office_follows_its_overdue_tasks(new_page, login, demo, screenshot, browser_log):
    for language in LANGUAGES:
        for size in SIZES:
            page = open_as(new_page, login, demo["office"], language=language, size=size)
            overdue = int(page.get_by_test_id("count-tasks-overdue-value").inner_text())
            page.get_by_test_id("count-tasks-overdue").click()
            page.wait_for_url(re.compile(r"/staff/tasks/\?state=overdue"))
            expect(page.locator("section#overdue .task-row")).to_have_count(overdue)
            expect(page.locator("section#later")).to_have_count(0)
            screenshot(page, f"tasks-{language}-{size}")
            page.goto("/staff/deliverables/mine/?state=overdue")
            expect(page.get_by_test_id("state-filter")).to_be_visible()
            screenshot(page, f"deliverables-{language}-{size}")
            page.context.close()
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_inbox_reads_in_the_language_of_the_moment_and_is_marked_read(
    new_page,
    login,
    own_demo,
    screenshot,
    browser_log,
):
    for size in SIZES:
        page = open_as(new_page, login, own_demo["centre"], language="zh-hans", size=size)
        page.goto("/staff/inbox/")
        first = page.get_by_test_id("notice-subject").first
        expect(first).to_contain_text("待受理")
        expect(page.get_by_test_id("notice")).to_have_count(25)  # a page of them, one line each
        no_sideways_scroll(page)
        screenshot(page, f"inbox-zh-hans-{size}")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():  # on a phone the switcher is in the folded menu
            toggler.click()
            expect(page.locator("#language-select")).to_be_visible()
        with page.expect_navigation():
            page.locator("#language-select").select_option("en")
        expect(page.get_by_test_id("notice-subject").first).to_contain_text("to accept")
        expect(page.get_by_test_id("notice-summary").first).to_contain_text("waits for acceptance")
        screenshot(page, f"inbox-en-{size}")
        if size == "desktop":
            expect(page.get_by_test_id("inbox-unread")).to_be_visible()
            page.get_by_test_id("mark-all-read").click()
            page.wait_for_url(re.compile(r"/staff/inbox/$"))
            expect(page.get_by_test_id("inbox-unread")).to_have_count(0)
            expect(page.locator(".notice-unread")).to_have_count(0)
            screenshot(page, "inbox-all-read")
        page.context.close()
    browser_log.assert_clean()


@pytest.mark.browser
def test_a_notice_opens_the_work_it_is_about(new_page, login, own_demo, browser_log):
    page = open_as(new_page, login, own_demo["centre"])
    unread = int(page.get_by_test_id("count-unread-value").inner_text())
    page.get_by_test_id("home-notice").first.click()
    page.wait_for_url(re.compile(r"/staff/complaints/\d+/$"))
    page.goto("/staff/")
    expect(page.get_by_test_id("count-unread-value")).to_have_text(str(unread - 1))
    browser_log.assert_clean()


@pytest.mark.browser
def test_a_supervisor_reads_complaints_without_who_complained(new_page, login, demo, screenshot, browser_log):
    for language in LANGUAGES:
        for size in SIZES:
            page = open_as(new_page, login, demo["supervisor"], language=language, size=size)
            page.get_by_test_id("count-late-complaints").click()
            page.wait_for_url(re.compile(r"/staff/complaints/\?overdue=on"))
            screenshot(page, f"queue-{language}-{size}")
            page.locator("table tbody tr a").first.click()
            page.wait_for_url(re.compile(r"/staff/complaints/\d+/$"))
            expect(page.get_by_test_id("identity-label")).to_be_visible()
            expect(page.get_by_test_id("show-identity")).to_have_count(0)
            expect(page.locator("main form[action*='/staff/complaints/']")).to_have_count(0)
            screenshot(page, f"detail-{language}-{size}")
            page.context.close()
    browser_log.assert_clean()
