"""A rectification plan submitted in a district is announced to that district's
campaign office, not to every campaign office of the tree (notifications.notices.
campaign_office_for)."""

import pytest

from campaigns.roles import Role
from campaigns.tests.factories import UserFactory
from notifications.models import Notification
from notifications.tests.test_levels import tree  # noqa: F401 (the fixture)
from rectification import services
from rectification.tests.factories import add_commitment, start_plan

pytestmark = pytest.mark.django_db


def test_a_plan_submitted_in_a_district_is_announced_to_that_district_s_campaign_office(
    tree,  # noqa: F811
    phase,
    django_capture_on_commit_callbacks,
):
    offices, users = tree
    staff = UserFactory(office=offices["huiyang_dept"], role=Role.OFFICE_STAFF)
    plan = start_plan(staff)
    add_commitment(staff, plan)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(actor=staff, plan_id=plan.pk)
    told = set(
        Notification.objects.filter(step__startswith="plan-submitted").values_list("recipient__username", flat=True)
    )
    assert told == {"huiyang"}
