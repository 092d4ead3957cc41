"""The public complaint statistics read by level of government: a city's campaign
shows each district as one row adding up the complaints about all its offices; a
district with fewer complaints than the small-office threshold is added up with the
others so that no complainant can be recognised."""

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.models import Office
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory
from complaints.selectors import SMALL_OFFICE_THRESHOLD, campaign_statistics
from complaints.tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = OfficeFactory(name="惠州市", level=Office.Level.CITY)
    districts = {
        name: OfficeFactory(name=name, level=Office.Level.DISTRICT, parent=city)
        for name in ("惠阳区", "惠城区", "博罗县")
    }
    campaign = CampaignFactory(name="全市机关作风效能建设", office=city, is_current=True)
    PhaseFactory(campaign=campaign)
    offices = {
        "city_dept": OfficeFactory(name="惠州市教育局", parent=city),
        "huiyang_dept": OfficeFactory(name="惠阳区教育局", parent=districts["惠阳区"]),
        "danshui": OfficeFactory(name="淡水街道办事处", level=Office.Level.TOWNSHIP, parent=districts["惠阳区"]),
        "huicheng_dept": OfficeFactory(name="惠城区民政局", parent=districts["惠城区"]),
        "boluo_dept": OfficeFactory(name="博罗县教育局", parent=districts["博罗县"]),
    }
    counts = {"city_dept": 3, "huiyang_dept": 2, "danshui": 2, "huicheng_dept": 4, "boluo_dept": 1}
    n = 0
    for key, count in counts.items():
        for _ in range(count):
            n += 1
            submit(office=offices[key], description=f"第{n}件：窗口工作人员推诿，不予办理。", ip=f"198.51.100.{n}")
    return campaign


def test_a_city_campaign_s_statistics_show_each_district_as_one_row(city):
    with translation.override("en"):
        stats = campaign_statistics(city.pk, fresh=True)
        rows = {str(row.label): (row.received, row.offices) for row in stats.by_level}
    assert rows == {
        "惠州市 (its own offices)": (3, 1),
        "惠阳区": (4, 2),  # its bureau and its street, added up
        "惠城区": (4, 1),
        "Other levels of government": (1, 1),  # 博罗县: fewer than the threshold
    }
    assert SMALL_OFFICE_THRESHOLD == 3
    assert sum(row.received for row in stats.by_level) == stats.total.received


def test_the_public_page_has_the_table_and_a_district_s_campaign_without_levels_has_none(client, city, settings):
    settings.LANGUAGE_CODE = "en"
    body = client.get(reverse("complaints:stats")).content.decode()
    assert 'data-testid="by-level"' in body and "惠阳区" in body
    district = Office.objects.get(name="惠城区")
    other = CampaignFactory(name="惠城区专项行动", office=district, status="running")
    PhaseFactory(campaign=other)
    assert campaign_statistics(other.pk, fresh=True).by_level == []
