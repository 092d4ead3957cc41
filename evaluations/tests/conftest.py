import pytest

from campaigns.tests.factories import OfficeFactory


@pytest.fixture
def offices(office_a, office_b):
    """Three appraised offices: office A, office B and a third."""
    return [office_a, office_b, OfficeFactory(name="科技发展办公室", short_name="科发办")]
