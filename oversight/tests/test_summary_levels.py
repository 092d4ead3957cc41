"""The campaign summary report (总结) is read within the reader's reach: a district's
campaign office reading the city's campaign sees its own district's offices and
figures, never the district beside it; the city sees both."""

import pytest
from django.urls import reverse

from campaigns.tests.factories import CampaignFactory, PhaseFactory, TaskFactory, today
from notifications.tests.test_levels import tree  # noqa: F401 (the fixture: a city, three districts, their planners)
from oversight.tests.factories import complaint_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_campaign(tree):  # noqa: F811
    """The city's campaign, a task and a closed complaint for a department of each district."""
    offices, users = tree
    city = offices["city_dept"].parent
    campaign = CampaignFactory(name="全市机关作风效能建设", office=city, is_current=True)
    phase = PhaseFactory(campaign=campaign)
    depts = {"huiyang": offices["huiyang_dept"], "zone": offices["zone_dept"]}
    for office in depts.values():
        TaskFactory(phase=phase, lead=office, deadline=today())
        complaint_about(office, status="closed", on_time=True, rating="satisfied")
    return campaign, depts, {"district": users["huiyang"], "city": users["city"]}


def summary(client, user, campaign):
    client.force_login(user)
    response = client.get(reverse("oversight-staff:summary"), {"campaign": campaign.pk})
    assert response.status_code == 200
    return response


def test_a_district_reads_the_city_campaign_summary_for_its_own_district_only(client, city_campaign):
    campaign, offices, users = city_campaign
    response = summary(client, users["district"], campaign)
    names = [row.office_name for row in response.context["summary"].card.rows]
    assert names == ["惠阳区教育局"]
    assert "高新区党委办公室" not in response.content.decode()
    assert response.context["summary"].complaint_total["received"] == 1


def test_the_city_reads_both_districts_in_the_summary(client, city_campaign):
    campaign, offices, users = city_campaign
    response = summary(client, users["city"], campaign)
    names = sorted(row.office_name for row in response.context["summary"].card.rows)
    assert names == ["惠阳区教育局", "高新区党委办公室"]
    assert response.context["summary"].complaint_total["received"] == 2
