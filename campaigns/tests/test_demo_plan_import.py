"""The demo's second campaign comes from seed 003 through the importer itself: a
draft the coordinator is planning, on the coordinator's home; loading twice adds
nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.demo import load_all
from campaigns.models import AuditEvent, Campaign, Task

pytestmark = pytest.mark.django_db


def test_the_demo_imports_a_second_campaign_from_a_seed_plan(client):
    load_all(today=dt.date(2026, 11, 16))
    campaign = Campaign.objects.get(name="2026年群众评选满意政府部门活动（草稿）")
    assert campaign.status == Campaign.Status.DRAFT and not campaign.is_current
    assert campaign.office.name == "高新区管委会"  # the coordinator's level of government
    assert campaign.phases.count() == 4 and (campaign.start_date, campaign.end_date) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 1) + dt.timedelta(days=4 * 61 - 1),
    )
    tasks = Task.objects.filter(phase__campaign=campaign)
    assert tasks.count() == 3  # seed 003's three measures (二、活動內容 (一)–(三))
    event = AuditEvent.objects.get(verb="campaign.import", target_id=campaign.pk)
    assert event.actor.username == "coordinator"
    # The coordinator sees it being planned at home.
    client.force_login(event.actor)
    home = client.get(reverse("staff:workspace")).content.decode()
    assert campaign.name in home
    load_all(today=dt.date(2026, 11, 16))
    assert Campaign.objects.filter(name=campaign.name).count() == 1
