"""Notices and escalations reach the oversight staff of the level that answers for
the office (campaigns/scope.py): a district's campaign office for its departments,
the city's where a district has none, never the district beside it."""

import datetime as dt

import pytest

from campaigns.models import Office
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from notifications.notices import campaign_office_for
from notifications.services.recipients import StaffDirectory
from notifications.sources import DueItem
from notifications.steps import Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = OfficeFactory(name="惠州市", level=Office.Level.CITY)
    huiyang = OfficeFactory(name="惠阳区", level=Office.Level.DISTRICT, parent=city)
    zone = OfficeFactory(name="高新区", level=Office.Level.DISTRICT, parent=city)
    bare = OfficeFactory(name="博罗县", level=Office.Level.DISTRICT, parent=city)  # no campaign office of its own
    offices = {
        "huiyang_dept": OfficeFactory(name="惠阳区教育局", parent=huiyang),
        "zone_dept": OfficeFactory(name="高新区党委办公室", parent=zone),
        "bare_dept": OfficeFactory(name="博罗县教育局", parent=bare),
        "city_dept": OfficeFactory(name="惠州市教育局", parent=city),
    }

    def planner(name, parent, role=Role.CAMPAIGN_OFFICE):
        return UserFactory(username=name, office=OfficeFactory(name=f"{name}办", parent=parent), role=role)

    users = {
        "city": planner("city", city),
        "huiyang": planner("huiyang", huiyang),
        "zone": planner("zone", zone),
        "zone_centre": planner("zone_centre", zone, Role.COMPLAINT_CENTRE),
        "city_centre": planner("city_centre", city, Role.COMPLAINT_CENTRE),
    }
    return offices, users


def names(users) -> set[str]:
    return {u.username for u in users}


def test_the_campaign_office_of_the_nearest_level_answers_for_an_office(tree):
    offices, users = tree
    assert names(campaign_office_for(offices["huiyang_dept"])) == {"huiyang"}
    assert names(campaign_office_for(offices["zone_dept"])) == {"zone"}
    assert names(campaign_office_for(offices["bare_dept"])) == {"city"}  # no campaign office of its own
    assert names(campaign_office_for(offices["city_dept"])) == {"city"}


def test_an_escalation_reaches_the_oversight_of_the_office_s_level_only(tree):
    offices, users = tree
    directory = StaffDirectory.load()
    escalate = Step("overdue-3", notify_responsible=False, notify_office_head=False, notify_oversight=True)

    def item(office, **extra):
        return DueItem(target=office, deadline=dt.date(2026, 11, 30), office=office, title="", link="/", **extra)

    assert names(directory.recipients(item(offices["huiyang_dept"]), escalate, Role.CAMPAIGN_OFFICE)) == {"huiyang"}
    assert names(directory.recipients(item(offices["bare_dept"]), escalate, Role.CAMPAIGN_OFFICE)) == {"city"}
    # A complaint held by the zone's centre: that centre, not the city's.
    centre = users["zone_centre"].office
    held = DueItem(
        target=centre, deadline=dt.date(2026, 11, 30), office=None, title="", link="/", oversight_over=centre
    )
    assert names(directory.recipients(held, escalate, Role.COMPLAINT_CENTRE)) == {"zone_centre"}
    # Nothing says which level: every one of them, as before levels.
    anywhere = DueItem(target=centre, deadline=dt.date(2026, 11, 30), office=None, title="", link="/")
    assert names(directory.recipients(anywhere, escalate, Role.COMPLAINT_CENTRE)) == {"zone_centre", "city_centre"}
