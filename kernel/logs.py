"""Structured logs (``LOG_FORMAT=json``): one JSON object per line, each with the
id of the request it was written for, so a log collector can put together what
one request did across the web server's lines; the id is also sent back in
the ``X-Request-ID`` response header, and comes from that request header when
our own proxy set it (nginx: ``proxy_set_header X-Request-ID $request_id;``).

Also the error mail to ``ADMINS`` (``AdminEmailHandler``): sent from a thread of
its own, never inside the request that failed, and without the posted values."""

from __future__ import annotations

import atexit
import contextvars
import json
import logging
import os
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.log import AdminEmailHandler as DjangoAdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

from .net import peer_is_trusted_proxy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

logger = logging.getLogger(__name__)
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


class NoTracebackForClientErrors(logging.Filter):
    """A 403 or 404 (an ordinary wrong link, a stranger's URL) is one line: Django
    logs it with the exception that produced it, which printed a full traceback for
    every Http404 and PermissionDenied. Server errors (500) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get() or None,
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def start_request(sender: object, environ: dict[str, Any], **kwargs: Any) -> None:
    """``request_started``: the id is set before anything of the request is logged
    and kept until ``request_finished``, so Django's own 500 line carries it too."""
    given = environ.get("HTTP_X_REQUEST_ID", "")
    trusted = given and VALID_ID.match(given) and peer_is_trusted_proxy(environ)
    request_id.set(given if trusted else uuid.uuid4().hex)


def finish_request(sender: object, **kwargs: Any) -> None:
    request_id.set("")


class RequestIdMiddleware:
    """Names the request's id in the ``X-Request-ID`` response header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request_id.get():
            response["X-Request-ID"] = request_id.get()
        return response


# --- Error mail to ADMINS -----------------------------------------------------------------
class _Mailer:
    """One thread per process that sends the error mail, so a slow or hung mail
    server never holds the request that failed (or the next ones: a storm of
    errors queues at most ``limit`` mails, the rest are dropped and logged)."""

    limit = 50

    def __init__(self) -> None:
        self._queue: queue.Queue[Callable[[], object]] = queue.Queue(maxsize=self.limit)
        self._lock = threading.Lock()
        self._pid = 0

    def submit(self, send: Callable[[], object]) -> None:
        self._start()
        try:
            self._queue.put_nowait(send)
        except queue.Full:
            logger.warning("error mail dropped: %d are already waiting for the mail server", self.limit)

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            # A new process (first use, or a fork that inherited no thread): a new queue and sender.
            self._queue = queue.Queue(maxsize=self.limit)
            self._pid = os.getpid()
            threading.Thread(target=self._run, args=(self._queue,), name="error-mail", daemon=True).start()

    @staticmethod
    def _run(waiting: queue.Queue[Callable[[], object]]) -> None:
        while True:
            send = waiting.get()
            try:
                send()
            except Exception:  # the mail is lost; the error itself is in the log already
                logger.warning("error mail could not be sent", exc_info=True)
            finally:
                waiting.task_done()

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the mail waiting to be sent; True once none is."""
        deadline = time.monotonic() + seconds
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True


error_mailer = _Mailer()
# Mail still waiting when the process exits gets a few seconds (a restart of gunicorn).
atexit.register(error_mailer.wait, 5)


class AdminEmailHandler(DjangoAdminEmailHandler):
    """Django's error mail to ``ADMINS``, written in the request (the traceback
    and the request as they are) and handed to ``error_mailer``'s thread to send:
    the failed request answers at once whatever the mail server does, which
    only ever waits ``EMAIL_TIMEOUT`` per mail. Nothing is done without ADMINS."""

    def emit(self, record: logging.LogRecord) -> None:
        if not settings.ADMINS:
            return
        super().emit(record)

    def send_mail(self, subject: StrOrPromise, message: StrOrPromise, *args: Any, **kwargs: Any) -> None:
        send = super().send_mail
        error_mailer.submit(lambda: send(subject, message, *args, **kwargs))


class NotHealthChecks(logging.Filter):
    """No error mail for ``/healthz`` answering 503: monitoring polls it and says so
    itself, and an outage of Redis would otherwise mail ADMINS at every poll."""

    def filter(self, record: logging.LogRecord) -> bool:
        match = getattr(getattr(record, "request", None), "resolver_match", None)
        return not (getattr(record, "status_code", None) == 503 and getattr(match, "url_name", None) == "healthz")


class NoRequestBodyReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the mail to ADMINS) leave out every posted value, as the
    Sentry integration does (``max_request_body_size="never"``): complainants'
    names, phones and descriptions stay in the portal. The names of the fields
    are kept, so the report still says what the form held. With DEBUG on (a
    developer's error page) nothing is hidden, as in Django's own filter."""

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        if not self.is_active(request):  # DEBUG on: the developer's own error page shows them
            return request.POST
        return dict.fromkeys(request.POST, self.cleansed_substitute)
