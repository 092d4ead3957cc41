"""Wide list tables on a phone (issue 14, item 5): at 390 px every list table of the
portal, staff and public, is a pile of cards (static/css/tables.css, class
``table-cards``): nothing sticks out sideways, no cell is squeezed into a column a
character wide, and each field carries its column's name, in the page's language.
At 1280 px the same tables are ordinary tables. The list's filter panel folds behind
a "Filters" button on a phone, open when a filter is in use, always open on a wide
screen. Screenshots of each page at 390 and 1280 px, in 简体 and English."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_oversight_dashboard import PASSWORDS

# A collapse panel that has finished sliding open ("collapsing" while it moves).
UNFOLDED = re.compile(r"(^|\s)collapse\s+.*\bshow\b")

LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def pages(invitation_survey: int, task: int) -> dict[str | None, dict[str, str]]:
    """Who reads which list (None: the public), by screenshot name."""
    return {
        "centre": {
            "complaint-queue": "/staff/complaints/",
            "my-complaints": "/staff/complaints/mine/",
            "accountability-cases": "/staff/complaints/cases/",
        },
        "coordinator": {
            "problems": "/staff/rectification/problems/",
            "commitments": "/staff/rectification/commitments/",
            "plans": "/staff/rectification/plans/",
            "look-back": "/staff/rectification/lookback/",
            "tasks": "/staff/tasks/",
            "task-offices": f"/staff/tasks/{task}/",
            "summary": "/staff/summary/",
            "rectification-results-preview": "/staff/rectification/results/",
            "surveys": "/staff/appraisal/",
            "invitations": f"/staff/appraisal/{invitation_survey}/invitations/",
            "hearings": "/staff/appraisal/hearings/",
            "bulletins": "/staff/bulletins/",
            "disclosure": "/staff/disclosure/",
        },
        "office": {
            "our-deliverables": "/staff/deliverables/mine/",
        },
        None: {
            "disclosure-catalogue": "/results/catalogue/",
            "appraisal-results": "/appraisal/results/",
        },
    }


# What a phone shows of the page's tables: the page's width; cells (outside the column
# heads, which a card keeps for screen readers only) narrower than 60 px whose few
# characters are broken over more than two lines, or whose content runs out of them; and for each card table,
# how its rows are laid out and whether each field's label is its column's name. The
# offices' scorecard (the summary has it) compares offices column by column and scrolls
# sideways by design, each count over its total: it is not a list and stays a table.
MEASURE = """() => {
  const visible = el => el.offsetParent !== null && el.getBoundingClientRect().width > 1;
  const cells = [...document.querySelectorAll('main table:not(.scorecard) td, main table:not(.scorecard) th')]
    .filter(c => !c.closest('thead') && visible(c));
  const lines = c => {
    const range = document.createRange();
    range.selectNodeContents(c);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  };
  const squeezed = cells
    .filter(c => c.getBoundingClientRect().width < 60 && c.innerText.trim().length > 3 && lines(c) > 2)
    .map(c => `${c.innerText.trim().slice(0, 30)} (${Math.round(c.clientWidth)} px, ${lines(c)} lines)`);
  const overflowing = cells.filter(c => c.scrollWidth > c.clientWidth + 1)
    .map(c => `${c.innerText.trim().slice(0, 30)} (${c.scrollWidth} > ${c.clientWidth} px)`);
  const tables = [...document.querySelectorAll('main table.table-cards')].map(table => {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const rows = [...table.querySelectorAll('tbody tr')];
    const labels = [], wrong = [];
    rows.forEach(tr => [...tr.children].forEach((cell, i) => {
      const label = cell.getAttribute('data-label');
      if (label === null || !visible(cell)) return;
      labels.push(label);
      const shown = getComputedStyle(cell, '::before').content;
      if (label !== heads[i]) wrong.push(`${label} under ${heads[i]}`);
      if (window.innerWidth < 768 && shown !== JSON.stringify(label)) wrong.push(`${label} shows ${shown}`);
    }));
    return {
      testid: table.dataset.testid || table.className,
      display: getComputedStyle(table).display,
      rowDisplay: rows.length ? getComputedStyle(rows[0]).display : null,
      headVisible: table.querySelector('thead').getBoundingClientRect().height > 1,
      rows: rows.length, labels, wrong,
    };
  });
  return {pageWidth: document.documentElement.scrollWidth, squeezed, overflowing, tables};
}"""


def log_in(page, role):
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(role)
    form.locator("input[name=password]").fill(PASSWORDS[role])
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/staff/")


@pytest.mark.browser
def test_wide_list_tables_become_cards_on_a_phone(new_page, demo, screenshot, browser_log):
    from campaigns.models import Task
    from evaluations.models import Invitation

    survey = Invitation.objects.order_by("pk").values_list("group__survey_id", flat=True).first()
    assert survey, "the demo hands out invitations"
    task = Task.objects.order_by("pk").values_list("pk", flat=True).first()
    problems: list[str] = []
    for language, locale in LANGUAGES.items():
        for role, lists in pages(survey, task).items():
            page = new_page(viewport=PHONE, locale=locale)
            if role:
                log_in(page, role)
            for name, path in lists.items():
                page.set_viewport_size(PHONE)
                page.goto(path)
                expect(page.locator("html")).to_have_attribute("lang", language)
                phone = page.evaluate(MEASURE)
                where = f"{name} ({language}, {PHONE['width']} px)"
                if phone["pageWidth"] > PHONE["width"]:
                    problems.append(f"{where}: the page is {phone['pageWidth']} px wide")
                problems += [f"{where}: squeezed cell {c}" for c in phone["squeezed"]]
                problems += [f"{where}: cell runs over {c}" for c in phone["overflowing"]]
                if not phone["tables"]:
                    problems.append(f"{where}: no card table on the page")
                for table in phone["tables"]:
                    if not table["rows"]:
                        continue
                    if table["display"] != "block" or table["rowDisplay"] != "flex" or table["headVisible"]:
                        problems.append(f"{where}: {table['testid']} is not a pile of cards: {table}")
                    if not table["labels"]:
                        problems.append(f"{where}: {table['testid']}'s cards have no labels")
                    problems += [f"{where}: {table['testid']}: label {w}" for w in table["wrong"]]
                    if language == "zh-hans" and not any(CJK.search(label) for label in table["labels"]):
                        problems.append(f"{where}: {table['testid']}'s labels are in English: {table['labels'][:5]}")
                screenshot(page, f"{name}-{language}-phone")

                page.set_viewport_size(DESKTOP)
                desktop = page.evaluate(MEASURE)
                where = f"{name} ({language}, {DESKTOP['width']} px)"
                for table in desktop["tables"]:
                    if table["rows"] and (
                        table["display"] != "table" or table["rowDisplay"] != "table-row" or not table["headVisible"]
                    ):
                        problems.append(f"{where}: {table['testid']} is not a table: {table}")
                    problems += [f"{where}: {table['testid']}: label {w}" for w in table["wrong"]]
                screenshot(page, f"{name}-{language}-desktop")
            page.context.close()
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_filter_panel_folds_away_on_a_phone(new_page, demo, screenshot, browser_log):
    page = new_page(viewport=PHONE, locale="en-US")
    log_in(page, "centre")
    page.goto("/staff/complaints/")
    toggle = page.get_by_test_id("filter-toggle")
    panel = page.locator("#complaint-filters")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "complaint-filters")
    expect(toggle).to_have_text(re.compile(r"^\s*Filters\s*$"))
    expect(panel).to_be_hidden()
    screenshot(page, "queue-phone-folded")
    # The keyboard opens it: the button takes the focus and Enter unfolds the panel.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_status")).to_be_visible()
    # Bootstrap ignores a second press while the panel is still sliding open.
    expect(panel).to_have_class(UNFOLDED)
    screenshot(page, "queue-phone-open")
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # A filter in use (the home's counts link to such lists): the panel starts open.
    page.goto("/staff/complaints/?status=registered")
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_status")).to_have_value("registered")
    # Turning a page is not filtering.
    page.goto("/staff/complaints/?page=1")
    expect(panel).to_be_hidden()

    # A wide screen: the panel is always open, the button is gone.
    page.set_viewport_size(DESKTOP)
    page.goto("/staff/complaints/")
    expect(panel).to_be_visible()
    expect(toggle).to_be_hidden()
    screenshot(page, "queue-desktop")
    browser_log.assert_clean()
