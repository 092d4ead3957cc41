"""A short-lived cache of public pages as anonymous visitors see them.

Citizens' pages (home, the complaint and tracking forms, the commitment board,
published results, statistics) are the same for every visitor who is not
logged in, apart from two things this module takes care of:

- the language (from the cookie or Accept-Language): part of the key;
- the CSRF token in each form (the language switcher's, the complaint
  form's): tokens are cut out of the stored page and the visitor's own token is
  put back in on every hit, so every visitor gets a valid token of their own
  and the cookie that goes with it (CsrfViewMiddleware sets it as usual).

Pages without a form (no token) are also kept gzip-compressed, and served so
to browsers that accept it (all do): the published appraisal results of 300
offices are 1.2 MB of HTML and 60 KB compressed, which matters on a phone.
Pages with a token are sent uncompressed, as Django sends every page (no
compressed response ever carries a secret next to text a visitor can inject,
the BREACH attack).

A page is served from the cache only to a visitor who is not logged in and has
no message waiting (after rating a commitment, say); everyone else gets it
rendered. Only complete 200 answers to GET are stored, for
``PUBLIC_PAGE_CACHE_SECONDS`` (60 by default; 0 turns the cache off, as in the
tests), in the shared cache (Redis in production). So a change reaches the
public within a minute, which the pages' "as of" notes allow for.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

View = Callable[..., HttpResponseBase]

TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"\x00csrf\x00"
KEY_PREFIX = "public-page:v2:"


def timeout() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60))


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or timeout() <= 0:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    return not len(messages.get_messages(request))


def _accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def _key(request: HttpRequest) -> str:
    # The day is part of the key: forms limit dates to today.
    raw = f"{get_language()}|{timezone.localdate().isoformat()}|{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def public_page(view: View) -> View:
    """Decorator for a public view (see the module's docstring). Put it closest
    to the view so that the other decorators (never_cache, require_GET...) act
    on cached answers too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            body, content_type, compressed = stored
            if compressed is not None and _accepts_gzip(request):
                response = HttpResponse(compressed, content_type=content_type)
                response["Content-Encoding"] = "gzip"
            elif compressed is not None:
                response = HttpResponse(gzip.decompress(compressed), content_type=content_type)
            else:
                response = HttpResponse(
                    body.replace(PLACEHOLDER, get_token(request).encode()), content_type=content_type
                )
            patch_vary_headers(response, ("Accept-Encoding",))
            response["X-Public-Page-Cache"] = "hit"
            return response
        answer = view(request, *args, **kwargs)
        if not isinstance(answer, HttpResponse):
            return answer  # streamed: never stored
        response = answer
        if response.status_code == 200 and not response.streaming and not response.cookies:
            body = TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
            # A page without a token is kept compressed only: every hit reads it
            # from Redis, and 60 KB read faster than 1.2 MB.
            compressed = None if PLACEHOLDER in body else gzip.compress(body, compresslevel=6, mtime=0)
            cache.set(key, (None if compressed else body, response["Content-Type"], compressed), timeout())
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    return wrapper
