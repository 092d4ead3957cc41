"""Staff are told at once when a complaint brings them work: in the inbox, and by
e-mail as they chose; once per event and person, in their language, never with
the complainant's identity."""

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from campaigns.roles import Role
from campaigns.tests.factories import UserFactory
from complaints import services, staff_notices, tasks
from complaints.models import ComplaintEvent
from complaints.tests.factories import submit, walk_to
from notifications.models import Notification
from notifications.services import run_sweep
from tests.services import at_once, require_postgresql

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL, IP = "张三丰", "13912345678", "zhangsan@example.com", "203.0.113.77"


@pytest.fixture
def head_b(office_b):
    return UserFactory(username="head_b", office=office_b, role=Role.OFFICE_HEAD)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service and what it queues after commit, as the worker would."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def told(kind=None) -> Any:
    """Usernames told of each event kind: {"registered": ["centre"], ...}."""
    notices = Notification.objects.filter(kind=staff_notices.NOTICE_KIND).select_related("recipient")
    events = ComplaintEvent.objects.in_bulk([int(n.step.split("-")[1]) for n in notices])
    by_kind: dict[str, list[str]] = {}
    for notice in notices.order_by("recipient__username"):
        by_kind.setdefault(events[int(notice.step.split("-")[1])].kind, []).append(notice.recipient.username)
    return by_kind if kind is None else by_kind.get(kind, [])


def identity_free(notice: Notification) -> bool:
    text = " ".join([notice.subject, notice.body, str(notice.texts), notice.inbox_subject, notice.inbox_summary])
    return not any(secret in text for secret in (NAME, PHONE, EMAIL, IP))


def new_complaint(run, office):
    return run(
        services.complaint_submit,
        problem_type=services.intake.ProblemType.objects.get(code="attitude"),
        description="窗口工作人员态度恶劣，多次推诿不予办理。",
        is_anonymous=False,
        office=office,
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        ip=IP,
    ).complaint


# --- Who hears of what --------------------------------------------------------------------
def test_a_new_complaint_tells_the_complaint_centre_at_once(run, office_a, centre_staff, staff_a, staff_b):
    complaint = new_complaint(run, office_a)
    assert told() == {"registered": ["centre"]}
    notice = Notification.objects.get(kind=staff_notices.NOTICE_KIND)
    assert notice.link == f"/staff/complaints/{complaint.pk}/" and notice.target_id == complaint.pk
    assert [m.to for m in mail.outbox if m.to != [EMAIL]] == [[centre_staff.email]]
    with translation.override("en"):
        assert notice.inbox_subject == f"New complaint {complaint.tracking_number} to accept"
        assert notice.inbox_summary.startswith("A complaint of the type “Poor service attitude” about 党委办公室 waits")


def test_centre_staff_of_the_office_complained_about_are_never_told(run, centre_office, centre_staff):
    other_centre = UserFactory(username="centre2", role=Role.COMPLAINT_CENTRE)
    new_complaint(run, centre_office)
    assert told("registered") == [other_centre.username]


def test_a_transfer_tells_the_receiving_office_staff_and_head_without_the_complainants_identity(
    run, office_a, office_b, centre_staff, staff_a, staff_b, head_b
):
    complaint = new_complaint(run, office_a)
    run(services.complaint_accept, complaint_id=complaint.pk, actor=centre_staff)
    run(
        services.complaint_transfer_request,
        complaint_id=complaint.pk,
        actor=centre_staff,
        to_office=office_b,
        note="请在三日内核实",
    )
    assert told("transfer_requested") == ["head_b", "staff_b"]
    notices = Notification.objects.filter(recipient__office=office_b)
    assert all(identity_free(n) for n in notices)
    assert all(n.recipient.office_id != office_a.pk for n in Notification.objects.filter(recipient__isnull=False))
    assert "请在三日内核实" in notices.first().body  # the centre's note goes with the e-mail
    with translation.override("en"):
        assert notices.first().inbox_summary.startswith(
            f"The complaint centre asks your office to take over complaint {complaint.tracking_number}"
        )


def test_a_refused_transfer_tells_the_office_that_asked(run, office_a, office_b, centre_staff, staff_a, staff_b):
    office_c = UserFactory(username="staff_c", role=Role.OFFICE_STAFF).office
    complaint = new_complaint(run, office_c)
    walk_to("assigned", complaint, centre=centre_staff, handler=staff_a, handling_office=office_a)
    run(services.complaint_transfer_request, complaint_id=complaint.pk, actor=staff_a, to_office=office_b)
    run(services.complaint_transfer_refuse, complaint_id=complaint.pk, actor=staff_b, reason="不属于本单位职责")
    assert told("transfer_refused") == ["staff_a"]
    refused = Notification.objects.get(recipient=staff_a, kind=staff_notices.NOTICE_KIND, subject__contains="拒收")
    assert "不属于本单位职责" in refused.body


