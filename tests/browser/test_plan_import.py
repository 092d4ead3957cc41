"""The campaign office imports its plan on a phone, by keyboard (issue 15): pastes the
text on /staff/plan/import/, previews it, is told next to the field which office name
the directory does not know, chooses the office, imports, and finds the new campaign
on its home."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, Office, Task
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from tests.browser.conftest import PHONE

PLAN = """2026年机关作风建设实施方案
一、宣传发动阶段（3月1日—3月31日）
1.召开动员大会，部署作风建设工作。（黨委辦公室負責）
2.制定宣传方案，3月15日前完成。（宣传处负责）
二、集中整改阶段（4月1日—6月30日）
1.清理规范性文件。（党办牵头，管委办配合）
"""


@pytest.fixture
def planner(db):
    zone = OfficeFactory(name="高新区管委会", short_name="高新区", level=Office.Level.DISTRICT)
    OfficeFactory(name="党委办公室", short_name="党办", parent=zone)
    OfficeFactory(name="宣传办公室", short_name="宣传办", parent=zone)
    own = OfficeFactory(name="管委会办公室", short_name="管委办", parent=zone)
    return UserFactory(username="planner", office=own, role=Role.CAMPAIGN_OFFICE)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_the_coordinator_imports_a_plan_on_a_phone_by_keyboard(new_page, planner, login, screenshot, browser_log):
    page = new_page(viewport=PHONE, locale="zh-CN")
    login(page, planner)
    page.goto("/staff/plan/import/")
    assert fits(page), "the import page is wider than the phone"

    # The text, the year and the name, each reached and typed with the keyboard.
    page.locator("#id_text").focus()
    page.keyboard.insert_text(PLAN)
    page.locator("#id_year").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2026")
    page.locator("#id_new_campaign_name").focus()
    page.keyboard.type("2026年作风建设")
    page.keyboard.press("Tab")
    preview = page.get_by_test_id("plan-preview")
    expect(preview).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # The preview: three tasks, 黨委辦公室 matched across scripts, 宣传处 unknown.
    expect(page.get_by_test_id("plan-task")).to_have_count(3)
    expect(page.get_by_test_id("unmatched-badge")).to_have_text("宣传处?")
    # The phases' dates read from the plan are in their (ISO) date fields, in Chinese too.
    expect(page.locator("#id_phase_0_start")).to_have_value("2026-03-01")
    expect(page.locator("#id_phase_1_end")).to_have_value("2026-06-30")
    assert fits(page), "the preview is wider than the phone"
    screenshot(page, "preview")
    assert not Campaign.objects.exists()

    # Importing before choosing the office is refused next to the field.
    page.get_by_test_id("plan-import").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.locator("#id_office_0")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert not Campaign.objects.exists()
    screenshot(page, "refused")

    # The campaign office says which office it means, and imports.
    office = page.locator("#id_office_0")
    office.focus()
    office.select_option(label="宣传办公室")
    page.get_by_test_id("plan-import").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")

    campaign = Campaign.objects.get()
    assert (campaign.name, campaign.status) == ("2026年作风建设", "draft")
    task = Task.objects.get(phase__order=1, number=2)
    assert task.assignments.get().office.name == "宣传办公室"
    expect(page.locator("main")).to_contain_text("2026年作风建设")
    assert fits(page), "the home is wider than the phone"
    screenshot(page, "home")
    browser_log.assert_clean()
