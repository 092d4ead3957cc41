"""Fixtures shared by the plan import's tests (the command and the staff page).
A test module that needs another directory defines its own ``zone``."""

import pytest

from campaigns.models import Office
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory


@pytest.fixture
def zone():
    """The high-tech zone's directory, in simplified characters, as the demo has it."""
    zone = OfficeFactory(name="高新区管委会", short_name="高新区", level=Office.Level.DISTRICT)
    offices = {"zone": zone}
    for name, short in [
        ("党委办公室", "党办"),
        ("管委会办公室", "管委办"),
        ("纪律检查委员会办公室", "纪工委办"),
        ("科技发展办公室", "科发办"),
        ("宣传办公室", "宣传办"),
    ]:
        offices[short] = OfficeFactory(name=name, short_name=short, parent=zone, level=Office.Level.DEPARTMENT)
    return offices


@pytest.fixture
def planner(zone):
    return UserFactory(username="planner", office=zone["管委办"], role=Role.CAMPAIGN_OFFICE)
