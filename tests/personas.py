"""The people of the portal, as fixtures.

Two offices (A and B), a current campaign with one phase running today, and one
user per role: the campaign office coordinator, staff of office A and of office
B, a supervisor, and an admin.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, TaskFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    # Content types are cached per process: cleared, a page's query count does
    # not depend on which test ran before it.
    ContentType.objects.clear_cache()
    yield
    cache.clear()


@pytest.fixture
def office_a(db):
    return OfficeFactory(name="党委办公室", short_name="党办")


@pytest.fixture
def office_b(db):
    return OfficeFactory(name="宣传办公室", short_name="宣传办")


@pytest.fixture
def campaign_office(db):
    return OfficeFactory(name="管委会办公室", short_name="管委办")


@pytest.fixture
def campaign(db):
    return CampaignFactory(name="机关行政效能建设活动", is_current=True)


@pytest.fixture
def phase(campaign):
    return PhaseFactory(campaign=campaign, order=2, name="整改提高阶段")


@pytest.fixture
def coordinator(campaign_office):
    return UserFactory(username="coordinator", office=campaign_office, role=Role.CAMPAIGN_OFFICE)


@pytest.fixture
def staff_a(office_a):
    return UserFactory(username="staff_a", office=office_a, role=Role.OFFICE_STAFF)


@pytest.fixture
def staff_b(office_b):
    return UserFactory(username="staff_b", office=office_b, role=Role.OFFICE_STAFF)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor", office=None, role=Role.SUPERVISOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def task_a(phase, office_a):
    """A task led by office A."""
    return TaskFactory(phase=phase, lead=office_a, title="召开动员大会")


@pytest.fixture
def task_b(phase, office_b):
    """A task led by office B, which office A has nothing to do with."""
    return TaskFactory(phase=phase, lead=office_b, title="制定宣传报道计划")


@pytest.fixture
def centre_office(db):
    return OfficeFactory(name="纪律检查委员会办公室", short_name="纪工委办")


@pytest.fixture
def centre_staff(centre_office):
    """Complaint centre (效能监察投诉中心) staff: sees every complaint and who filed it."""
    return UserFactory(username="centre", office=centre_office, role=Role.COMPLAINT_CENTRE)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes its uploads in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
