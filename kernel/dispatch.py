"""Queueing a task once the step that calls for it is committed.

``after_commit(task, *args)`` is the one way a service hands work to the worker:
the step is saved first, then the task is queued. A broker that is away (Redis
down, a wrong URL) must never turn a saved step into an error page: the failure
is logged, the rest of the request's dispatches are skipped (each would wait
for the broker again), and the page the user sees next says the notices will
follow (``DispatchNoticeMiddleware``). Every task queued this way is one whose
work a periodic sweep makes good when it is lost: the complaints' sweep, the
hand-over sweep, the reminder sweep that delivers what is waiting, the export
sweep."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from celery import Task

import contextvars
import logging

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Per request (or task): whether queueing failed once already; None outside one.
_failed: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("dispatch_failed", default=None)


def queue(task: Task[Any, Any], *args: Any) -> bool:
    """Queue ``task(*args)`` now; False, logged, if the broker would not take it."""
    failed = _failed.get()  # a list inside a request, None elsewhere (a worker, a command)
    if failed:
        logger.warning("broker away: %s%r not queued (the sweep will make it good)", task.name, args)
        failed.append(task.name)
        return False
    try:
        task.apply_async(args)
    except Exception:
        logger.exception("could not queue %s%r: the step is saved, the sweep will make it good", task.name, args)
        if failed is not None:
            failed.append(task.name)
        return False
    return True


def after_commit(task: Task[Any, Any], *args: Any) -> None:
    """Queue ``task(*args)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: queue(task, *args))


def failures() -> list[str]:
    """The tasks this request could not queue."""
    return list(_failed.get() or [])


class DispatchNoticeMiddleware:
    """Tells a signed-in user when the step they just took was saved but its
    notices could not be queued (the broker is away): they will follow with the
    next sweep. Sits after MessageMiddleware, so its message is stored with the
    response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _failed.set([])
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if _failed.get() and user is not None and user.is_authenticated and hasattr(request, "_messages"):
                messages.warning(
                    request,
                    _(
                        "Saved. The notices about this step could not be sent right now; "
                        "they will go out automatically within a few minutes."
                    ),
                )
            return response
        finally:
            _failed.reset(token)
