"""The complainant hears of each public step once, by e-mail, never with internal
details: dispatched by the service after commit, made good by the sweep if lost."""

from unittest import mock

import pytest
from django.core import mail

from complaints import notices, services
from complaints.models import ComplaintEvent
from complaints.tasks import notify_complainant
from complaints.tests.factories import submit, walk_to
from notifications import services as notifications

pytestmark = pytest.mark.django_db


def sweeps():
    """The complaints' sweep, then the reminder sweep that delivers what is waiting."""
    services.complaints_sweep()
    notifications.run_sweep(inline=True)


def test_the_complainant_hears_about_acceptance_without_internal_details(
    office_a, office_b, centre_staff, staff_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the acknowledgement goes out
        complaint, _ = submit(office=office_a, email="citizen@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)
        services.complaint_transfer_request(
            complaint_id=complaint.pk, actor=centre_staff, to_office=office_b, note="内部：请严肃处理"
        )
    to_citizen = [m for m in mail.outbox if m.to == ["citizen@example.com"]]
    assert len(to_citizen) == 1
    message = to_citizen[0]
    assert complaint.tracking_number in message.subject
    body = message.body + message.alternatives[0][0]
    assert "内部" not in body and centre_staff.username not in body and str(centre_staff) not in body
    sweeps()  # the sweeps don't send it again
    assert len([m for m in mail.outbox if m.to == ["citizen@example.com"]]) == 1


def test_a_lost_complainant_notice_is_made_good_by_the_sweep(
    office_a, centre_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the acknowledgement goes out
        complaint, _ = submit(office=office_a, email="citizen@example.com")
    mail.outbox.clear()
    services.complaint_accept(complaint_id=complaint.pk, actor=centre_staff)  # on_commit never runs here
    sweeps()
    to_citizen = [m.to for m in mail.outbox if m.to == ["citizen@example.com"]]
    assert to_citizen == [["citizen@example.com"]]
    sweeps()
    assert len([m for m in mail.outbox if m.to == ["citizen@example.com"]]) == 1


def test_each_step_the_complainant_is_told_of_queues_one_notice_after_commit(
    office_a, office_b, centre_staff, staff_b, django_capture_on_commit_callbacks
):
    complaint, _ = submit(office=office_a)
    with mock.patch.object(notify_complainant, "apply_async") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
        assert not delay.called  # nothing before the commit
        for callback in callbacks:
            callback()
    told = ComplaintEvent.objects.filter(complaint=complaint, kind__in=notices.NEWS).order_by("pk")
    assert [call.args for call in delay.call_args_list] == [((event.pk,),) for event in told]
    assert [event.kind for event in told] == ["accepted", "transfer_accepted", "replied"]


def test_recording_an_event_queues_nothing(office_a, django_capture_on_commit_callbacks):
    complaint, _ = submit(office=office_a)
    with django_capture_on_commit_callbacks() as callbacks:
        ComplaintEvent.record(complaint, None, ComplaintEvent.Kind.ACCEPTED)
    assert callbacks == []
