import pytest


@pytest.fixture
def client(client):
    """These tests read the messages in their English source wording; the
    catalogues themselves are checked in tests/test_i18n.py."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
