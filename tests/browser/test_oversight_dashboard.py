"""The campaign office at its dashboard, the deliverables matrix and the summary, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.demo import DEMO_USERS

PASSWORDS = {user.username: user.password for user in DEMO_USERS}


def log_in(login, page, user):
    return login(page, user, PASSWORDS[user.username])


@pytest.mark.browser
def test_campaign_office_reads_the_dashboard_and_follows_a_figure(page, login, demo, screenshot, browser_log):
    coordinator = demo["coordinator"]
    log_in(login, page, coordinator)
    page.goto("/staff/dashboard/")
    expect(page.get_by_role("heading", name="Campaign dashboard")).to_be_visible()
    expect(page.get_by_test_id("phase-timeline").locator("li")).to_have_count(3)
    table = page.get_by_test_id("scorecard")
    expect(table.locator("tbody tr")).to_have_count(5)
    # The chart is drawn by Chart.js from the data island, and its numbers are in the table beside it.
    canvas = page.locator("canvas[data-chart=trend-0]")
    expect(canvas).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    expect(page.get_by_test_id("trend-table-0").locator("tbody tr").first).to_be_visible()
    # A definition on hover, and in the legend.
    header = table.locator("th[title]").filter(has_text="Overdue").first
    assert "before today" in header.get_attribute("title")
    expect(page.get_by_test_id("legend")).to_contain_text("Closed on time")
    screenshot(page, "dashboard")

    # Sort by satisfaction, highest first.
    table.get_by_test_id("sort-complaints-satisfaction").click()
    page.wait_for_url(re.compile(r"sort=complaints-satisfaction"))
    table.get_by_test_id("sort-complaints-satisfaction").click()
    page.wait_for_url(re.compile(r"sort=-complaints-satisfaction"))
    expect(table.locator("th[aria-sort=descending]")).to_have_count(1)

    # Each figure opens the list behind it: a deliverables figure leads to the matrix filtered by office.
    link = table.locator("tbody a[data-testid$='-deliverables-overdue']").first
    link.click()
    page.wait_for_url(re.compile(r"/staff/deliverables/\?office=\d+&state=overdue"))
    expect(page.get_by_test_id("matrix")).to_be_visible()
    screenshot(page, "matrix-filtered")
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_matrix_and_a_review(page, login, own_demo, screenshot, browser_log):
    log_in(login, page, own_demo["coordinator"])
    page.goto("/staff/deliverables/")
    matrix = page.get_by_test_id("matrix")
    expect(matrix).to_be_visible()
    screenshot(page, "matrix")
    waiting = matrix.locator("a.state-submitted").first
    waiting.click()
    page.wait_for_url(re.compile(r"/staff/deliverables/\d+/office/\d+/"))
    page.get_by_label("Return for changes").check()
    page.get_by_label("Comment").fill("请补充整改时限。")
    screenshot(page, "review-form")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".alert-success")).to_contain_text("returned to the office")
    expect(page.get_by_test_id("cell-state")).to_contain_text(re.compile("Returned|Overdue"))
    browser_log.assert_clean()


@pytest.mark.browser
def test_an_office_hands_in_a_deliverable_and_sees_its_dashboard(
    page, login, own_demo, screenshot, browser_log, tmp_path
):
    staff = own_demo["party"]
    log_in(login, page, staff)
    page.goto("/staff/dashboard/office/")
    expect(page.get_by_test_id("needs-action")).to_be_visible()
    screenshot(page, "office-dashboard")
    page.goto("/staff/deliverables/mine/")
    screenshot(page, "mine")
    row_link = page.locator("table a").filter(has_text="整改台账")
    row_link.click()
    upload = tmp_path / "整改台账.pdf"
    upload.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    bad = tmp_path / "fake.pdf"
    bad.write_bytes(b"MZ this is not a PDF")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Hand in").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("does not match its name")
    screenshot(page, "upload-refused")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Hand in").click()
    expect(page.locator(".alert-success")).to_contain_text("handed in")
    expect(page.get_by_test_id("versions").locator("tbody tr")).to_have_count(1)
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_summary_report_prints(page, login, own_demo, screenshot, browser_log):
    log_in(login, page, own_demo["coordinator"])
    page.goto("/staff/summary/")
    expect(page.get_by_test_id("summary")).to_contain_text("高新区管委会机关行政效能建设活动")
    screenshot(page, "summary-screen")
    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()
    screenshot(page, "summary-print")
    response = page.request.get("/staff/summary/pdf/")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    browser_log.assert_clean()
