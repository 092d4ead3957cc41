"""报送: a district sends its figures to the city's campaign office, frozen; the city
reads it from its inbox, the district beside it never sees it, and a report is
numbered once even when two are sent at the same moment."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from campaigns import demo as campaign_demo
from campaigns.models import Campaign
from campaigns.tests.factories import TaskFactory
from notifications.models import Notification
from oversight.models import LevelReport
from oversight.services.reports import level_report_send, snapshot_for
from tests.test_levels import _world, world  # noqa: F401 (the demo, loaded once for the module)

pytestmark = pytest.mark.django_db
SEND = reverse("oversight-staff:level-report-send")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def huiyang_campaign() -> Campaign:
    return Campaign.objects.get(name=campaign_demo.DISTRICT_CAMPAIGN_NAME)


def test_a_district_sends_its_figures_to_the_city_s_inbox_once(world, django_capture_on_commit_callbacks):  # noqa: F811
    district = world["demo_users"]["district"]
    campaign = huiyang_campaign()
    demo = LevelReport.objects.get()  # the demo's own report, sent when it was loaded
    assert (demo.number, demo.sender_level.name, demo.recipient_level.name) == (1, "惠阳区", "惠州市")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(district).post(
            f"{SEND}?campaign={campaign.pk}", {"title": "惠阳区11月份整改情况", "note": "秋长街道两项任务滞后。"}
        )
    report = LevelReport.objects.exclude(pk=demo.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "oversight-staff:level-report", args=[report.pk]
    )
    assert (report.number, report.sender_level.name, report.recipient_level.name) == (2, "惠阳区", "惠州市")
    told = Notification.objects.filter(step=f"level-report-{report.pk}")
    # The city's campaign office (the demo's `city`, and the walker made at the city), not the zone, not the district.
    assert set(told.values_list("recipient__username", flat=True)) == {"city", "city_all"}
    assert told.first().link == reverse("oversight-staff:level-report", args=[report.pk])
    # The rows add up to the total, exactly.
    rows = report.snapshot["rows"]
    for family, figures in report.snapshot["total"].items():
        for name, value in figures.items():
            assert value == sum(row["figures"][family][name] for row in rows), (family, name)
    assert {row["office"] for row in rows if row["offices"] is not None} == {"淡水街道办事处", "秋长街道办事处"}


def test_a_report_keeps_the_figures_as_sent(world):  # noqa: F811
    district = world["demo_users"]["district"]
    campaign = huiyang_campaign()
    report = level_report_send(actor=district, campaign_id=campaign.pk, title="第一次报送")
    before = report.snapshot["total"]["tasks"]["total"]
    TaskFactory(phase=campaign.phases.first(), lead=world["offices"][campaign_demo.DANSHUI], number=99)
    page = client_for(world["demo_users"]["city"]).get(reverse("oversight-staff:level-report", args=[report.pk]))
    assert page.status_code == 200
    assert LevelReport.objects.get(pk=report.pk).snapshot["total"]["tasks"]["total"] == before
    assert f'<td class="text-end">{before}</td>' in page.content.decode().split('data-testid="level-report-total"')[1]
    live = snapshot_for(district, campaign, report.sender_level, report.as_of)
    assert live["total"]["tasks"]["total"] == before + 1  # the live figures moved on; the report did not


def test_another_district_gets_404_and_the_city_reads_it(world):  # noqa: F811
    district = world["demo_users"]["district"]
    report = level_report_send(actor=district, campaign_id=huiyang_campaign().pk, title="惠阳区第一季度情况")
    url = reverse("oversight-staff:level-report", args=[report.pk])
    assert client_for(world["demo_users"]["coordinator"]).get(url).status_code == 404
    assert client_for(world["demo_users"]["city"]).get(url).status_code == 200
    assert client_for(world["demo_users"]["district"]).get(url).status_code == 200
    listing = client_for(world["demo_users"]["coordinator"]).get(reverse("oversight-staff:level-reports"))
    assert listing.status_code == 200 and report.title not in listing.content.decode()
    # Office staff read no level's reports.
    assert client_for(world["demo_users"]["danshui"]).get(url).status_code in (403, 404)


def test_the_top_of_the_tree_has_no_level_above_and_stores_nothing(world):  # noqa: F811
    city = world["demo_users"]["city"]
    page = client_for(city).get(SEND)
    assert page.status_code == 200 and "no level above" in page.content.decode()
    response = client_for(city).post(SEND, {"title": "全市情况"})
    assert response.status_code == 400
    assert "no level above" in response.content.decode() and LevelReport.objects.count() == 1  # the demo's


def test_a_report_needs_a_title_next_to_the_field(world):  # noqa: F811
    district = world["demo_users"]["district"]
    response = client_for(district).post(f"{SEND}?campaign={huiyang_campaign().pk}", {"title": " "})
    assert response.status_code == 400 and response.context["form"].errors["title"]
    assert LevelReport.objects.count() == 1  # the demo's


def test_a_campaign_the_district_does_not_take_part_in_is_refused(world):  # noqa: F811
    zone_campaign = Campaign.objects.get(name=campaign_demo.CAMPAIGN_NAME)
    response = client_for(world["demo_users"]["district"]).post(f"{SEND}?campaign={zone_campaign.pk}", {"title": "x"})
    assert response.status_code == 404 and LevelReport.objects.count() == 1  # the demo's
