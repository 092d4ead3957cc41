from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .net import peer_is_trusted_proxy


class UserLanguageMiddleware:
    """Use a signed-in user's preferred language unless they picked another one
    with the language switcher (which sets the language cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.preferred_language
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class UntrustedForwardingMiddleware:
    """Once ``TRUSTED_PROXIES`` names our proxies, a request from anybody else
    loses its ``X-Forwarded-Proto``: only our proxy may say the client used https
    (``BEHIND_TLS_PROXY``). Goes first, before SecurityMiddleware's redirect.
    ``X-Forwarded-For`` needs nothing here: kernel/net.py reads it only from a
    trusted peer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "TRUSTED_PROXIES", None) and not peer_is_trusted_proxy(request):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class PortalNotFoundMiddleware:
    """With DEBUG on, a page that does not exist shows the portal's own 404 page, as
    visitors see it in production, instead of Django's yellow debug page (which lists
    every URL pattern). ``DEBUG_TECHNICAL_404=1`` brings Django's page back. Added to
    MIDDLEWARE only with DEBUG on."""

    # Words of Django's technical_404.html, the one page this replaces.
    MARK = b"<code>DEBUG = True</code>"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
            and self.MARK in response.content
        ):
            from django.shortcuts import render

            return render(request, "404.html", status=404)
        return response
