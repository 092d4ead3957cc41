"""The top menu fits (issue 14, item 6): for every role, in 简体, 繁體 and English, at
992, 1100 and 1280 px, nothing of the navbar sticks out of the window or wraps onto a
second line, and "Log out" stays on screen (in the user menu); below 1200 px the menu
folds behind the menu button, whose menu must fit too."""

import pytest

from tests.browser.test_oversight_dashboard import PASSWORDS

LANGUAGES = {"zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en-US"}
WIDTHS = (992, 1100, 1280)
ROLES = ("anonymous", "centre", "office", "coordinator", "supervisor", "admin")

MEASURE = """() => {
  const nav = document.querySelector('header nav.navbar');
  const items = [...nav.querySelectorAll('a, button, select')].filter(el => el.offsetParent !== null);
  const out = items.filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                   .map(el => el.textContent.trim() || el.tagName);
  return {out, height: nav.getBoundingClientRect().height,
          pageWidth: document.documentElement.scrollWidth, window: window.innerWidth,
          collapsed: getComputedStyle(nav.querySelector('.navbar-toggler')).display !== 'none'};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_navbar_fits_every_role_in_every_language(new_page, demo, screenshot, browser_log, language):
    problems = []
    for role in ROLES:
        page = new_page(viewport={"width": 1280, "height": 800}, locale=LANGUAGES[language])
        page.goto("/accounts/login/")
        if role != "anonymous":
            form = page.locator("main form")
            form.locator("input[name=username]").fill(role)
            form.locator("input[name=password]").fill(PASSWORDS[role])
            form.locator("button[type=submit]").click()
            page.wait_for_url("**/staff/")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            found = page.evaluate(MEASURE)
            # One line of menu is 56 px high; a wrapped one is taller.
            if found["out"] or found["pageWidth"] > found["window"] or found["height"] > 64:
                problems.append(f"{role} {language} {width}px: {found}")
            if not found["collapsed"] and role != "anonymous":
                logout = page.locator("header form[action$='/logout/'] button")
                if not logout.is_visible():
                    page.locator("[data-testid=user-menu]").click()
                box = logout.bounding_box()
                assert box and box["x"] + box["width"] <= width, f"{role} {language} {width}: Log out off-screen"
                page.keyboard.press("Escape")
            if found["collapsed"]:
                page.locator(".navbar-toggler").click()
                page.wait_for_selector("#main-nav.show")
                opened = page.evaluate(MEASURE)
                if opened["out"] or opened["pageWidth"] > opened["window"]:
                    problems.append(f"{role} {language} {width}px, menu open: {opened}")
                screenshot(page, f"{role}-{language}-{width}-open")
                page.locator(".navbar-toggler").click()
                page.wait_for_selector("#main-nav:not(.collapsing):not(.show)", state="attached")
            screenshot(page, f"{role}-{language}-{width}")
        page.context.close()
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()
