"""The client's address behind our own proxies (kernel/net.py), as every limiter
and every stored IP sees it. The same rules through a real nginx are in
tests/test_proxy.py."""

from typing import Any

import pytest
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django_ratelimit.core import _get_ip

from kernel.net import client_ip, parse_networks, ratelimit_ip

NGINX = "127.0.0.1"


def request(peer: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_tcp_peer_is_the_client_and_the_header_is_ignored():
    assert settings.TRUSTED_PROXIES == []
    assert client_ip(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_added():
    assert client_ip(request(NGINX, "198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_addresses_a_client_forges_to_the_left_of_the_proxys_entry_are_never_read():
    # nginx's $proxy_add_x_forwarded_for appends the peer to what the client sent.
    assert client_ip(request(NGINX, "10.0.0.1, 127.0.0.1, 198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_a_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored():
    assert client_ip(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", NGINX])
def test_each_trusted_proxy_in_a_chain_is_one_hop_from_the_right():
    # client -> load balancer 10.1.1.1 -> nginx 127.0.0.1 -> gunicorn
    assert client_ip(request(NGINX, "6.6.6.6, 198.51.100.7, 10.1.1.1")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_a_request_from_the_proxy_itself_without_a_header_is_the_proxys():
    assert client_ip(request(NGINX)) == NGINX
    assert client_ip(request(NGINX, "")) == NGINX


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_something_that_is_not_an_address_ends_the_walk_at_the_last_trusted_hop():
    assert client_ip(request(NGINX, "unknown")) == NGINX
    assert client_ip(request(NGINX, "198.51.100.7:4711")) == NGINX


@override_settings(TRUSTED_PROXIES=["::1"])
def test_ipv6_and_ipv4_mapped_addresses():
    assert client_ip(request("::1", "2001:db8::7")) == "2001:db8::7"
    assert client_ip(request("::ffff:198.51.100.7")) == "198.51.100.7"


def test_no_peer_address_is_no_client_address_and_the_limiter_counts_it_as_one():
    assert client_ip(request("")) is None
    assert ratelimit_ip(request("")) == "0.0.0.0"


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_axes_the_per_address_limits_and_the_stored_ip_read_the_same_address():
    forged = request(NGINX, "10.9.9.9, 198.51.100.7")

    assert settings.AXES_CLIENT_IP_CALLABLE == "kernel.net.client_ip"
    assert settings.RATELIMIT_IP_META_KEY == "kernel.net.ratelimit_ip"
    assert get_client_ip_address(forged) == "198.51.100.7"
    assert _get_ip(forged) == "198.51.100.7"
    assert client_ip(forged) == "198.51.100.7"


def test_a_trusted_proxy_that_is_not_an_address_is_refused():
    with pytest.raises(ImproperlyConfigured):
        parse_networks(("127.0.0.1", "nginx"))


@override_settings(TRUSTED_PROXIES=[NGINX], SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_only_a_trusted_proxy_may_say_the_client_used_https(client):
    from kernel.middleware import UntrustedForwardingMiddleware

    seen = []
    middleware = UntrustedForwardingMiddleware(lambda request: seen.append(request.is_secure()))
    for peer in (NGINX, "198.51.100.7"):
        middleware(RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https"))

    assert seen == [True, False]
    assert settings.MIDDLEWARE[0] == "kernel.middleware.UntrustedForwardingMiddleware"
