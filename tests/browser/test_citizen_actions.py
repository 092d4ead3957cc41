"""A citizen's two main actions, filing a complaint and following one, come first:
above the fold on a phone's home page and first in the top menu, in every size and
language (issue 14, item 4)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.browser
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("size", list(SIZES))
def test_filing_and_following_a_complaint_come_first(
    new_page, campaign, phase, screenshot, browser_log, language, size
):
    page = new_page(viewport=SIZES[size], locale=LANGUAGES[language])
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    height = SIZES[size]["height"]
    for action in ("action-file", "action-follow"):
        button = page.get_by_test_id(action)
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["y"] + box["height"] <= height, f"{action} ends at {box['y'] + box['height']} px, below the fold"
    screenshot(page, f"home-{language}-{size}")

    # The top menu names them first, before the other public sections.
    if size == "phone":
        page.locator(".navbar-toggler").click()
        expect(page.locator("#main-nav")).to_be_visible()
    links = page.locator("#main-nav .navbar-nav").first.locator("a.nav-link")
    expect(links.nth(0)).to_have_attribute("href", "/complaints/new/")
    expect(links.nth(1)).to_have_attribute("href", "/complaints/track/")
    for n in (0, 1):
        box = links.nth(n).bounding_box()
        assert box["y"] + box["height"] <= height
    screenshot(page, f"menu-{language}-{size}")

    page.get_by_test_id("action-file").click()
    page.wait_for_url("**/complaints/new/")
    expect(page.locator("form[data-complaint-form]")).to_be_visible()
    browser_log.assert_clean()
