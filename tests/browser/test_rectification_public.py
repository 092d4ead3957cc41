"""Rectification in a real browser: a citizen rates and comments on a commitment
on a phone with the keyboard only; the public board at phone width; office staff
write a commitment whose form shows only the fields its handling needs."""

import re

import pytest
from playwright.sync_api import expect

from rectification import services
from rectification.models import Commitment, PublicComment, Rating
from rectification.tests.factories import published, record_problem


def tab_to(page, locator, limit=60):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def no_sideways_scroll(page):
    size = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1], f"horizontal scroll at phone width: {size}"


@pytest.fixture
def commitment(staff_a, coordinator, phase):
    commitment = published(
        staff_a,
        coordinator,
        content="压缩公文流转环节，推行电子公文。",
        handling="gradual",
        explanation="需与市级平台对接，分两步推进。",
    )
    services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=40, text="电子公文系统已上线试运行。")
    return commitment


@pytest.mark.browser
def test_a_citizen_rates_and_comments_with_the_keyboard_on_a_phone(phone_page, commitment, screenshot, browser_log):
    page = phone_page
    page.goto(f"/commitments/{commitment.pk}/")
    assert page.viewport_size == {"width": 390, "height": 844}
    expect(page.get_by_test_id("content")).to_contain_text("压缩公文流转环节")
    expect(page.get_by_test_id("explanation")).to_contain_text("分两步推进")
    no_sideways_scroll(page)
    screenshot(page, "1-commitment")

    # Sending without a choice: the error appears next to the ratings, nothing is stored.
    send = page.get_by_test_id("rate-form").locator("button[type=submit]")
    tab_to(page, send)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.get_by_test_id("rate-form").locator(".invalid-feedback")
    expect(errors.first).to_be_visible()
    assert Rating.objects.count() == 0
    screenshot(page, "2-missing-choice")

    # The choice: Tab into the radio group, Space picks, arrows move.
    first = page.locator("#id_rate_value_0")
    tab_to(page, first)
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.keyboard.press("ArrowDown")
    basically = page.locator("#id_rate_value_1")
    expect(basically).to_be_checked()
    expect(basically).to_be_focused()

    # The comment, with the character counter following along.
    page.keyboard.press("Tab")
    comment = page.locator("#id_rate_comment")
    expect(comment).to_be_focused()
    text = "试运行期间纸质文件仍需重复报送，希望尽快解决。"
    page.keyboard.type(text)
    expect(page.get_by_test_id("char-counter")).to_contain_text(f"{len(text)}")
    expect(page.get_by_test_id("char-counter")).to_contain_text("2000")
    page.keyboard.press("Tab")
    expect(send).to_be_focused()
    no_sideways_scroll(page)
    screenshot(page, "3-filled")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(rf"/commitments/{commitment.pk}/#main$"))
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page.get_by_test_id("my-rating")).to_be_visible()
    expect(page.get_by_test_id("rating-summary")).to_be_visible()
    rating = Rating.objects.get()
    assert rating.value == "basically"
    held = PublicComment.objects.get()
    assert (held.text, held.state) == (text, "held")
    # Held: not on the public page yet.
    expect(page.get_by_test_id("comments")).to_have_count(0)
    no_sideways_scroll(page)
    screenshot(page, "4-rated")

    # A further comment, with a link: held and marked, and the citizen is told.
    more = page.locator("#id_comment_comment")
    tab_to(page, more)
    page.keyboard.type("详情见 www.example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("comment-form").locator("button[type=submit]")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages .alert-info")).to_be_visible()
    assert PublicComment.objects.filter(has_link=True, state="held").count() == 1
    screenshot(page, "5-link-held")
    browser_log.assert_clean()


@pytest.mark.browser
def test_the_public_board_works_at_phone_width_and_by_keyboard(
    phone_page, commitment, staff_b, coordinator, screenshot, browser_log
):
    other = published(staff_b, coordinator, content="政务信息公开栏目按时更新。")
    page = phone_page
    page.goto("/commitments/")
    rows = page.get_by_test_id("board-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("count-total")).to_have_text("2")
    expect(page.get_by_test_id("count-in_progress")).to_have_text("1")
    expect(page.locator("progress.commitment-progress").first).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "1-board")

    # On a phone the filters are folded away: the keyboard unfolds them first.
    status = page.locator("#id_status")
    expect(status).to_be_hidden()
    toggle = page.get_by_test_id("filter-toggle")
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(page.locator("#commitment-filters")).to_have_class(re.compile(r"(^|\s)collapse\s+.*\bshow\b"))
    # Filter by status with the keyboard: the select takes arrow keys, Enter submits the form.
    tab_to(page, status)
    status.select_option("in_progress")
    page.locator("form[aria-label] button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("压缩公文流转环节")
    screenshot(page, "2-filtered")

    link = rows.first.get_by_role("link")
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/commitments/{commitment.pk}/")
    assert other.pk != commitment.pk
    browser_log.assert_clean()


@pytest.mark.browser
def test_office_staff_write_a_commitment_and_the_form_shows_what_the_handling_needs(
    page, login, staff_a, phase, screenshot, browser_log
):
    record_problem(staff_a, description="服务大厅窗口办事指南与实际要求不一致。")
    login(page, staff_a)
    page.goto("/staff/rectification/plan/")
    page.get_by_label("Summary").fill("针对办事指南问题制定整改方案。")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_test_id("add-commitment").click()

    explanation = page.locator("#id_explanation")
    higher = page.locator("#id_higher_office")
    expect(explanation).to_be_hidden()
    expect(higher).to_be_hidden()
    page.get_by_label("Step by step, explained publicly").check()
    expect(explanation).to_be_visible()
    page.get_by_label("Reported upward for coordination").check()
    expect(higher).to_be_visible()
    expect(explanation).to_be_hidden()
    page.get_by_label("Step by step, explained publicly").check()

    page.locator("#id_problems_0").check()
    page.get_by_label("What will be rectified (整改内容和事项)").fill("统一办事指南。")
    page.get_by_label("Measures (整改措施)").fill("逐项核对办事指南与窗口要求。")
    page.get_by_label("Goal: what it will achieve (达到什么目标)").fill("一次性告知到位。")
    page.locator("#id_deadline").fill("2099-12-31")
    page.get_by_label("Responsible person").fill("张明")
    screenshot(page, "1-form")
    page.get_by_role("button", name="Add to the plan").click()

    # Step by step without its public explanation: refused, with the message next to the field.
    expect(explanation).to_be_visible()
    expect(page.locator("#id_explanation.is-invalid")).to_be_visible()
    expect(page.get_by_text("needs a public explanation")).to_be_visible()
    assert not Commitment.objects.exists()
    screenshot(page, "2-refused")

    explanation.fill("指南涉及多个部门，先统一本单位事项，再协调其他部门。")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page.get_by_test_id("commitment-row")).to_have_count(1)
    screenshot(page, "3-added")
    commitment = Commitment.objects.get()
    assert (commitment.handling, commitment.status) == ("gradual", "draft")
    browser_log.assert_clean()
