"""The campaign office hears at once of a deliverable handed in, and the office of
one returned to it: in the inbox and by e-mail, once, never the one who acted."""

import pytest
from django.core import mail
from django.utils import translation

from campaigns.models import AuditEvent
from notifications.models import Notification
from oversight import tasks
from oversight.services import deliverables as services
from oversight.tests.factories import DeliverableFactory, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def test_a_version_handed_in_tells_the_campaign_office_and_a_returned_one_the_office(
    run, phase, office_a, office_b, staff_a, staff_b, coordinator
):
    deliverable = DeliverableFactory(phase=phase, offices=[office_a, office_b], title="自查报告")
    submission = run(services.deliverable_submit, deliverable_id=deliverable.pk, actor=staff_a, file=pdf(), note="初稿")
    handed_in = Notification.objects.get(kind="deliverable")
    assert handed_in.recipient == coordinator and "初稿" in handed_in.body
    assert handed_in.link == f"/staff/deliverables/{deliverable.pk}/office/{office_a.pk}/"
    with translation.override("en"):
        assert handed_in.inbox_subject == "Deliverable to review: 自查报告 (党委办公室)"
    run(services.submission_return, submission_id=submission.pk, actor=coordinator, comment="缺少整改台账附件。")
    returned = Notification.objects.exclude(pk=handed_in.pk).get(kind="deliverable")
    assert returned.recipient == staff_a and "缺少整改台账附件" in returned.body  # not staff_b: not their office
    with translation.override("en"):
        assert returned.inbox_summary.startswith("The campaign office returned version 1 of “自查报告”")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, staff_a.email])


def test_telling_a_step_again_adds_nothing(run, phase, office_a, staff_a, coordinator):
    deliverable = DeliverableFactory(phase=phase, offices=[office_a])
    run(services.deliverable_submit, deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    event = AuditEvent.objects.get(verb="deliverable.submit")
    assert tasks.notify_staff(event.pk) == 0
    assert Notification.objects.filter(kind="deliverable").count() == 1 and len(mail.outbox) == 1


def test_an_accepted_version_hands_nobody_work(run, phase, office_a, staff_a, coordinator):
    deliverable = DeliverableFactory(phase=phase, offices=[office_a])
    submission = run(services.deliverable_submit, deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
    run(services.submission_accept, submission_id=submission.pk, actor=coordinator)
    assert Notification.objects.filter(kind="deliverable").count() == 1
