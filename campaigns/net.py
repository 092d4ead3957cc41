"""The client's address, the same way everywhere (login throttling, rate limits,
the IP kept with a complaint): behind the TLS proxies counted in
AXES_IPWARE_PROXY_COUNT it comes from X-Forwarded-For, otherwise only the TCP
peer is believed, so a client cannot choose its own address with a header."""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    if proxies:
        ip, _routable = get_client_ip(
            request, proxy_count=proxies, request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
        )
        return ip
    return request.META.get("REMOTE_ADDR") or None


def ratelimit_ip(request) -> str:
    """What django-ratelimit's "ip" key counts (RATELIMIT_IP_META_KEY)."""
    return client_ip(request) or "0.0.0.0"
