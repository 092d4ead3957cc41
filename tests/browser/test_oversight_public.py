"""The public results section, the disclosure catalogue and the bulletins, in a real browser."""

import pytest
from playwright.sync_api import expect

from oversight.models import Bulletin


@pytest.mark.browser
def test_the_public_reads_the_results(page, demo, screenshot, browser_log):
    page.goto("/results/")
    expect(page.get_by_role("heading", name="Campaign results")).to_be_visible()
    expect(page.get_by_test_id("results-progress")).to_be_visible()
    expect(page.get_by_test_id("results-complaints")).to_be_visible()
    expect(page.get_by_test_id("results-bulletins")).to_contain_text("整改提高阶段工作进展情况")
    expect(page.get_by_test_id("stamp").first).to_contain_text("Published on")
    # The internal commendation and the draft are nowhere on the public site.
    expect(page.locator("main")).not_to_contain_text("表扬效能建设先进单位")
    expect(page.locator("main")).not_to_contain_text("草稿")
    screenshot(page, "results")

    page.get_by_role("link", name="By problem type and by office").click()
    expect(page.get_by_test_id("snapshot-complaints")).to_be_visible()
    screenshot(page, "complaint-statistics")
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_catalogue_lists_what_was_published_and_when(page, demo, screenshot, browser_log):
    page.goto("/results/catalogue/")
    catalogue = page.get_by_test_id("catalogue")
    # The two snapshots and the public bulletin the campaign office published, and the typical
    # cases the complaint centre published; each with its date and responsible office.
    for kind in ("Campaign progress by phase", "Complaint statistics", "Progress bulletin"):
        expect(catalogue.locator("tbody tr").filter(has_text=kind).first).to_contain_text("管委会办公室")
    expect(catalogue).to_contain_text("Typical case")
    expect(catalogue).not_to_contain_text("表扬效能建设先进单位")
    screenshot(page, "catalogue")
    browser_log.assert_clean()


@pytest.mark.browser
def test_bulletins_list_detail_and_feeds(page, demo, screenshot, browser_log):
    page.goto("/results/bulletins/")
    expect(page.get_by_test_id("bulletin")).to_have_count(1)
    screenshot(page, "bulletins")
    page.get_by_test_id("bulletin").get_by_role("link").click()
    expect(page.get_by_test_id("bulletin-body")).to_contain_text("整改提高阶段开展以来")
    screenshot(page, "bulletin")
    rss = page.request.get("/results/bulletins/feed/rss/")
    assert rss.status == 200 and "整改提高阶段" in rss.text()
    atom = page.request.get("/results/bulletins/feed/atom/")
    assert atom.status == 200 and "<feed" in atom.text()
    browser_log.assert_clean()


@pytest.mark.browser
def test_results_on_a_phone_in_chinese(phone_page, demo, screenshot, browser_log):
    phone_page.goto("/results/")
    expect(phone_page.get_by_test_id("results-progress")).to_be_visible()
    screenshot(phone_page, "results-phone")
    phone_page.goto("/results/catalogue/")
    screenshot(phone_page, "catalogue-phone")
    browser_log.assert_clean()


@pytest.mark.browser
def test_a_script_in_a_bulletin_does_not_run(page, own_demo, browser_log):
    from oversight.services import bulletins as services

    coordinator = own_demo["coordinator"]
    b = services.bulletin_create(
        campaign_id=Bulletin.objects.first().campaign_id,
        actor=coordinator,
        kind="negative_case",
        audience="public",
        title="反面典型",
        body='<script>window.pwned = true</script><img src=x onerror="window.pwned=true">',
    )
    services.bulletin_publish(bulletin_id=b.pk, actor=coordinator)
    page.goto(f"/results/bulletins/{b.pk}/")
    expect(page.get_by_test_id("bulletin-body")).to_contain_text("<script>window.pwned = true</script>")
    assert page.evaluate("() => window.pwned === undefined")
    browser_log.assert_clean()
