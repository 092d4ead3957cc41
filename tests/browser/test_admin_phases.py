"""The Django admin, in a real browser."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Phase
from campaigns.tests.factories import PhaseFactory


def _inline_index_by_name(page) -> dict[str, int]:
    """Phase name -> index of its row in the campaign's phase inline."""
    total = int(page.locator("#id_phases-TOTAL_FORMS").input_value())
    return {page.locator(f"#id_phases-{i}-name").input_value(): i for i in range(total)}


@pytest.mark.browser
def test_admin_reorders_a_phase(page, admin_login, admin_user, campaign, screenshot, browser_log):
    today = timezone.localdate()
    first = PhaseFactory(
        campaign=campaign,
        order=1,
        name="动员部署阶段",
        start_date=today - dt.timedelta(days=60),
        end_date=today - dt.timedelta(days=31),
    )
    second = PhaseFactory(
        campaign=campaign,
        order=2,
        name="查摆问题阶段",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=30),
    )

    admin_login(page, admin_user)
    screenshot(page, "admin-index")
    page.locator("a[href='/admin/campaigns/campaign/']").first.click()
    page.get_by_role("link", name=campaign.name).click()
    page.wait_for_url(f"**/admin/campaigns/campaign/{campaign.pk}/change/")

    size = page.evaluate("() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth})")
    assert size["scrollWidth"] <= size["innerWidth"], f"the change page scrolls sideways: {size}"

    rows = _inline_index_by_name(page)
    assert set(rows) == {first.name, second.name}
    first_order = page.locator(f"#id_phases-{rows[first.name]}-order")
    second_order = page.locator(f"#id_phases-{rows[second.name]}-order")
    expect(first_order).to_have_value("1")
    expect(second_order).to_have_value("2")
    # Phase numbers follow the dates: the two phases swap places by swapping both.
    first_order.fill("2")
    second_order.fill("1")
    for row, phase in ((rows[first.name], second), (rows[second.name], first)):
        page.locator(f"#id_phases-{row}-start_date").fill(phase.start_date.isoformat())
        page.locator(f"#id_phases-{row}-end_date").fill(phase.end_date.isoformat())
    screenshot(page, "orders-swapped")
    page.locator("input[name=_save]").click()

    page.wait_for_url("**/admin/campaigns/campaign/")
    expect(page.locator(".messagelist .success")).to_contain_text(campaign.name)
    expect(page.locator(".errornote")).to_have_count(0)
    screenshot(page, "saved")
    assert list(Phase.objects.filter(campaign=campaign).order_by("order").values_list("name", "order")) == [
        (second.name, 1),
        (first.name, 2),
    ]

    page.goto("/")
    headings = page.locator(".timeline > li h3")
    expect(headings).to_have_count(2)
    expect(headings.nth(0)).to_contain_text(f"1. {second.name}")
    expect(headings.nth(1)).to_contain_text(f"2. {first.name}")
    screenshot(page, "home-after")

    browser_log.assert_clean()
