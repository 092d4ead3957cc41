"""The public statistics page draws a chart of each table (issue 14, item 11), at 390 and
1280 px, in Simplified Chinese and in English; the tables stay as the accessible
alternative, each in a sideways-scrolling region that the keyboard can reach (item 10)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

VIEWS = {
    "390-zh-hans": (PHONE, "zh-CN"),
    "390-en": (PHONE, "en-US"),
    "1280-zh-hans": (DESKTOP, "zh-CN"),
    "1280-en": (DESKTOP, "en-US"),
}

# The share of the canvas's pixels that are painted (not transparent).
PAINTED = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return painted / (canvas.width * canvas.height);
}"""


@pytest.mark.browser
def test_the_statistics_page_draws_a_chart_beside_each_table(new_page, demo, screenshot, browser_log):
    for view, (viewport, locale) in VIEWS.items():
        page = new_page(viewport=viewport, locale=locale)
        page.goto("/complaints/stats/")
        for key in ("by-type", "by-office"):
            canvas = page.locator(f"canvas[data-chart={key}]")
            expect(canvas).to_be_visible()
            page.wait_for_function(
                "key => window.Chart && Chart.getChart(document.querySelector(`canvas[data-chart=${key}]`))", arg=key
            )
            box = canvas.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 150, f"{view} {key}: {box}"
            assert box["x"] + box["width"] <= viewport["width"], f"{view} {key} sticks out: {box}"
            assert canvas.evaluate(PAINTED) > 0.01, f"{view} {key}: the chart is blank"
            # Named by its heading and caption; the same figures in the table under it.
            name = canvas.evaluate(
                "c => c.getAttribute('aria-labelledby').split(' ')"
                ".map(id => document.getElementById(id).textContent.trim()).join(' ')"
            )
            assert len(name) > 10, name
            table = page.get_by_test_id(key)
            expect(table.locator("tbody tr").first).to_be_visible()
            # A long label is drawn in several lines (an array): the words are the table's.
            labels = canvas.evaluate("c => Chart.getChart(c).data.labels.map(l => [].concat(l).join(' '))")
            rows = table.locator("tbody th[scope=row]").all_inner_texts()
            assert [row.split(" (")[0].split("（")[0].strip() for row in rows] == labels, (labels, rows)
            # The sideways-scrolling table is a named region the keyboard reaches.
            region = page.locator(f".table-responsive:has([data-testid={key}])")
            expect(region).to_have_attribute("tabindex", "0")
            expect(region).to_have_attribute("role", "region")
            region.focus()
            expect(region).to_be_focused()
        screenshot(page, view)
        page.context.close()
    browser_log.assert_clean()
