"""Public pages served from the cache to anonymous visitors: each visitor still
gets a valid CSRF token of their own, logged-in users and visitors with a
message never get a cached page, and each language is cached apart."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from complaints.models import Complaint
from complaints.tests.factories import problem_type

pytestmark = pytest.mark.django_db
FORM = reverse("complaints:new")
HOME = reverse("home")


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def cached_pages():
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=60):
        yield


def test_second_anonymous_visit_is_served_from_the_cache(client, campaign, cached_pages):
    first = client.get(HOME)
    second = Client().get(HOME)
    assert first.status_code == second.status_code == 200
    assert "X-Public-Page-Cache" not in first and second["X-Public-Page-Cache"] == "hit"


def test_a_cached_form_carries_each_visitors_own_valid_token(campaign, office_a, cached_pages):
    kind = problem_type()
    Client().get(FORM)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(FORM)
    assert page["X-Public-Page-Cache"] == "hit"
    token = _token(page)
    assert "\x00" not in page.content.decode()
    assert all(
        value == token for value in re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    )
    response = visitor.post(
        FORM,
        {
            "csrfmiddlewaretoken": token,
            "office": office_a.pk,
            "problem_type": kind.pk,
            "description": "窗口工作人员推诿扯皮，多次往返仍未办理。",
            "is_anonymous": "anonymous",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Complaint.objects.count() == 1
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(reverse("complaints:track"))  # a cookie of its own
    refused = stranger.post(
        FORM,
        {
            "csrfmiddlewaretoken": token,
            "problem_type": kind.pk,
            "description": "另一件投诉的内容足够长。",
            "is_anonymous": "anonymous",
        },
    )
    assert refused.status_code == 403, "another visitor's token is not valid with my cookie"


def test_logged_in_users_never_get_the_cached_page(client, campaign, staff_a, cached_pages):
    Client().get(HOME)
    client.force_login(staff_a)
    response = client.get(HOME)
    assert "X-Public-Page-Cache" not in response
    assert f'action="{reverse("logout")}"' in response.content.decode(), "rendered for the logged-in user"


def test_each_language_is_cached_apart(campaign, cached_pages):
    Client(HTTP_ACCEPT_LANGUAGE="en").get(HOME)
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(HOME)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(HOME)
    assert "X-Public-Page-Cache" not in chinese and english["X-Public-Page-Cache"] == "hit"
    assert '<html lang="zh-hans">' in chinese.content.decode() and '<html lang="en">' in english.content.decode()


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered(client, campaign, cached_pages):
    Client().get(HOME)
    storage = CookieStorage(RequestFactory().get(HOME))
    client.cookies["messages"] = storage._encode([Message(messages.SUCCESS, "感谢您的评价。")])
    response = client.get(HOME)
    assert "X-Public-Page-Cache" not in response
    assert "感谢您的评价。" in response.content.decode()


def test_posts_and_error_pages_are_never_stored(client, campaign, cached_pages):
    kind = problem_type()
    client.post(FORM, {"problem_type": kind.pk, "description": "短", "is_anonymous": "anonymous"})
    response = Client().get(FORM)
    assert "X-Public-Page-Cache" not in response
    assert Client().get(FORM)["X-Public-Page-Cache"] == "hit"


def test_off_when_the_setting_is_zero(client, campaign):
    client.get(HOME)
    assert "X-Public-Page-Cache" not in Client().get(HOME)


def test_pages_without_a_form_are_sent_compressed_to_browsers_that_accept_it(campaign, cached_pages):
    import gzip

    Client().get(HOME)
    compressed = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br").get(HOME)
    plain = Client().get(HOME)
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert "Content-Encoding" not in plain


def test_pages_with_a_token_are_never_sent_compressed(campaign, cached_pages):
    Client().get(FORM)
    response = Client(HTTP_ACCEPT_ENCODING="gzip").get(FORM)
    assert response["X-Public-Page-Cache"] == "hit" and "Content-Encoding" not in response
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_the_language_switch_needs_no_token(campaign):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302 and visitor.cookies["django_language"].value == "en"
    assert 'name="csrfmiddlewaretoken"' not in visitor.get(HOME).content.decode()
