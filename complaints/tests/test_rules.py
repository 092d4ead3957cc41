"""The rules in complaints/rules.py and on the queryset, each asked of directly."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from complaints import rules, services
from complaints.models import Complaint
from complaints.tests.factories import submit, walk_to

pytestmark = pytest.mark.django_db
Status = Complaint.Status


# --- Statuses ------------------------------------------------------------------------
def test_every_status_is_either_open_or_final():
    assert set(rules.OPEN) | set(rules.FINAL) == set(Status)
    assert not set(rules.OPEN) & set(rules.FINAL)


def test_handling_is_open_until_replied_and_completing_is_handling_after_acceptance():
    assert set(rules.HANDLING) == set(rules.OPEN) - {Status.REPLIED}
    assert set(rules.COMPLETING) == set(rules.HANDLING) - {Status.REGISTERED}


# --- Overdue -------------------------------------------------------------------------
def _overdue_on(day) -> set[int]:
    return set(Complaint.objects.overdue(day).values_list("pk", flat=True))


def test_a_registered_complaint_is_overdue_the_day_after_its_acceptance_date(office_a):
    complaint, _ = submit(office=office_a)
    assert complaint.pk not in _overdue_on(complaint.accept_due)
    assert complaint.pk in _overdue_on(complaint.accept_due + dt.timedelta(days=1))
    row = Complaint.objects.with_due(complaint.accept_due).get(pk=complaint.pk)
    assert (row.current_due, row.is_overdue) == (complaint.accept_due, False)


def test_an_accepted_complaint_waits_for_its_completion_date(office_a, centre_staff):
    complaint = walk_to("accepted", submit(office=office_a)[0], centre=centre_staff)
    assert complaint.pk not in _overdue_on(complaint.complete_due)
    assert complaint.pk in _overdue_on(complaint.complete_due + dt.timedelta(days=1))
    assert Complaint.objects.with_due(complaint.complete_due).get(pk=complaint.pk).current_due == complaint.complete_due


def test_a_stopped_clock_or_a_reply_is_never_overdue(office_a, office_b, centre_staff, staff_b):
    paused, _ = submit(office=office_a)
    Complaint.objects.filter(pk=paused.pk).update(paused_since=paused.received_on)
    replied = walk_to(
        "replied",
        submit(office=office_a, description="另一件投诉，内容足够长。")[0],
        centre=centre_staff,
        handler=staff_b,
        handling_office=office_b,
    )
    far = replied.complete_due + dt.timedelta(days=60)
    assert _overdue_on(far) == set()
    assert Complaint.objects.with_due(far).get(pk=replied.pk).current_due is None


def test_overdue_is_late_to_accept_or_late_to_complete(office_a, office_b, centre_staff, staff_b):
    registered, _ = submit(office=office_a)
    accepted = walk_to(
        "accepted", submit(office=office_a, description="第二件投诉，内容足够长。")[0], centre=centre_staff
    )
    day = max(registered.accept_due, accepted.complete_due) + dt.timedelta(days=1)
    to_accept = set(Complaint.objects.overdue_to_accept(day).values_list("pk", flat=True))
    to_complete = set(Complaint.objects.overdue_to_complete(day).values_list("pk", flat=True))
    assert (to_accept, to_complete) == ({registered.pk}, {accepted.pk})
    assert _overdue_on(day) == to_accept | to_complete


def test_a_complaint_never_accepted_misses_the_completion_limit_too(office_a):
    complaint, _ = submit(office=office_a)
    day = complaint.complete_due + dt.timedelta(days=1)
    assert list(Complaint.objects.past_completion_limit(day)) == [complaint]
    assert list(Complaint.objects.overdue_to_complete(day)) == []


# --- Who may do what -----------------------------------------------------------------
def test_who_may_take_which_step(office_a, office_b, centre_staff, staff_a, staff_b, coordinator):
    complaint, _ = submit(office=office_a)
    assert rules.permitted_actions(centre_staff, complaint) == rules.CENTRE_STEPS | rules.HANDLER_STEPS
    assert rules.permitted_actions(staff_a, complaint) == set()  # the office complained about
    assert rules.permitted_actions(staff_b, complaint) == set()
    assert rules.permitted_actions(coordinator, complaint) == set()  # reads everything, handles nothing
    services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
    services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
    complaint.refresh_from_db()
    assert rules.permitted_actions(staff_b, complaint) == rules.RECEIVER_STEPS
    services.complaint_transfer_accept(complaint_id=complaint.pk, actor=staff_b)
    complaint.refresh_from_db()
    assert rules.permitted_actions(staff_b, complaint) == rules.HANDLER_STEPS
    assert rules.permitted_actions(centre_staff, complaint) == rules.CENTRE_STEPS


def test_the_centre_staff_of_the_office_complained_about_may_do_nothing(centre_office, centre_staff):
    complaint, _ = submit(office=centre_office)
    assert rules.permitted_actions(centre_staff, complaint) == set()


def test_the_services_refuse_the_steps_the_rules_do_not_permit(office_a, office_b, centre_staff, staff_b):
    complaint = walk_to(
        "investigating", submit(office=office_a)[0], centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    calls = {
        "accept": lambda user: services.complaint_accept(complaint_id=complaint.pk, actor=user),
        "start": lambda user: services.complaint_start_investigation(complaint_id=complaint.pk, actor=user),
        "request_info": lambda user: services.complaint_request_info(
            complaint_id=complaint.pk, actor=user, question="请补充。"
        ),
        "close": lambda user: services.complaint_close(complaint_id=complaint.pk, actor=user),
    }
    for user in (centre_staff, staff_b):
        for step, call in calls.items():
            if step in rules.permitted_actions(user, complaint):
                continue
            with pytest.raises(PermissionDenied):
                call(user)


def test_only_the_steps_possible_now_are_offered(office_a, office_b, centre_staff, staff_b):
    complaint, _ = submit(office=office_a)
    assert rules.offered_actions(centre_staff, complaint, has_typical_case=False) == {"accept", "not_accept"}
    complaint = walk_to("assigned", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert rules.offered_actions(staff_b, complaint, has_typical_case=False) == {"transfer", "start", "request_info"}
    services.complaint_request_info(complaint_id=complaint.pk, actor=staff_b, question="请补充办理时间。")
    complaint.refresh_from_db()
    assert rules.offered_actions(staff_b, complaint, has_typical_case=False) == {"transfer", "start"}