def test_a_transfer_refused_while_the_centre_holds_it_tells_the_centre(run, office_a, office_b, centre_staff, staff_b):
    complaint = new_complaint(run, office_a)
    run(services.complaint_accept, complaint_id=complaint.pk, actor=centre_staff)
    run(services.complaint_transfer_request, complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
    run(services.complaint_transfer_refuse, complaint_id=complaint.pk, actor=staff_b, reason="非本单位")
    assert told("transfer_refused") == ["centre"]


def test_added_information_tells_whoever_handles_the_complaint_but_not_what_was_added(
    run, office_a, office_b, centre_staff, staff_b
):
    complaint = new_complaint(run, office_a)
    walk_to("assigned", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    run(services.complaint_add_info, complaint_id=complaint.pk, text=f"我是{NAME}，电话{PHONE}，补充材料。")
    assert told("info_added") == ["staff_b"]
    notice = Notification.objects.get(recipient=staff_b, step__startswith="work-", subject__contains="补充")
    assert identity_free(notice)


def test_information_added_before_acceptance_tells_the_centre(run, office_a, centre_staff):
    complaint = new_complaint(run, office_a)
    run(services.complaint_add_info, complaint_id=complaint.pk, text="补充：事情发生在上午十点。")
    assert told("info_added") == ["centre"]


def test_a_reply_and_a_review_request_bring_the_complaint_back_to_the_centre(
    run, office_a, office_b, centre_staff, staff_b
):
    complaint = new_complaint(run, office_a)
    walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    run(
        services.complaint_reply,
        complaint_id=complaint.pk,
        actor=staff_b,
        findings="查明属实。",
        measures="已批评教育。",
        reply="经核查，已责令整改。",
        substantiated=True,
    )
    run(services.complaint_rate, complaint_id=complaint.pk, rating="dissatisfied")
    run(services.complaint_request_review, complaint_id=complaint.pk, reason="整改不到位")
    assert told("replied") == ["centre"] and told("review_requested") == ["centre"]
    with translation.override("en"):
        replied = Notification.objects.get(subject__contains="回访")
        assert replied.inbox_summary.startswith(f"宣传办公室 replied to complaint {complaint.tracking_number}")


def test_nobody_is_told_of_their_own_step(run, office_a, centre_staff):
    run(
        services.complaint_submit,
        problem_type=services.intake.ProblemType.objects.get(code="attitude"),
        description="电话反映：窗口工作人员态度恶劣。",
        is_anonymous=True,
        office=office_a,
        channel="hotline",
        actor=centre_staff,
    )
    assert told() == {}


# --- Exactly once, in each one's language -----------------------------------------------------
def test_telling_the_same_event_again_writes_and_sends_nothing_more(run, office_a, centre_staff):
    complaint = new_complaint(run, office_a)
    event = complaint.events.get(kind="registered")
    sent = len(mail.outbox)
    assert tasks.notify_staff(event.pk) == 0
    assert tasks.notify_staff(event.pk) == 0
    services.complaints_sweep()
    assert Notification.objects.filter(kind=staff_notices.NOTICE_KIND).count() == 1
    assert len(mail.outbox) == sent


def test_a_lost_task_is_made_good_by_the_complaints_sweep_once(office_a, centre_staff):
    complaint, _ = submit(office=office_a)  # the task queued after commit never runs here
    assert not Notification.objects.filter(kind=staff_notices.NOTICE_KIND).exists()
    assert services.complaints_sweep()["staff_notices"] == 1
    assert services.complaints_sweep()["staff_notices"] == 0
    assert told() == {"registered": ["centre"]}
    run_sweep(inline=True)  # the reminder sweep sends what waits
    assert [m.to for m in mail.outbox if m.subject == f"新投诉 {complaint.tracking_number} 待受理"] == [
        [centre_staff.email]
    ]


@pytest.mark.django_db(transaction=True)
def test_four_workers_telling_the_same_event_at_once_write_and_send_one_notice(office_a, centre_staff):
    require_postgresql()
    complaint, _ = submit(office=office_a, email="")
    event = complaint.events.get(kind="registered")
    _results, errors = at_once(lambda: tasks.notify_staff(event.pk))
    assert not errors
    assert Notification.objects.filter(kind=staff_notices.NOTICE_KIND).count() == 1
    assert len(mail.outbox) == 1


def test_each_recipient_gets_the_e_mail_in_their_own_language(run, office_a):
    UserFactory(username="c_hant", role=Role.COMPLAINT_CENTRE, preferred_language="zh-hant")
    UserFactory(username="c_en", role=Role.COMPLAINT_CENTRE, preferred_language="en")
    UserFactory(username="c_default", role=Role.COMPLAINT_CENTRE, preferred_language="")
    complaint = new_complaint(run, office_a)
    number = complaint.tracking_number
    subjects = dict(
        Notification.objects.filter(kind=staff_notices.NOTICE_KIND).values_list("recipient__username", "subject")
    )
    assert subjects == {
        "c_hant": f"新投訴 {number} 待受理",
        "c_en": f"New complaint {number} to accept",
        "c_default": f"新投诉 {number} 待受理",
    }
    english = next(m for m in mail.outbox if m.subject == subjects["c_en"])
    assert english.body.startswith("Dear ") and "waits for acceptance" in english.body
