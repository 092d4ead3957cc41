"""Supervisors and office heads at a level (issue 16, item 5): they read what their
scope allows, change nothing of a complaint, and never see a complainant's identity.

A supervisor held at 惠阳区 (their office under the district) and the head of
淡水街道 read a complaint about a service desk of 淡水街道, handled by another of its offices: the
detail page answers 200 without the complainant's name, phone or e-mail, the
identity page is refused, and every step of the complaint (each POST-only action)
leaves it as it was. A complaint of the zone is a 404 to both; the queue and its
export hold no identity either.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from campaigns import demo as campaign_demo
from campaigns.models import Office
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from complaints.models import Complaint
from complaints.tests.factories import submit, workflow_steps

from .test_levels import _world, world  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "黄立新", "13912345678", "huanglixin@example.com"
STEPS = workflow_steps()


@pytest.fixture
def readers(world):  # noqa: F811
    huiyang = world["huiyang"]
    danshui = world["offices"][campaign_demo.DANSHUI]
    desk = OfficeFactory(name="淡水街道便民服务中心", parent=danshui, level=Office.Level.DEPARTMENT)
    supervisor_office = OfficeFactory(name="惠阳区人大代表联络站", parent=huiyang, level=Office.Level.DEPARTMENT)
    supervisor = UserFactory(username="huiyang_supervisor", office=supervisor_office, role=Role.SUPERVISOR)
    head = UserFactory(username="danshui_head", office=danshui, role=Role.OFFICE_HEAD)
    complaint, _code = submit(office=desk, name=NAME, phone=PHONE, email=EMAIL)
    handler = OfficeFactory(name="淡水街道综合执法队", parent=danshui, level=Office.Level.DEPARTMENT)
    Complaint.objects.filter(pk=complaint.pk).update(handling_office=handler)
    zone_complaint, _code = submit(office=world["offices"]["党委办公室"], name=NAME, phone=PHONE, email=EMAIL)
    return {"supervisor": supervisor, "head": head, "complaint": complaint, "zone": zone_complaint}


def _identity_shown(html: str) -> bool:
    return any(value in html for value in (NAME, PHONE, EMAIL))


@pytest.mark.parametrize("who", ["supervisor", "head"])
def test_readers_at_a_level_read_their_scope_without_identities(world, readers, who):  # noqa: F811
    client = Client()
    client.force_login(readers[who])
    complaint, zone = readers["complaint"], readers["zone"]
    detail = client.get(reverse("complaints-staff:detail", args=[complaint.pk]))
    assert detail.status_code == 200
    assert not _identity_shown(detail.content.decode())
    # The identity is revealed by a POST (each look logged): refused, nothing shown.
    revealed = client.post(reverse("complaints-staff:identity", args=[complaint.pk]), {"purpose": "view"})
    assert revealed.status_code in (403, 404) and not _identity_shown(revealed.content.decode())
    queue = client.get(reverse("complaints-staff:queue"))
    assert queue.status_code == 200 and complaint.tracking_number in queue.content.decode()
    assert not _identity_shown(queue.content.decode())
    # Another district's complaint does not exist for them.
    assert client.get(reverse("complaints-staff:detail", args=[zone.pk])).status_code == 404
    assert zone.tracking_number not in queue.content.decode()


@pytest.mark.parametrize("who", ["supervisor", "head"])
def test_readers_at_a_level_change_nothing_of_a_complaint(world, readers, who):  # noqa: F811
    client = Client()
    client.force_login(readers[who])
    complaint = readers["complaint"]
    before = Complaint.objects.filter(pk=complaint.pk).values().get()
    events = complaint.events.count()
    for step in STEPS:
        with transaction.atomic():
            response = client.post(reverse(f"complaints-staff:{step}", args=[complaint.pk]), {"reason": "试图操作"})
            after = Complaint.objects.filter(pk=complaint.pk).values().get()
            changed = {k for k in before if before[k] != after[k] and k != "updated_at"}
            added = complaint.events.count() - events
            transaction.set_rollback(True)
        assert response.status_code in (403, 404), (step, response.status_code)
        assert not changed and not added, (step, changed)
