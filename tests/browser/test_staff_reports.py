"""Office staff at work in the staff area, in a real browser."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Task
from campaigns.tests.factories import TaskFactory


@pytest.mark.browser
def test_staff_member_files_progress_report_on_overdue_task(
    page, login, staff_a, office_a, phase, screenshot, browser_log
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    task = TaskFactory(phase=phase, lead=office_a, deadline=yesterday, title="梳理并公开办事流程")

    login(page, staff_a)
    expect(page.get_by_test_id("count-tasks-overdue-value")).to_have_text("1")
    tasks = page.locator("section#panel-tasks")
    link = tasks.get_by_role("link", name=task.title)
    expect(link).to_be_visible()
    screenshot(page, "home")

    link.click()
    page.wait_for_url(f"**/staff/tasks/{task.pk}/")
    expect(page.get_by_test_id("overdue-badge")).to_be_visible()
    expect(page.get_by_test_id("task-progress")).to_have_text("0%")
    screenshot(page, "task")

    # The report form, from the keyboard: focus the first field, type, Tab on, press Enter.
    text = page.get_by_label("What was done")
    progress = page.get_by_label("Progress (%)")
    text.focus()
    expect(text).to_be_focused()
    page.keyboard.type("已完成12项办事流程的梳理，正在公示。")
    page.keyboard.press("Tab")
    expect(progress).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("60")
    expect(progress).to_have_value("60")
    screenshot(page, "form-filled")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # implicit submission of the report form

    page.wait_for_url(f"**/staff/tasks/{task.pk}/")
    success = page.locator(".messages .alert-success")
    expect(success).to_have_text("Your progress report was filed.")
    report = page.locator("section[aria-labelledby=reports-title] article")
    expect(report).to_have_count(1)
    expect(report).to_contain_text("已完成12项办事流程的梳理，正在公示。")
    expect(report).to_contain_text("60%")
    expect(report).to_contain_text(office_a.name)
    expect(page.get_by_test_id("task-progress")).to_have_text("60%")
    screenshot(page, "report-filed")

    task.refresh_from_db()
    assert (task.progress, task.status) == (60, Task.Status.IN_PROGRESS)
    assert task.reports.get().author == staff_a

    browser_log.assert_clean()
