"""Text as people send it: the control characters nobody types, cleaned where text
enters the portal.

Copy and paste brings them: Word's manual line break is a vertical tab, a page
break a form feed, PDFs and web pages carry Unicode line and paragraph
separators and NEL. Stored, they broke the exports (openpyxl refuses them) and
show as boxes. ``clean_text`` turns the line-break-like ones into a newline and
drops the rest of C0 and C1 (keeping tab, newline and carriage return, which
forms use); ``single_line`` also folds every run of whitespace into one space,
for names, titles and other one-line values. NUL is left alone: Django's form
fields refuse it with a message next to the field and Open311 with a 400
document, so it is never stored either."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

#: Line breaks by another name: a newline.
_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: C0 but NUL, tab, newline and carriage return; DEL; C1 but NEL (a break above).
_DROPPED = re.compile("[\x01-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f]")


def clean_text(value: str) -> str:
    """``value`` with line-break-like controls as newlines and other controls dropped."""
    if not isinstance(value, str):
        return value
    return _DROPPED.sub("", _BREAKS.sub("\n", value))


def single_line(value: str) -> str:
    """``clean_text(value)`` on one line: every run of whitespace one space, trimmed."""
    return " ".join(clean_text(value or "").split())


def clean_post(data: QueryDict) -> QueryDict:
    """A copy of ``data`` with every value passed through ``clean_text``."""
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
    cleaned._mutable = False
    return cleaned


def _needs_cleaning(data: QueryDict) -> bool:
    return any(_BREAKS.search(v) or _DROPPED.search(v) for key, values in data.lists() for v in [key, *values])


def clean_request_post(request: HttpRequest) -> None:
    """Replace ``request.POST`` by its cleaned copy (parsing it if nobody has)."""
    if request.method == "POST" and _needs_cleaning(request.POST):
        request.POST = clean_post(request.POST)  # type: ignore[assignment]  # immutable, as Django leaves it


class CleanTextMiddleware:
    """Every form posted to the portal reaches its view with ``clean_text`` applied
    to each value, so no field of any form — public pages, staff pages, the admin
    — can store a control character, whoever forgets to clean it. Runs when the
    view is known, after CsrfViewMiddleware has read the form (so reading it here
    adds no new way to fail); a csrf-exempt view reads its own request and calls
    ``clean_request_post`` itself when it has (Open311, which answers an
    unreadable request with its own error document)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if request.method == "POST" and not getattr(view_func, "csrf_exempt", False):
            clean_request_post(request)
        return None
