import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages are checked in English (the source language); pages are asked for in it too."""
    settings.LANGUAGE_CODE = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
