"""A public form sent back by the server (GOV.UK's error summary, issue 14 item 7):
the summary at the top lists each error as a link, has the focus when the page loads,
and each link puts the focus in its field with its label in view, on a 390 px phone
in Simplified Chinese and at 1280 px in English."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def problem_types(db):
    importlib.import_module("complaints.migrations.0002_problem_types").create(apps, None)


def in_viewport(page, selector) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                     return r.top >= 0 && r.top < window.innerHeight - 40; }""",
        selector,
    )


@pytest.mark.browser
@pytest.mark.parametrize(("language", "size"), [("zh-hans", "phone"), ("en", "desktop"), ("en", "phone")])
def test_the_complaint_form_sent_back_starts_with_a_summary_that_links_to_each_field(
    new_page, problem_types, screenshot, browser_log, language, size
):
    page = new_page(viewport=SIZES[size], locale=LANGUAGES[language])
    page.goto("/complaints/new/")
    # Past the browser's own checks, as an old browser or a script would send it.
    page.evaluate("document.querySelector('form[data-complaint-form]').noValidate = true")
    page.locator("#id_description").fill("太短")
    page.locator("form[data-complaint-form] button[type=submit]").click()
    page.wait_for_load_state()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.locator("a[data-error-link]")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#id_description" in hrefs and "#id_problem_type_0" in hrefs, hrefs
    box = summary.bounding_box()
    assert box["y"] < SIZES[size]["height"], "the summary is above the fold"
    screenshot(page, f"summary-{language}-{size}")

    for href in ("#id_description", "#id_problem_type_0"):
        summary.locator(f'a[href="{href}"]').click()
        expect(page.locator(href)).to_be_focused()
        assert in_viewport(page, href), f"{href} is out of view after following its link"
    screenshot(page, f"field-{language}-{size}")
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_tracking_and_appraisal_code_forms_have_the_summary_too(new_page, campaign, screenshot, browser_log):
    page = new_page(viewport=PHONE, locale="zh-CN")
    page.goto("/complaints/track/")
    page.evaluate("document.querySelector('form.track-form').noValidate = true")
    page.locator("form.track-form button[type=submit]").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    first = summary.locator("a[data-error-link]").first
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(target)).to_be_focused()
    screenshot(page, "track")

    page.goto("/appraisal/")
    page.locator("#id_code").fill("ABC")
    page.locator("#id_code").press("Enter")
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    summary.locator('a[href="#id_code"]').click()
    expect(page.locator("#id_code")).to_be_focused()
    screenshot(page, "appraisal-code")
    browser_log.assert_clean()
