"""Following a complaint with its tracking number and access code: /complaints/track/."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintEvent
from complaints.tests.factories import submit, walk_to

pytestmark = pytest.mark.django_db
TRACK = reverse("complaints:track")
Status = Complaint.Status
NEUTRAL = "do not match"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def detail(complaint):
    return reverse("complaints:track-detail", args=[complaint.tracking_number])


def action(name, complaint):
    return reverse(f"complaints:track-{name}", args=[complaint.tracking_number])


def unlock(client, complaint, code):
    response = client.post(TRACK, {"tracking_number": complaint.tracking_number, "access_code": code})
    assert response.status_code == 302 and response.url == detail(complaint)
    return response


def comparable(response, *numbers) -> str:
    """The page without what differs by design: the CSRF token and the number typed in."""
    html = CSRF.sub("", response.content.decode())
    for number in numbers:
        html = html.replace(number, "NUMBER")
    return html


@pytest.fixture
def filed(office_a):
    return submit(office=office_a)


# --- Unlocking ------------------------------------------------------------------------
def test_the_right_code_shows_status_and_public_timeline_but_no_internal_notes_or_staff(
    client, filed, office_b, centre_staff, staff_b
):
    complaint, code = filed
    complaint = walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    ComplaintEvent.record(complaint, centre_staff, ComplaintEvent.Kind.NOTE, internal_note="内部意见：先别告诉投诉人")
    services.complaint_transfer_request(
        complaint_id=complaint.pk, actor=staff_b, to_office=centre_staff.office, note="转办说明：仅供内部"
    )
    unlock(client, complaint, code.lower().replace("-", ""))  # typed loosely, still the right code
    response = client.get(detail(complaint))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["complaint"].public_status == str(Status.INVESTIGATING.label)
    assert re.search(rf'data-testid="complaint-status">{Status.INVESTIGATING.label}<', html)
    assert office_b.name in html  # the handling office, by name
    kinds = [event.kind for event in response.context["timeline"]]
    assert kinds == ["registered", "accepted", "transfer_accepted", "investigating"]
    for secret in (
        "内部意见",
        "转办说明",
        centre_staff.first_name,
        centre_staff.get_full_name(),
        centre_staff.email,
        staff_b.first_name,
        staff_b.username,
        staff_b.email,
        centre_staff.office.name,
    ):
        assert secret not in html, secret


def test_while_the_centre_holds_it_the_handler_is_the_complaint_centre(client, filed):
    complaint, code = filed
    unlock(client, complaint, code)
    html = client.get(detail(complaint)).content.decode()
    assert re.search(r'data-testid="handling-office">the complaint centre<', html)


def test_a_registered_complaint_shows_its_due_dates_and_working_days_left(client, filed):
    complaint, code = filed
    unlock(client, complaint, code)
    response = client.get(detail(complaint))
    deadlines = response.context["deadlines"]
    assert deadlines.accept.due == complaint.accept_due
    assert deadlines.accept.days_left == services.working_days_left(complaint, complaint.accept_due)
    assert deadlines.complete.days_left == services.working_days_left(complaint, complaint.complete_due)
    html = response.content.decode()
    assert "working days left" in html


def test_a_replied_complaint_shows_the_reply_and_whether_the_limits_were_met(
    client, filed, office_b, centre_staff, staff_b
):
    complaint, code = filed
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    unlock(client, complaint, code)
    response = client.get(detail(complaint))
    html = response.content.decode()
    assert "经核查，已责令整改。" in html and 'data-testid="reply"' in html
    assert response.context["deadlines"].complete.met is True
    assert "查明属实" not in html and "已批评教育" not in html  # findings and measures are internal


def test_a_not_accepted_complaint_shows_the_reason(client, filed, centre_staff):
    complaint, code = filed
    services.complaint_not_accept(
        complaint_id=complaint.pk, actor=centre_staff, reason="不属于本中心受理范围，请向法院起诉。"
    )
    unlock(client, complaint, code)
    html = client.get(detail(complaint)).content.decode()
    assert 'data-testid="not-accepted"' in html and "不属于本中心受理范围" in html


def test_wrong_code_unknown_number_and_malformed_number_get_the_same_answer(client, filed):
    complaint, code = filed
    attempts = {
        complaint.tracking_number: "AAAAA-BBBBB",  # wrong code
        "TS-2000-999999": code,  # unknown number, a real code
        "no such thing!": code,  # malformed
    }
    responses = [
        (number, client.post(TRACK, {"tracking_number": number, "access_code": attempt}))
        for number, attempt in attempts.items()
    ]
    assert {r.status_code for _, r in responses} == {400}
    pages = {comparable(r, number) for number, r in responses}
    assert len(pages) == 1, "the three answers must be identical"
    page = pages.pop()
    assert NEUTRAL in page
    assert code not in page and "AAAAA-BBBBB" not in page  # the code is never written back
    assert not client.session.get("complaints:unlocked")


def test_a_tracking_number_alone_reveals_nothing(client, filed):
    complaint, _code = filed
    known = client.get(TRACK, {"number": complaint.tracking_number})
    unknown = client.get(TRACK, {"number": "TS-2000-999999"})
    assert known.status_code == unknown.status_code == 200
    assert comparable(known, complaint.tracking_number) == comparable(unknown, "TS-2000-999999")
    assert complaint.get_status_display() not in known.content.decode()
    # The detail address without the code leads back to the same form, known or not.
    assert client.get(detail(complaint)).url == f"{TRACK}?number={complaint.tracking_number}"
    assert (
        client.get(reverse("complaints:track-detail", args=["TS-2000-999999"])).url == f"{TRACK}?number=TS-2000-999999"
    )


def test_guessing_is_rate_limited_without_revealing_anything(client, filed):
    complaint, code = filed
    for n in range(10):
        assert (
            client.post(
                TRACK, {"tracking_number": complaint.tracking_number, "access_code": f"WRONG-{n:05d}"}
            ).status_code
            == 400
        )
    response = client.post(TRACK, {"tracking_number": complaint.tracking_number, "access_code": code})
    assert response.status_code == 429
    assert 'data-testid="rate-limited"' in response.content.decode()
    unknown = client.post(TRACK, {"tracking_number": "TS-2000-999999", "access_code": code})
    assert unknown.status_code == 429
    assert comparable(response, complaint.tracking_number) == comparable(unknown, "TS-2000-999999")
    assert client.get(detail(complaint)).status_code == 302  # still locked
    # Another address is not affected.
    assert (
        Client()
        .post(TRACK, {"tracking_number": complaint.tracking_number, "access_code": code}, REMOTE_ADDR="198.51.100.9")
        .status_code
        == 302
    )


def test_successful_lookups_do_not_use_up_the_limit(client, filed):
    complaint, code = filed
    for _ in range(12):
        unlock(client, complaint, code)


def test_unlocking_is_remembered_by_this_browser_only(client, filed):
    complaint, code = filed
    unlock(client, complaint, code)
    assert client.get(detail(complaint)).status_code == 200
    assert Client().get(detail(complaint)).status_code == 302


def test_unlocking_one_complaint_does_not_unlock_another(client, filed, office_a):
    complaint, code = filed
    other, _ = submit(office=office_a, description="另外一件完全不同的投诉。")
    unlock(client, complaint, code)
    assert client.get(detail(other)).status_code == 302
    assert client.post(action("rate", other), {"rating": "satisfied"}).status_code == 302
    assert Complaint.objects.get(pk=other.pk).rating == ""


def test_hiding_the_complaint_locks_it_again_in_this_browser(client, filed):
    complaint, code = filed
    unlock(client, complaint, code)
    assert client.post(action("forget", complaint)).url == TRACK
    assert client.get(detail(complaint)).status_code == 302


def test_the_tracking_pages_are_not_cached(client, filed):
    complaint, code = filed
    unlock(client, complaint, code)
    assert "no-store" in client.get(detail(complaint))["Cache-Control"]


# --- Adding information -------------------------------------------------------------------
def test_adding_information_resumes_a_paused_complaint(client, filed, office_b, centre_staff, staff_b):
    complaint, code = filed
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_request_info(complaint_id=complaint.pk, actor=staff_b, question="请提供办事的具体日期。")
    unlock(client, complaint, code)
    html = client.get(detail(complaint)).content.decode()
    assert 'data-testid="paused"' in html and "请提供办事的具体日期。" in html

    response = client.post(
        action("add-info", complaint),
        {"text": "是2024年5月6日上午。", "attachments": [SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt")]},
    )
    assert response.status_code == 302 and response.url == detail(complaint)
    complaint.refresh_from_db()
    assert complaint.paused_since is None
    assert complaint.attachments.get().original_name == "receipt.pdf"
    page = client.get(detail(complaint))
    assert "是2024年5月6日上午。" in page.content.decode() and 'data-testid="paused"' not in page.content.decode()
    assert page.context["timeline"][-1].kind == "info_added"


def test_adding_information_needs_text_and_stores_nothing_without_it(client, filed):
    complaint, code = filed
    unlock(client, complaint, code)
    response = client.post(
        action("add-info", complaint), {"text": "", "attachments": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")]}
    )
    assert response.status_code == 400
    assert "text" in response.context["add_info_form"].errors
    assert 'id="error_1_id_text"' in response.content.decode()
    assert not complaint.attachments.exists()
    assert not complaint.events.filter(kind="info_added").exists()


def test_a_disguised_file_refuses_the_added_information_entirely(client, filed):
    complaint, code = filed
    unlock(client, complaint, code)
    response = client.post(
        action("add-info", complaint),
        {"text": "补充一张照片。", "attachments": [SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an exe")]},
    )
    assert response.status_code == 400
    assert "attachments" in response.context["add_info_form"].errors
    assert not complaint.events.filter(kind="info_added").exists()


def test_no_information_can_be_added_once_replied(client, filed, office_b, centre_staff, staff_b):
    complaint, code = filed
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    unlock(client, complaint, code)
    assert 'data-testid="add-info-form"' not in client.get(detail(complaint)).content.decode()
    response = client.post(action("add-info", complaint), {"text": "还想补充一点。"})
    assert response.status_code == 400
    assert 'data-testid="add-info-errors"' in response.content.decode()
    assert not complaint.events.filter(kind="info_added").exists()


# --- Rating and review ----------------------------------------------------------------------
@pytest.fixture
def replied(client, filed, office_b, centre_staff, staff_b):
    complaint, code = filed
    complaint = walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    unlock(client, complaint, code)
    return complaint


def test_the_reply_can_be_rated_once(client, replied):
    assert 'data-testid="rate-form"' in client.get(detail(replied)).content.decode()
    response = client.post(action("rate", replied), {"rating": "basically"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=replied.pk).rating == "basically"
    page = client.get(detail(replied)).content.decode()
    assert 'data-testid="rate-form"' not in page and 'data-testid="your-rating"' in page

    again = client.post(action("rate", replied), {"rating": "dissatisfied"})
    assert again.status_code == 400
    assert "already rated" in again.content.decode() or "rate-errors" in again.content.decode()
    assert again.context["rate_form"].non_field_errors()
    assert Complaint.objects.get(pk=replied.pk).rating == "basically"
    assert replied.events.filter(kind="rated").count() == 1


def test_a_rating_must_be_one_of_the_three(client, replied):
    response = client.post(action("rate", replied), {"rating": "excellent"})
    assert response.status_code == 400
    assert "rating" in response.context["rate_form"].errors
    assert 'id="error_1_id_rating"' in response.content.decode()
    assert Complaint.objects.get(pk=replied.pk).rating == ""


def test_a_review_can_be_asked_for_once_after_a_dissatisfied_rating(client, replied):
    assert 'data-testid="review-form"' not in client.get(detail(replied)).content.decode()
    client.post(action("rate", replied), {"rating": "dissatisfied"})
    assert 'data-testid="review-form"' in client.get(detail(replied)).content.decode()

    empty = client.post(action("review", replied), {"reason": ""})
    assert empty.status_code == 400 and "reason" in empty.context["review_form"].errors

    response = client.post(action("review", replied), {"reason": "问题根本没有解决。"})
    assert response.status_code == 302
    complaint = Complaint.objects.get(pk=replied.pk)
    assert complaint.status == Status.ACCEPTED and complaint.review_count == 1

    again = client.post(action("review", replied), {"reason": "再次申请复查。"})
    assert again.status_code == 400
    assert 'data-testid="review-errors"' in again.content.decode()
    assert Complaint.objects.get(pk=replied.pk).review_count == 1
    assert replied.events.filter(kind="review_requested").count() == 1


def test_no_review_after_a_satisfied_rating(client, replied):
    client.post(action("rate", replied), {"rating": "satisfied"})
    response = client.post(action("review", replied), {"reason": "其实不满意。"})
    assert response.status_code == 400
    assert Complaint.objects.get(pk=replied.pk).review_count == 0


# --- Budget -----------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [5, 50])
def test_track_page_query_budget(client, office_a, n, django_assert_num_queries):
    complaints = [submit(office=office_a, description=f"第{i}件投诉，内容足够长。") for i in range(n)]
    complaint, code = complaints[0]
    for i in range(n):
        services.complaint_add_info(complaint_id=complaint.pk, text=f"补充信息 {i}")
    unlock(client, complaint, code)
    # 5 queries: session, complaint (+complaintattachment, offices, problemtype), complaintevent, working-day
    # calendar, current campaign
    with django_assert_num_queries(5):
        response = client.get(detail(complaint))
    assert response.status_code == 200
    assert len(response.context["timeline"]) == n + 1
