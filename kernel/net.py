"""The client's address, worked out the same way for everything that counts or
keeps it: login throttling (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the
per-address limits (django-ratelimit, ``RATELIMIT_IP_META_KEY``) and the address
stored with a complaint, a comment or a rating.

One setting decides it: ``TRUSTED_PROXIES``, the addresses (or networks) of our
own reverse proxies. The TCP peer is believed; ``X-Forwarded-For`` only when the
peer is one of those proxies, and then read from the right, one hop per trusted
proxy: the first address that is not one of ours is the client. Whatever a
client writes into the header itself stays to the left of that and is never
read, and a header sent by anybody who is not a trusted proxy is ignored. With
no proxy configured only the peer counts.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """``TRUSTED_PROXIES`` as networks: ``127.0.0.1``, ``172.31.250.1``,
    ``10.0.0.0/8``, ``::1``. A typo stops the portal at startup."""
    networks = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 127.0.0.1 or 172.16.0.0/12)."
            ) from exc
    return tuple(networks)


def _address(value: str | None) -> Address | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def peer_is_trusted_proxy(request_or_environ: HttpRequest | dict[str, Any]) -> bool:
    """Is the TCP peer one of our proxies? Takes a request or a WSGI environ."""
    meta: Any = getattr(request_or_environ, "META", request_or_environ)
    peer = _address(meta.get("REMOTE_ADDR"))
    return peer is not None and _trusted(peer, parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()))))


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client behind our trusted proxies (see the module)."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not _trusted(peer, networks):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Not an address our proxies would write: nothing left of it is ours
            # either, so the last hop we could trust is as far as we can see.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def ratelimit_ip(request: HttpRequest) -> str:
    """What django-ratelimit's "ip" key counts (RATELIMIT_IP_META_KEY)."""
    return client_ip(request) or "0.0.0.0"
