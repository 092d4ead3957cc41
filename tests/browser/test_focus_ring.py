"""The keyboard focus is plain to see on the red navbar (issue 14, item 10, WCAG 2.4.7):
a 3 px white outline with a dark edge, not Bootstrap's faint ring."""

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_the_focused_navbar_link_has_a_white_outline(page, campaign, screenshot, browser_log):
    page.goto("/")
    link = page.get_by_test_id("nav-file")
    for _ in range(10):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    expect(link).to_be_focused()
    style = link.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert style == ["solid", "3px", "rgb(255, 255, 255)"], style
    screenshot(page, "focus")
    browser_log.assert_clean()
