"""Complaint centres at each level (complaints/rules.py centre_for, centre_above;
complaints/services/centres.py): a complaint goes to the nearest centre above the
office it is about, never to that office itself nor its parent; a centre hands a
complaint up, a centre above takes one over; both leave an event and tell the
centre that gains or loses it. No complaint needs a superuser."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.models import Office
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from complaints import rules, services, staff_notices
from complaints.models import Complaint, ComplaintEvent
from complaints.tests.factories import submit
from notifications.models import Notification

pytestmark = pytest.mark.django_db

Level = Office.Level


@pytest.fixture
def tree(db):
    """惠州市 with its centre; 惠阳区 with its own centre and a street; 惠城区 with none."""
    city = OfficeFactory(name="惠州市", level=Level.CITY)
    city_centre = OfficeFactory(name="惠州市效能投诉中心", parent=city, is_complaint_centre=True)
    district = OfficeFactory(name="惠阳区", parent=city, level=Level.DISTRICT)
    district_centre = OfficeFactory(name="惠阳区效能投诉中心", parent=district, is_complaint_centre=True)
    bureau = OfficeFactory(name="惠阳区市场监管局", parent=district)
    street = OfficeFactory(name="淡水街道办事处", parent=district, level=Level.TOWNSHIP)
    other = OfficeFactory(name="惠城区", parent=city, level=Level.DISTRICT)
    other_bureau = OfficeFactory(name="惠城区住建局", parent=other)
    offices = {o.name: o for o in Office.objects.all()}
    users = {
        "city": UserFactory(username="city_centre", office=city_centre, role=Role.COMPLAINT_CENTRE),
        "district": UserFactory(username="district_centre", office=district_centre, role=Role.COMPLAINT_CENTRE),
        "street": UserFactory(username="street", office=street, role=Role.OFFICE_STAFF),
        "bureau": UserFactory(username="bureau", office=bureau, role=Role.OFFICE_STAFF),
    }
    assert other_bureau.pk
    return offices, users


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def test_a_complaint_goes_to_the_nearest_centre_above_its_office_never_its_own_nor_its_parents(tree):
    offices, _users = tree
    city_centre, district_centre = offices["惠州市效能投诉中心"], offices["惠阳区效能投诉中心"]
    assert rules.centre_for(offices["惠阳区市场监管局"]) == district_centre
    assert rules.centre_for(offices["淡水街道办事处"]) == district_centre  # a street with no centre of its own
    assert rules.centre_for(offices["惠城区住建局"]) == city_centre  # a district with no centre
    assert rules.centre_for(district_centre) == city_centre  # the centre's own office
    assert rules.centre_for(offices["惠阳区"]) == city_centre  # the government it belongs to
    assert rules.centre_for(None) == city_centre  # no office named: the top centre
    assert rules.centre_above(district_centre) == city_centre
    assert rules.centre_above(city_centre) is None
    complaint, _ = submit(office=offices["惠阳区市场监管局"])
    assert complaint.centre == district_centre


def test_a_complaint_about_the_centres_own_office_is_handled_by_the_centre_above_without_a_superuser(client, tree):
    offices, users = tree
    complaint, _ = submit(office=offices["惠阳区效能投诉中心"])
    assert complaint.centre == offices["惠州市效能投诉中心"]
    # The district's centre never sees it; the city's takes every centre step.
    assert not Complaint.objects.visible_to(users["district"]).filter(pk=complaint.pk).exists()
    client.force_login(users["district"])
    assert client.get(reverse("complaints-staff:detail", args=[complaint.pk])).status_code == 404
    client.force_login(users["city"])
    page = client.get(reverse("complaints-staff:detail", args=[complaint.pk]))
    assert page.status_code == 200 and b'data-testid="action-accept"' in page.content
    response = client.post(reverse("complaints-staff:accept", args=[complaint.pk]))
    assert response.status_code == 302
    services.complaint_transfer_request(complaint_id=complaint.pk, actor=users["city"], to_office=offices["惠阳区"])
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ACCEPTED and complaint.pending_transfer_to == offices["惠阳区"]


def test_a_complaint_about_the_district_itself_goes_up_and_its_centre_does_not_follow_it(tree):
    offices, users = tree
    complaint, _ = submit(office=offices["惠阳区"])
    assert complaint.centre == offices["惠州市效能投诉中心"]
    assert not Complaint.objects.visible_to(users["district"]).filter(pk=complaint.pk).exists()
    with pytest.raises(PermissionDenied):
        services.complaint_accept(complaint_id=complaint.pk, actor=users["district"])
    services.complaint_accept(complaint_id=complaint.pk, actor=users["city"])


def test_a_centre_escalates_to_the_centre_above_which_is_told_and_then_holds_it(client, tree, run):
    offices, users = tree
    complaint, _ = submit(office=offices["惠阳区市场监管局"])
    client.force_login(users["district"])
    page = client.get(reverse("complaints-staff:detail", args=[complaint.pk]))
    assert b'data-testid="action-escalate"' in page.content
    # Without a reason: the form again, the message next to the field, nothing changed.
    refused = client.post(reverse("complaints-staff:escalate", args=[complaint.pk]), {"reason": ""})
    assert refused.status_code == 400
    complaint.refresh_from_db()
    assert complaint.centre == offices["惠阳区效能投诉中心"]

    run(
        services.complaint_escalate,
        complaint_id=complaint.pk,
        actor=users["district"],
        reason="涉及多个部门，需市里协调。",
    )
    complaint.refresh_from_db()
    assert complaint.centre == offices["惠州市效能投诉中心"]
    event = complaint.events.get(kind=ComplaintEvent.Kind.ESCALATED)
    assert event.data == {
        "from_centre": offices["惠阳区效能投诉中心"].pk,
        "to_centre": offices["惠州市效能投诉中心"].pk,
    }
    assert not event.is_public
    notices = Notification.objects.filter(kind=staff_notices.NOTICE_KIND, subject__contains=complaint.tracking_number)
    assert {n.recipient for n in notices.filter(step=f"work-{event.pk}")} == {users["city"]}
    # The district's centre may no longer take the centre's steps; the city's may.
    with pytest.raises(PermissionDenied):
        services.complaint_accept(complaint_id=complaint.pk, actor=users["district"])
    services.complaint_accept(complaint_id=complaint.pk, actor=users["city"])
    # The city's centre has no centre above it: escalating is neither offered nor accepted.
    complaint.refresh_from_db()
    assert "escalate" not in rules.offered_actions(users["city"], complaint, has_typical_case=False)
    with pytest.raises(ValidationError):
        services.complaint_escalate(complaint_id=complaint.pk, actor=users["city"], reason="再上报")


def test_the_centre_above_takes_a_complaint_over_and_the_centre_below_is_told(client, tree, run):
    offices, users = tree
    complaint, _ = submit(office=offices["淡水街道办事处"])
    assert "take_over" in rules.offered_actions(users["city"], complaint, has_typical_case=False)
    # The centre below may not take it "over" from itself, nor from above.
    assert "take_over" not in rules.permitted_actions(users["district"], complaint)
    client.force_login(users["city"])
    response = client.post(
        reverse("complaints-staff:take-over", args=[complaint.pk]),
        {"reason": "群众多次反映，市中心直接督办。"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.centre == offices["惠州市效能投诉中心"]
    event = complaint.events.get(kind=ComplaintEvent.Kind.TAKEN_OVER)
    assert event.actor == users["city"] and event.internal_note == "群众多次反映，市中心直接督办。"
    # A lower centre forging the step gets 403 and changes nothing.
    client.force_login(users["district"])
    forged = client.post(reverse("complaints-staff:take-over", args=[complaint.pk]), {"reason": "收回"})
    assert forged.status_code == 403
    complaint.refresh_from_db()
    assert complaint.centre == offices["惠州市效能投诉中心"]


def test_taking_over_tells_the_centre_that_held_it(tree, run):
    offices, users = tree
    complaint, _ = submit(office=offices["淡水街道办事处"])
    run(services.complaint_take_over, complaint_id=complaint.pk, actor=users["city"], reason="市中心督办。")
    event = complaint.events.get(kind=ComplaintEvent.Kind.TAKEN_OVER)
    notices = Notification.objects.filter(kind=staff_notices.NOTICE_KIND, step=f"work-{event.pk}")
    assert {n.recipient for n in notices} == {users["district"]}


def test_a_new_complaint_is_announced_to_its_own_centre_only(tree, run):
    offices, users = tree
    complaint = run(submit, office=offices["惠阳区市场监管局"])[0]
    event = complaint.events.get(kind=ComplaintEvent.Kind.REGISTERED)
    notices = Notification.objects.filter(kind=staff_notices.NOTICE_KIND, step=f"work-{event.pk}")
    assert {n.recipient for n in notices} == {users["district"]}


def test_escalating_is_refused_to_whoever_does_not_hold_the_complaint(tree):
    offices, users = tree
    complaint, _ = submit(office=offices["淡水街道办事处"])
    for someone in (users["street"], users["bureau"], users["city"]):
        with pytest.raises(PermissionDenied):
            services.complaint_escalate(complaint_id=complaint.pk, actor=someone, reason="上报")
    complaint.refresh_from_db()
    assert complaint.centre == offices["惠阳区效能投诉中心"]
    assert not complaint.events.filter(kind=ComplaintEvent.Kind.ESCALATED).exists()
