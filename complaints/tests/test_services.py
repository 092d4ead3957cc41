"""The complaint workflow and the three systems, enforced in the services."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from complaints import services
from complaints.models import (
    AccountabilityCase,
    ComplainantIdentity,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    IdentityAccess,
    TypicalCase,
)
from complaints.tests.factories import problem_type, submit, walk_to
from kernel.models import CalendarDay
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db
Status = Complaint.Status


# --- Submission ---------------------------------------------------------------
def test_submission_gets_a_tracking_number_and_a_separate_access_code(office_a):
    complaint, code = submit(office=office_a)
    assert complaint.tracking_number == f"TS-{timezone.localdate().year}-000001"
    assert code and code not in complaint.tracking_number
    assert services.access_code_matches(complaint, code)
    assert services.access_code_matches(complaint, code.lower().replace("-", ""))
    assert not services.access_code_matches(complaint, "AAAAA-BBBBB")
    assert code not in complaint.access_code_hash


def test_tracking_numbers_count_up_within_a_year(office_a):
    first, _ = submit(office=office_a, description="第一件投诉，内容足够长。")
    second, _ = submit(office=office_a, description="第二件投诉，内容足够长。")
    assert int(second.tracking_number[-6:]) == int(first.tracking_number[-6:]) + 1


def test_acknowledgement_email_carries_both_codes(office_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint, code = submit(office=office_a, email="citizen@example.com")
    assert len(mail.outbox) == 1
    assert complaint.tracking_number in mail.outbox[0].body and code in mail.outbox[0].body
    assert mail.outbox[0].to == ["citizen@example.com"]


def test_time_limits_come_from_the_problem_type_in_working_days(office_a):
    complaint, _ = submit(office=office_a)
    from kernel.workcalendar import add_working_days

    assert complaint.accept_due == add_working_days(complaint.received_on, 3)
    assert complaint.complete_due == add_working_days(complaint.received_on, 15)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"description": "太短"}, "description"),
        ({"description": "长" * 5001}, "description"),
        ({"name": ""}, "name"),
        ({"phone": "call me", "email": ""}, "phone"),
        ({"phone": "", "email": ""}, "phone"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_submissions_are_refused_and_nothing_is_stored(office_a, changes, field):
    with pytest.raises(ValidationError) as excinfo:
        submit(office=office_a, **changes)
    assert field in excinfo.value.message_dict
    assert not Complaint.objects.exists() and not ComplainantIdentity.objects.exists()


def test_inactive_office_or_type_is_refused(office_a):
    office_a.is_active = False
    office_a.save()
    with pytest.raises(ValidationError) as excinfo:
        submit(office=office_a)
    assert "office" in excinfo.value.message_dict
    pt = problem_type("other")
    pt.is_active = False
    pt.save()
    with pytest.raises(ValidationError) as excinfo:
        submit(code="other")
    assert "problem_type" in excinfo.value.message_dict


def test_anonymous_complaint_keeps_nothing_personal_but_an_optional_email(office_a):
    complaint, _ = submit(office=office_a, anonymous=True, email="")
    identity = ComplainantIdentity.objects.get(complaint=complaint)
    assert (identity.name, identity.phone, identity.email) == ("", "", "")
    complaint2, _ = submit(
        office=office_a, anonymous=True, email="updates@example.com", description="另一件匿名投诉，内容足够。"
    )
    assert complaint2.identity.email == "updates@example.com"


def test_same_text_from_the_same_source_within_ten_minutes_returns_the_first_complaint(office_a):
    first, _ = submit(office=office_a)
    result = services.complaint_submit(
        problem_type=problem_type(),
        description="  窗口工作人员态度恶劣，多次推诿不予办理。 ",
        is_anonymous=False,
        office=office_a,
        name="张三",
        phone="13800138000",
        email="citizen@example.com",
        ip="203.0.113.5",
    )
    assert result.duplicate and result.complaint == first and result.access_code is None
    assert Complaint.objects.count() == 1
    Complaint.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(minutes=11))
    second, _ = submit(office=office_a)
    assert second != first


def test_same_text_from_another_source_is_a_new_complaint(office_a):
    submit(office=office_a, ip="203.0.113.5")
    submit(office=office_a, ip="198.51.100.7", email="other@example.com")
    assert Complaint.objects.count() == 2


def _jpeg_with_exif() -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 48.0, 0.0)})  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_stored_without_exif_or_gps(office_a):
    from PIL import Image

    data = _jpeg_with_exif()
    assert b"PhoneMaker" in data
    complaint, _ = submit(office=office_a, attachments=[SimpleUploadedFile("photo.jpg", data)])
    attachment = complaint.attachments.get()
    stored = attachment.file.read()
    assert b"PhoneMaker" not in stored
    with Image.open(attachment.file.path) as image:
        assert not image.getexif()
    assert attachment.original_name == "photo.jpg" and not attachment.file.name.endswith("photo.jpg")
    assert "private" in attachment.file.path


def test_a_disguised_file_refuses_the_whole_submission(office_a):
    files = [SimpleUploadedFile("ok.pdf", b"%PDF-1.4 fine"), SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an exe")]
    with pytest.raises(ValidationError) as excinfo:
        submit(office=office_a, attachments=files)
    assert "attachments" in excinfo.value.message_dict
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_more_than_five_files_are_refused(office_a):
    files = [SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4 fine") for i in range(6)]
    with pytest.raises(ValidationError) as excinfo:
        submit(office=office_a, attachments=files)
    assert "attachments" in excinfo.value.message_dict


def test_plain_text_files_are_not_accepted_on_complaints(office_a):
    with pytest.raises(ValidationError):
        submit(office=office_a, attachments=[SimpleUploadedFile("note.txt", b"hello")])


def test_staff_entered_complaint_records_channel_and_first_receiver(staff_a, office_b):
    result = services.complaint_submit(
        problem_type=problem_type(),
        description="来电反映办事大厅窗口无人值守。",
        is_anonymous=False,
        name="李四",
        phone="13900000000",
        office=office_b,
        channel=Complaint.Channel.HOTLINE,
        actor=staff_a,
    )
    complaint = result.complaint
    assert complaint.channel == "hotline"
    assert (complaint.first_receiver, complaint.first_office) == (staff_a, staff_a.office)


def test_citizens_cannot_claim_a_staff_channel(office_a):
    with pytest.raises(PermissionDenied):
        services.complaint_submit(
            problem_type=problem_type(),
            description="冒充热线渠道提交的投诉。",
            is_anonymous=True,
            channel=Complaint.Channel.HOTLINE,
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_tracking_numbers(office_a):
    # SQLite's in-memory test database can't take concurrent writers at all;
    # the row lock that matters is PostgreSQL's.
    require_postgresql()
    numbers, errors = [], []

    def worker(i):
        try:
            complaint, _ = submit(
                office=office_a, description=f"并发提交的第{i}件投诉，内容足够。", ip=f"198.51.100.{i}"
            )
            numbers.append(complaint.tracking_number)
        except Exception as exc:  # pragma: no cover - shown on failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(numbers) == 8 and len(set(numbers)) == 8


# --- Workflow -----------------------------------------------------------------
def test_centre_accepts_and_the_on_time_verdict_is_recorded(office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    complaint = services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    assert complaint.status == Status.ACCEPTED and complaint.accepted_on_time is True
    assert complaint.first_receiver == centre_staff
    assert complaint.events.filter(kind="accepted", is_public=True).exists()


def test_office_staff_cannot_accept(office_a, staff_b):
    complaint, _ = submit(office=office_a)
    with pytest.raises(PermissionDenied):
        services.complaint_accept(complaint_id=complaint.pk, actor=staff_b)


def test_not_accepting_needs_a_reason_the_complainant_sees(office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    with pytest.raises(ValidationError):
        services.complaint_not_accept(complaint_id=complaint.pk, actor=centre_staff, reason=" ")
    complaint = services.complaint_not_accept(
        complaint_id=complaint.pk, actor=centre_staff, reason="不属于受理范围，请向法院起诉。"
    )
    assert complaint.status == Status.NOT_ACCEPTED
    event = complaint.events.get(kind="not_accepted")
    assert event.is_public and "法院" in event.public_note


@pytest.mark.parametrize("step", ["start", "reply", "close", "accept_twice"])
def test_transitions_that_are_not_allowed_are_refused(office_a, office_b, centre_staff, staff_b, step):
    complaint, _ = submit(office=office_a)
    with pytest.raises(ValidationError):
        if step == "start":
            services.complaint_start_investigation(complaint_id=complaint.pk, actor=centre_staff)
        elif step == "reply":
            services.complaint_reply(
                complaint_id=complaint.pk, actor=centre_staff, findings="x", measures="", reply="y", substantiated=False
            )
        elif step == "close":
            services.complaint_close(complaint_id=complaint.pk, actor=centre_staff)
        else:
            services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
            services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)


def test_a_complaint_is_never_handed_to_the_office_it_is_about(office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    with pytest.raises(ValidationError):
        services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_a)


def test_database_refuses_handling_by_the_office_complained_about(office_a):
    from django.db import IntegrityError, transaction

    complaint, _ = submit(office=office_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(handling_office=office_a)


def test_staff_of_the_office_complained_about_cannot_handle_it_even_in_the_centre(office_a, centre_office):
    from campaigns.roles import Role
    from campaigns.tests.factories import UserFactory

    centre_member_of_subject = UserFactory(office=centre_office, role=Role.COMPLAINT_CENTRE)
    complaint, _ = submit(office=centre_office, description="投诉纪工委办工作人员推诿。")
    with pytest.raises(PermissionDenied):
        services.complaint_accept(complaint_id=complaint.pk, actor=centre_member_of_subject)
    assert complaint not in Complaint.objects.visible_to(centre_member_of_subject)


def test_transfer_is_not_complete_until_accepted(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
    complaint.refresh_from_db()
    assert complaint.handling_office is None and complaint.pending_transfer_to == office_b
    assert complaint.first_receiver == centre_staff
    with pytest.raises(PermissionDenied):  # the receiving office hasn't taken it yet
        services.complaint_start_investigation(complaint_id=complaint.pk, actor=staff_b)
    services.complaint_transfer_accept(complaint_id=complaint.pk, actor=staff_b)
    complaint.refresh_from_db()
    assert complaint.handling_office == office_b and complaint.status == Status.ASSIGNED


def test_refused_transfer_returns_to_the_sender(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
    with pytest.raises(ValidationError):
        services.complaint_transfer_refuse(complaint_id=complaint.pk, actor=staff_b, reason="")
    services.complaint_transfer_refuse(complaint_id=complaint.pk, actor=staff_b, reason="不属于我办职责。")
    complaint.refresh_from_db()
    assert complaint.pending_transfer_to is None and complaint.handling_office is None
    assert complaint.status == Status.ACCEPTED
    assert complaint.events.get(kind="transfer_refused").internal_note == "不属于我办职责。"


def test_only_the_receiving_office_answers_a_transfer(office_a, office_b, centre_staff, coordinator):
    complaint, _ = submit(office=office_a)
    services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
    with pytest.raises(PermissionDenied):
        services.complaint_transfer_accept(complaint_id=complaint.pk, actor=coordinator)


def test_substantiated_reply_opens_a_case_and_flags_a_real_name_reward(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    complaint = walk_to(
        "replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b, substantiated=True
    )
    assert complaint.status == Status.REPLIED and complaint.reward_eligible
    case = AccountabilityCase.objects.get(complaint=complaint)
    assert (case.reason, case.office) == ("substantiated", office_a)


def test_anonymous_substantiated_complaint_is_not_reward_eligible(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a, anonymous=True)
    complaint = walk_to(
        "replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b, substantiated=True
    )
    assert not complaint.reward_eligible


def test_rating_once_and_a_dissatisfied_review_reopens_it_once(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    with pytest.raises(ValidationError):
        services.complaint_request_review(complaint_id=complaint.pk, reason="不满意")
    services.complaint_rate(complaint_id=complaint.pk, rating="dissatisfied")
    with pytest.raises(ValidationError):
        services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    complaint = services.complaint_request_review(complaint_id=complaint.pk, reason="问题没有解决。")
    assert complaint.status == Status.ACCEPTED and complaint.handling_office is None and complaint.review_count == 1
    # handled again, replied again, still dissatisfied: no second review
    services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
    services.complaint_transfer_accept(complaint_id=complaint.pk, actor=staff_b)
    services.complaint_start_investigation(complaint_id=complaint.pk, actor=staff_b)
    services.complaint_reply(
        complaint_id=complaint.pk, actor=staff_b, findings="复查", measures="", reply="复查答复", substantiated=False
    )
    services.complaint_rate(complaint_id=complaint.pk, rating="dissatisfied")
    with pytest.raises(ValidationError):
        services.complaint_request_review(complaint_id=complaint.pk, reason="还是不满意")


def test_closing_a_real_name_complaint_needs_a_callback(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    with pytest.raises(ValidationError):
        services.complaint_close(complaint_id=complaint.pk, actor=centre_staff)
    with pytest.raises(ValidationError):
        services.complaint_record_callback(complaint_id=complaint.pk, actor=centre_staff)
    services.complaint_record_callback(
        complaint_id=complaint.pk, actor=centre_staff, called_on=timezone.localdate(), outcome="表示满意。"
    )
    assert services.complaint_close(complaint_id=complaint.pk, actor=centre_staff).status == Status.CLOSED


def test_unrated_reply_closes_after_ten_working_days(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a, anonymous=True)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert services.complaints_sweep()["closed"] == 0
    Complaint.objects.filter(pk=complaint.pk).update(replied_at=timezone.now() - dt.timedelta(days=16))
    assert services.complaints_sweep()["closed"] == 1
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED


# --- Time limits ----------------------------------------------------------------
def test_a_holiday_added_later_moves_open_due_dates(office_a, django_capture_on_commit_callbacks):
    complaint, _ = submit(office=office_a)
    from kernel.workcalendar import WorkCalendar

    day = complaint.received_on + dt.timedelta(days=1)
    while not WorkCalendar().is_working_day(day):
        day += dt.timedelta(days=1)
    before = complaint.accept_due
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=day, kind="holiday", name="临时假日")
    complaint.refresh_from_db()
    assert complaint.accept_due > before


def test_the_clock_stops_while_waiting_for_the_complainant(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_request_info(complaint_id=complaint.pk, actor=staff_b, question="请提供办理时间。")
    start = timezone.localdate() - dt.timedelta(days=7)
    Complaint.objects.filter(pk=complaint.pk).update(paused_since=start)
    due_before = Complaint.objects.get(pk=complaint.pk).complete_due
    services.complaint_add_info(complaint_id=complaint.pk, text="是上周一上午。")
    complaint.refresh_from_db()
    assert complaint.paused_since is None and complaint.paused_working_days >= 4
    assert complaint.complete_due > due_before
    assert complaint.events.get(kind="info_added").data["paused_working_days"] == complaint.paused_working_days


def test_on_time_verdicts_are_not_rewritten_by_later_rule_changes(office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    complaint = services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    pt = complaint.problem_type
    pt.accept_limit_days = 1
    pt.save()
    complaint.refresh_from_db()
    assert complaint.accepted_on_time is True and complaint.accept_limit_days == 3


# --- Accountability -------------------------------------------------------------
def test_an_overdue_complaint_opens_exactly_one_case(office_a):
    complaint, _ = submit(office=office_a)
    later = complaint.accept_due + dt.timedelta(days=1)
    assert services.complaints_sweep(today=later)["cases_opened"] == 1
    assert services.complaints_sweep(today=later)["cases_opened"] == 0
    assert AccountabilityCase.objects.filter(complaint=complaint, reason="accept_overdue").count() == 1


def test_completion_overdue_case_is_against_the_handling_office(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    complaint.refresh_from_db()
    services.complaints_sweep(today=complaint.complete_due + dt.timedelta(days=1))
    case = AccountabilityCase.objects.get(complaint=complaint, reason="complete_overdue")
    assert case.office == office_b


def test_a_paused_complaint_is_not_overdue(office_a, centre_staff, office_b, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_request_info(complaint_id=complaint.pk, actor=staff_b, question="请补充材料。")
    complaint.refresh_from_db()
    assert services.complaints_sweep(today=complaint.complete_due + dt.timedelta(days=3))["cases_opened"] == 0


def test_case_decision_needs_reasoning(office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    services.complaints_sweep(today=complaint.accept_due + dt.timedelta(days=1))
    case = AccountabilityCase.objects.get()
    with pytest.raises(ValidationError):
        services.case_decide(case_id=case.pk, actor=centre_staff, decision="criticism", reasoning="")
    case = services.case_decide(case_id=case.pk, actor=centre_staff, decision="criticism", reasoning="超期未受理。")
    assert case.decided_on == timezone.localdate()


# --- Identity ------------------------------------------------------------------
def test_identity_is_for_the_centre_and_every_view_is_logged(office_a, centre_staff, staff_b, coordinator):
    complaint, _ = submit(office=office_a)
    identity = services.complaint_view_identity(complaint_id=complaint.pk, actor=centre_staff)
    assert identity.name == "张三"
    assert IdentityAccess.objects.filter(complaint=complaint, user=centre_staff).count() == 1
    for user in (staff_b, coordinator):
        with pytest.raises(PermissionDenied):
            services.complaint_view_identity(complaint_id=complaint.pk, actor=user)


# --- Typical cases ----------------------------------------------------------------
def _closed(office_a, office_b, centre_staff, staff_b, code="attitude"):
    complaint, _ = submit(office=office_a, anonymous=True, code=code)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    return services.complaint_close(complaint_id=complaint.pk, actor=centre_staff)


def test_publishing_a_typical_case(office_a, office_b, centre_staff, staff_b):
    complaint = _closed(office_a, office_b, centre_staff, staff_b)
    case = services.typical_case_publish(
        complaint_id=complaint.pk,
        actor=centre_staff,
        kind="negative",
        title="某窗口服务态度差被通报",
        summary="群众反映窗口工作人员态度生硬，经查属实，已责令整改并通报批评。",
    )
    assert TypicalCase.objects.get() == case


def test_corruption_complaints_are_never_published_unless_the_centre_decides(office_a, office_b, centre_staff, staff_b):
    complaint = _closed(office_a, office_b, centre_staff, staff_b, code="corruption")
    kwargs = {
        "complaint_id": complaint.pk,
        "actor": centre_staff,
        "kind": "negative",
        "title": "吃拿卡要问题通报",
        "summary": "群众反映某单位工作人员吃拿卡要，经查属实，已移送纪检部门处理。",
    }
    with pytest.raises(ValidationError):
        services.typical_case_publish(**kwargs)
    services.typical_case_publish(**kwargs, allow_corruption=True)
    assert TypicalCase.objects.count() == 1


def test_a_case_summary_may_not_contain_the_complainants_identity(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    services.complaint_record_callback(
        complaint_id=complaint.pk, actor=centre_staff, no_callback_reason="电话无人接听。"
    )
    services.complaint_close(complaint_id=complaint.pk, actor=centre_staff)
    with pytest.raises(ValidationError):
        services.typical_case_publish(
            complaint_id=complaint.pk,
            actor=centre_staff,
            kind="positive",
            title="标题",
            summary="张三反映的问题已经得到圆满解决，群众表示满意。",
        )


def test_every_step_is_on_the_timeline(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    kinds = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert kinds == ["registered", "accepted", "transfer_requested", "transfer_accepted", "investigating", "replied"]


def test_a_decided_case_is_not_decided_again(office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    services.complaints_sweep(today=complaint.accept_due + dt.timedelta(days=1))
    case = AccountabilityCase.objects.get()
    services.case_decide(case_id=case.pk, actor=centre_staff, decision="criticism", reasoning="超期未受理。")
    with pytest.raises(ValidationError):
        services.case_decide(case_id=case.pk, actor=centre_staff, decision="no_action", reasoning="改判")
    assert AccountabilityCase.objects.get().decision == "criticism"


def test_not_accepting_a_web_complaint_makes_the_centre_first_responsible(office_a, centre_staff):
    complaint, _ = submit(office=office_a)
    complaint = services.complaint_not_accept(complaint_id=complaint.pk, actor=centre_staff, reason="不属于受理范围。")
    assert (complaint.first_receiver, complaint.first_office) == (centre_staff, centre_staff.office)


def test_a_future_date_or_an_overlong_place_is_refused(office_a):
    with pytest.raises(ValidationError) as excinfo:
        submit(office=office_a, occurred_on=timezone.localdate() + dt.timedelta(days=1), location="地" * 201)
    assert {"occurred_on", "location"} <= set(excinfo.value.message_dict)


def test_a_review_is_asked_for_within_ten_working_days(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaint.pk, rating="dissatisfied")
    Complaint.objects.filter(pk=complaint.pk).update(replied_at=timezone.now() - dt.timedelta(days=20))
    with pytest.raises(ValidationError):
        services.complaint_request_review(complaint_id=complaint.pk, reason="太晚了")


def test_a_superuser_does_not_see_complaints_about_their_own_office(office_a, admin_user):
    admin_user.office = office_a
    admin_user.save()
    complaint, _ = submit(office=office_a)
    assert complaint not in Complaint.objects.visible_to(admin_user)
