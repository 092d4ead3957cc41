import pytest
from django.utils import translation

from campaigns.tests.factories import OfficeFactory


@pytest.fixture(autouse=True)
def _english():
    """These tests read messages in their English source wording; the catalogues
    themselves are checked in tests/test_i18n.py."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def offices(office_a, office_b):
    """Three appraised offices: office A, office B and a third."""
    return [office_a, office_b, OfficeFactory(name="科技发展办公室", short_name="科发办")]
