"""报送 with factories: numbered once under concurrent sends, and the list's query budget."""

import pytest
from django.urls import reverse

from campaigns.models import Office
from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, UserFactory
from oversight.services.reports import level_report_send
from tests.services import at_once, require_postgresql

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_two_reports_sent_at_once_get_two_numbers():
    require_postgresql()
    city = OfficeFactory(name="市", level=Office.Level.CITY)
    district = OfficeFactory(name="区", level=Office.Level.DISTRICT, parent=city)
    campaign = CampaignFactory(office=city, is_current=True)
    PhaseFactory(campaign=campaign)
    sender = UserFactory(office=OfficeFactory(name="区效能办", parent=district), role=Role.CAMPAIGN_OFFICE)
    numbers, errors = at_once(
        lambda: level_report_send(actor=sender, campaign_id=campaign.pk, title="同时报送").number, n=3
    )
    assert not errors and sorted(numbers) == [1, 2, 3]


@pytest.mark.parametrize("n", [5, 50])
def test_the_list_query_budget(client, n, django_assert_num_queries):
    city = OfficeFactory(name="市", level=Office.Level.CITY)
    district = OfficeFactory(name="区", level=Office.Level.DISTRICT, parent=city)
    campaign = CampaignFactory(office=city, is_current=True)
    PhaseFactory(campaign=campaign)
    sender = UserFactory(office=OfficeFactory(name="区效能办", parent=district), role=Role.CAMPAIGN_OFFICE)
    reader = UserFactory(office=OfficeFactory(name="市效能办", parent=city), role=Role.CAMPAIGN_OFFICE)
    for i in range(n):
        level_report_send(actor=sender, campaign_id=campaign.pk, title=f"第{i + 1}次报送")
    client.force_login(reader)
    client.get(reverse("oversight-staff:level-reports"))
    # session, user, user permissions, group permissions, the campaigns the reader sees (the header, cached after the
    # first page: 0), count of reports, the page of reports (+campaign, levels, sender), inbox badge, the user's office
    with django_assert_num_queries(7):
        response = client.get(reverse("oversight-staff:level-reports"))
    assert len(response.context["page"].object_list) == min(n, 25)
