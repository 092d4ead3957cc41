"""Commitment deadlines in the reminder sweep."""

import datetime as dt

import pytest
from django.core import mail

from notifications import services as sweep_services
from notifications.models import Notification
from rectification.reminders import CommitmentSource
from rectification.tests.factories import add_commitment, claim, published, start_plan, today

pytestmark = pytest.mark.django_db


def test_the_sweep_reminds_the_responsible_offices_staff_of_a_commitment_due_in_3_days(
    staff_a, staff_b, coordinator, phase
):
    commitment = published(staff_a, coordinator, deadline=today() + dt.timedelta(days=3), content="压缩公文流转环节")
    report = sweep_services.run_sweep(inline=True)
    assert report["created"][("commitment", "before-3")] == 1
    notice = Notification.objects.get(kind="commitment")
    assert (notice.recipient, notice.step, notice.target_id) == (staff_a, "before-3", commitment.pk)
    assert f"/staff/rectification/commitments/{commitment.pk}/" == notice.link
    assert "压缩公文流转环节" in notice.subject
    assert [m.to for m in mail.outbox] == [[staff_a.email]]
    # Run again: nothing new.
    sweep_services.run_sweep(inline=True)
    assert Notification.objects.filter(kind="commitment").count() == 1


def test_the_responsible_office_not_the_plans_is_reminded(staff_a, staff_b, coordinator, phase):
    published(staff_a, coordinator, deadline=today() + dt.timedelta(days=1), responsible_office=staff_b.office)
    sweep_services.run_sweep(inline=True)
    assert list(Notification.objects.filter(kind="commitment").values_list("recipient", flat=True)) == [staff_b.pk]


def test_drafts_and_claimed_commitments_are_not_reminded(staff_a, coordinator, phase):
    soon = today() + dt.timedelta(days=1)
    claimed = claim(staff_a, published(staff_a, coordinator, deadline=soon))
    draft = add_commitment(staff_a, claimed.plan, deadline=soon)
    items = list(CommitmentSource().items(today() - dt.timedelta(days=10), today() + dt.timedelta(days=10)))
    assert items == []
    assert draft.status == "draft"


def test_open_commitments_past_their_deadline_escalate(staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    from rectification.models import Commitment

    Commitment.objects.filter(pk=commitment.pk).update(
        deadline=today() - dt.timedelta(days=1), status="sent_back", send_back_reason="补充材料"
    )
    sweep_services.run_sweep(inline=True)
    assert Notification.objects.filter(kind="commitment", step="overdue-1", recipient=staff_a).exists()


def test_start_plan_alone_is_not_reminded(staff_a, phase):
    start_plan(staff_a)
    assert list(CommitmentSource().items(today(), today() + dt.timedelta(days=30))) == []
