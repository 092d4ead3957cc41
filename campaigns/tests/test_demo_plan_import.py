"""The demo's second running campaign comes from seed 003 through the importer
itself: it runs beside the zone's efficiency campaign on the demo's calendar, the
zone's staff and the public can switch to it, and loading twice adds nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.demo import load_all
from campaigns.models import AuditEvent, Campaign, Task

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [dt.date(2026, 11, 16), dt.date(2027, 3, 16)])
def test_the_demo_imports_a_second_running_campaign_from_a_seed_plan(client, today):
    summary = load_all(today=today)
    efficiency = summary["campaign"]
    campaign = Campaign.objects.get(name=f"{efficiency.start_date.year}年群众评选满意政府部门活动")
    assert campaign.status == Campaign.Status.RUNNING and not campaign.is_current
    assert campaign.office.name == "高新区管委会"  # the coordinator's level of government
    # Its four phases, one a month, over the efficiency campaign's four months.
    phases = list(campaign.phases.order_by("order"))
    assert len(phases) == 4 and (campaign.start_date, campaign.end_date) == (
        efficiency.start_date,
        efficiency.end_date,
    )
    assert all(p.end_date + dt.timedelta(days=1) == n.start_date for p, n in zip(phases, phases[1:], strict=False))
    assert sum(p.start_date <= today <= p.end_date for p in phases) == 1
    tasks = Task.objects.filter(phase__campaign=campaign)
    event = AuditEvent.objects.get(verb="campaign.import", target_id=campaign.pk)
    assert event.actor.username == "coordinator"
    assert tasks.count() == 3  # seed 003's three measures (二、活動內容 (一)–(三))
    # They name no office: the coordinator's office leads, every department of the zone takes part.
    for task in tasks:
        assert task.assignments.get(role="lead").office == event.actor.office
        assert task.assignments.filter(office__level="department", office__parent=campaign.office).count() == 5
    # Played as the efficiency campaign's: phase 1's task 2 is the one left overdue.
    assert list(tasks.exclude(status=Task.Status.DONE).values_list("number", flat=True)) == [2]
    assert AuditEvent.objects.filter(verb="campaign.start", target_id=campaign.pk).count() == 1
    # The coordinator sees it on the home page and can switch to it.
    client.force_login(event.actor)
    home = client.get(reverse("staff:workspace")).content.decode()
    assert campaign.name in home and 'data-testid="campaign-switcher"' in home
    shown = client.get(reverse("staff:tasks"), {"campaign": campaign.pk})
    assert shown.status_code == 200 and tasks.first().title[:20] in shown.content.decode()
    # The public sees it among the running campaigns.
    client.logout()
    public = client.get(reverse("home"), {"campaign": campaign.pk})
    assert public.status_code == 200 and public.context["current_campaign"].pk == campaign.pk
    load_all(today=today)
    assert Campaign.objects.filter(name=campaign.name).count() == 1
    assert AuditEvent.objects.filter(verb="campaign.start", target_id=campaign.pk).count() == 1
