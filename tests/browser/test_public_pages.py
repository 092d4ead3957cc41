"""The public home page and the language switcher, in a real browser."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.tests.factories import PhaseFactory


def _overflow(page) -> dict:
    return page.evaluate("() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth})")


@pytest.mark.browser
def test_public_home_shows_the_current_phase(new_page, phone_page, campaign, phase, screenshot, browser_log):
    today = timezone.localdate()
    past = PhaseFactory(
        campaign=campaign,
        order=1,
        name="动员部署阶段",
        start_date=today - dt.timedelta(days=60),
        end_date=today - dt.timedelta(days=31),
    )

    # Desktop, in the portal's default language.
    page = new_page(locale="zh-CN")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#campaign-title")).to_have_text(campaign.name)
    current = page.get_by_test_id("current-phase")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("aria-current", "step")
    expect(current).to_contain_text(phase.name)
    expect(page.locator(".timeline [aria-current]")).to_have_count(1)
    past_item = page.locator(".timeline > li", has_text=past.name)
    expect(past_item).to_have_class(re.compile(r"\bis-past\b"))
    expect(past_item).not_to_have_attribute("aria-current", "step")
    expect(page.get_by_test_id("header-phase")).to_have_text(phase.name)
    screenshot(page, "desktop")

    # Phone width: nothing sticks out sideways, and the menu opens from the keyboard.
    phone = phone_page
    phone.goto("/")
    assert phone.viewport_size == {"width": 390, "height": 844}
    expect(phone.get_by_test_id("current-phase")).to_contain_text(phase.name)
    size = _overflow(phone)
    assert size["scrollWidth"] <= size["innerWidth"], f"horizontal scroll at phone width: {size}"
    screenshot(phone, "phone")

    toggler = phone.locator(".navbar-toggler")
    language = phone.locator("#language-select")
    expect(toggler).to_be_visible()
    expect(language).to_be_hidden()
    for _ in range(10):
        phone.keyboard.press("Tab")
        if toggler.evaluate("el => el === document.activeElement"):
            break
    expect(toggler).to_be_focused()
    phone.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    # Bootstrap marks the menu "collapse show" once its opening transition has ended.
    expect(phone.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    expect(language).to_be_visible()
    expect(language).to_be_in_viewport()
    size = _overflow(phone)
    assert size["scrollWidth"] <= size["innerWidth"], f"horizontal scroll with the menu open: {size}"
    screenshot(phone, "phone-menu-open")

    browser_log.assert_clean()


@pytest.mark.browser
def test_language_switcher_changes_the_page_language(new_page, live_server, phase, screenshot, browser_log):
    page = new_page(locale="zh-CN")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # With JavaScript the "Change" button is hidden: picking a language submits the form.
    expect(page.locator(".language-switcher button[type=submit]")).to_be_hidden()
    screenshot(page, "before")

    with page.expect_navigation():
        page.locator("#language-select").select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server.url + "/", "the switcher should bring us back to the same page"
    expect(page.locator("#language-select")).to_have_value("en")
    screenshot(page, "after")

    # The choice sticks (language cookie) on the next page too.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "next-page")

    browser_log.assert_clean()
