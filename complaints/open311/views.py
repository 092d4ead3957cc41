"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the complaints.

Services are the active problem types; service requests are complaints, made
through ``services.complaint_submit`` exactly like the public form's, under the
key of the system that sends them. Every endpoint answers in XML (required by
the spec) and JSON, picked by the ``.xml`` / ``.json`` suffix. The API never
uses the session: POST is csrf-exempt and authenticates with ``api_key``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.signals import got_request_exception
from django.db.models import Max
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from campaigns.models import Office
from complaints import rules, services
from complaints.models import Complaint, ProblemType
from kernel.net import client_ip
from kernel.text import clean_request_post

from . import payloads
from .keys import KeyRefused, key_check
from .render import MIME_TYPES, errors, render

request_logger = logging.getLogger("django.request")
REQUEST_LIMIT = 1000
WINDOW = dt.timedelta(days=90)
DEFAULT_POST_RATE = "60/m"

# Where the service's complaint about a field is reported, in the API's own names.
FIELD_NAMES = {
    "problem_type": "service_code",
    "office": f"attribute[{payloads.OFFICE}]",
    "is_anonymous": f"attribute[{payloads.REAL_NAME}]",
    "name": "first_name/last_name",
    "attachments": "media_url",
}


class BadRequest(Exception):
    """One or more arguments are missing or invalid: 400 with every message."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


def _has_nul(params) -> bool:
    return any("\x00" in value for values in params.lists() for value in values[1])


def api(*methods: str):
    """Allow only ``methods``, answer every error as the spec's error document in
    the format asked for (``BadRequest`` is a 400), and never ask for a CSRF token:
    the API has no session and authenticates POSTs with ``api_key``."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, fmt, *args, **kwargs):
            if request.method not in methods:
                response = errors(fmt, 405, [_("This method is not allowed here.")])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if _has_nul(request.GET) or _has_nul(request.POST):
                    raise BadRequest(_("Arguments may not contain NUL characters."))
                clean_request_post(request)  # other control characters: dropped (kernel/text.py)
                return view(request, fmt, *args, **kwargs)
            except BadRequest as exc:
                return errors(fmt, 400, exc.messages)
            except SuspiciousOperation as exc:  # too many fields, a body too large...
                return errors(fmt, 400, [_("The request could not be read: %(reason)s") % {"reason": exc}])
            except Exception:
                # Reported as Django reports any 500 (ADMINS, Sentry), answered as the spec asks.
                got_request_exception.send(sender=None, request=request)
                extra = {"status_code": 500, "request": request}
                request_logger.error("Internal Server Error: %s", request.path, exc_info=True, extra=extra)
                return errors(fmt, 500, [_("The request failed on the server; the error has been reported.")])

        return wrapper

    return decorate


def _caller_key(fmt, raw: str):
    """The key for ``raw`` or the spec's 403; an empty api_key counts as none
    ("Optional Arguments": empty is the same as absent)."""
    try:
        return key_check(raw), None
    except KeyRefused as exc:
        message = _("This api_key has been revoked.") if exc.revoked else _("Invalid api_key received.")
        return None, errors(fmt, 403, [message])


# --- Discovery and services -----------------------------------------------------
@csrf_exempt
def root(request):
    return redirect("open311:discovery", fmt="xml")


@api("GET", "HEAD")
def discovery(request, fmt):
    stamps = [
        ProblemType.objects.aggregate(at=Max("updated_at"))["at"],
        Office.objects.aggregate(at=Max("updated_at"))["at"],
    ]
    changeset = payloads.w3c(max((s for s in stamps if s), default=timezone.now()))
    contact = getattr(settings, "OPEN311_CONTACT", "") or _(
        "The complaint centre (效能监察投诉中心) of the campaign office runs this API."
    )
    key_service = getattr(settings, "OPEN311_KEY_SERVICE", "") or _(
        "Ask the campaign office for a key for your system; the portal's administrators issue one per system."
    )
    data = {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": payloads.SPECIFICATION,
                "url": request.build_absolute_uri(reverse("open311:root")).rstrip("/"),
                "changeset": changeset,
                "type": getattr(settings, "OPEN311_ENDPOINT_TYPE", "production"),
                "formats": [MIME_TYPES["xml"], MIME_TYPES["json"]],
            }
        ],
    }
    return render(fmt, "discovery", data)


@api("GET", "HEAD")
def service_list(request, fmt):
    types = ProblemType.objects.filter(is_active=True).order_by("order", "pk")
    return render(fmt, "services", [payloads.service(t) for t in types])


@api("GET", "HEAD")
def service_definition(request, fmt, service_code):
    problem_type = ProblemType.objects.filter(code=service_code, is_active=True).first()
    if problem_type is None:
        return errors(fmt, 404, [_("service_code “%(code)s” was not found.") % {"code": service_code}])
    offices = list(Office.objects.filter(is_active=True).order_by("name").only("pk", "name"))
    return render(fmt, "service_definition", payloads.service_definition(problem_type, offices))


# --- Service requests --------------------------------------------------------------
@api("GET", "HEAD", "POST")
def service_requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


def _get_key(request, fmt):
    """For reading, the key is optional; a wrong one is still refused."""
    raw = request.GET.get("api_key", "").strip()
    if not raw:
        return None, None
    return _caller_key(fmt, raw)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _parse_moment(name: str, value: str) -> dt.datetime:
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    value = re.sub(r" (\d\d:?\d\d)$", r"+\1", value.strip())
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(_("%(name)s must be a W3C date and time, e.g. 2010-01-01T00:00:00Z.") % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _window(params) -> tuple[dt.datetime, dt.datetime]:
    """The spec's range: the last 90 days unless asked, and never more than 90 days."""
    start = _parse_moment("start_date", params["start_date"]) if params.get("start_date") else None
    end = _parse_moment("end_date", params["end_date"]) if params.get("end_date") else None
    if start is None:
        end = end or timezone.now()
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if end < start:
        raise BadRequest(_("end_date is before start_date."))
    if end - start > WINDOW:
        raise BadRequest(_("start_date and end_date may not span more than 90 days."))
    return start, end


def _list(request, fmt):
    key, refused = _get_key(request, fmt)
    if refused:
        return refused
    params = request.GET
    complaints = Complaint.objects.select_related("problem_type", "handling_office")
    ids = _split(params.get("service_request_id", ""))
    if ids:
        # "This overrides all other arguments."
        complaints = complaints.filter(tracking_number__in=ids[:REQUEST_LIMIT])
    else:
        start, end = _window(params)
        complaints = complaints.filter(created_at__gte=start, created_at__lte=end)
        codes = _split(params.get("service_code", ""))
        if codes:
            complaints = complaints.filter(problem_type__code__in=codes)
        statuses = {s.lower() for s in _split(params.get("status", ""))}
        unknown = statuses - set(payloads.REQUEST_STATUSES)
        if unknown:
            raise BadRequest(_("status must be open or closed (comma separated)."))
        if statuses == {"open"}:
            complaints = complaints.open()
        elif statuses == {"closed"}:
            complaints = complaints.exclude(status__in=rules.OPEN)
    rows = complaints.order_by("-created_at", "-pk")[:REQUEST_LIMIT]
    key_id = key.pk if key else None
    return render(fmt, "service_requests", [payloads.service_request(c, key_id=key_id) for c in rows])


@api("GET", "HEAD")
def service_request_detail(request, fmt, service_request_id):
    key, refused = _get_key(request, fmt)
    if refused:
        return refused
    complaint = (
        Complaint.objects.select_related("problem_type", "handling_office")
        .filter(tracking_number=service_request_id)
        .first()
    )
    if complaint is None:
        return errors(fmt, 404, [_("service_request_id “%(id)s” was not found.") % {"id": service_request_id}])
    return render(fmt, "service_requests", [payloads.service_request(complaint, key_id=key.pk if key else None)])


@api("GET", "HEAD")
def token(request, fmt, token):
    """Every service is "realtime": POST answers with the service_request_id and
    never hands out a token. A client that asks anyway with the id gets the
    id back, so the id doubles as its own token; any other token is unknown."""
    number = Complaint.objects.filter(tracking_number=token).values_list("tracking_number", flat=True).first()
    if number is None:
        return errors(fmt, 404, [_("token “%(token)s” was not found.") % {"token": token}])
    return render(fmt, "service_requests", [{"service_request_id": number, "token": number}])


# --- POST Service Request ------------------------------------------------------------
def _office(params) -> Office | None:
    """attribute[office] and address_id both name the office complained about."""
    chosen = {}
    for name in (f"attribute[{payloads.OFFICE}]", "address_id"):
        value = params.get(name, "").strip()
        if value:
            chosen[name] = value
    if not chosen:
        return None
    if len(set(chosen.values())) > 1:
        raise BadRequest(_("attribute[office] and address_id name different offices."))
    name, value = next(iter(chosen.items()))
    office = Office.objects.filter(pk=int(value)).first() if value.isdigit() and len(value) <= 18 else None
    if office is None:
        raise BadRequest(_("%(name)s “%(value)s” is not the key of an office.") % {"name": name, "value": value})
    return office  # an inactive office is refused by the service, as on the web form


def _location(params) -> str:
    """The spec requires a location: lat & long, address_string or address_id.
    The complaint keeps it as text ("where it happened")."""
    address = params.get("address_string", "").strip()
    lat, lon = params.get("lat", "").strip(), params.get("long", "").strip()
    if bool(lat) != bool(lon):
        raise BadRequest(_("lat and long must be sent together."))
    if lat:
        try:
            lat_f, lon_f = float(lat), float(lon)
        except ValueError:
            lat_f = lon_f = float("nan")
        if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
            raise BadRequest(_("lat and long must be WGS84 degrees."))
    if not (address or lat or params.get("address_id", "").strip()):
        raise BadRequest(_("A location is required: lat and long, address_string or address_id."))
    if address:
        return address
    return f"WGS84 {lat},{lon}" if lat else ""


def _real_name(params) -> bool:
    value = params.get(f"attribute[{payloads.REAL_NAME}]", "").strip().lower()
    if value not in ("true", "false"):
        raise BadRequest(_("attribute[real_name] is required: true or false."))
    return value == "true"


def _occurred_on(params) -> dt.date | None:
    value = params.get(f"attribute[{payloads.OCCURRED_ON}]", "").strip()
    if not value:
        return None
    return timezone.localdate(_parse_moment(f"attribute[{payloads.OCCURRED_ON}]", value))


def _full_name(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    if any(ord(ch) > 0x2E7F for ch in first + last):  # CJK: family name first, no space (张 + 三)
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def _post_rate(group, request):
    return getattr(settings, "OPEN311_POST_RATE", DEFAULT_POST_RATE)


def _create(request, fmt):
    params = request.POST
    raw = params.get("api_key", "").strip()
    if not raw:
        return errors(
            fmt, 403, [_("api_key was not provided; creating a request needs the key issued to your system.")]
        )
    key, refused = _caller_key(fmt, raw)
    if refused:
        return refused
    if is_ratelimited(
        request, group="open311:post", key=lambda group, req: f"key:{key.pk}", rate=_post_rate, increment=True
    ):
        response = errors(fmt, 429, [_("Too many requests from this api_key; try again in a minute.")])
        response["Retry-After"] = "60"
        return response

    service_code = params.get("service_code", "").strip()
    if not service_code:
        raise BadRequest(_("service_code was not provided."))
    problem_type = ProblemType.objects.filter(code=service_code, is_active=True).first()
    if problem_type is None:
        return errors(fmt, 404, [_("service_code “%(code)s” was not found.") % {"code": service_code}])

    problems: list[str] = []
    values: dict = {}
    for name, parse in (
        ("office", _office),
        ("location", _location),
        ("real_name", _real_name),
        ("occurred_on", _occurred_on),
    ):
        try:
            values[name] = parse(params)
        except BadRequest as exc:
            problems.extend(exc.messages)
    description = params.get("description", "")
    if not description.strip():
        problems.append(_("description was not provided."))
    if problems:
        raise BadRequest(*problems)

    email = params.get("email", "").strip()
    try:
        submission = services.complaint_submit(
            problem_type=problem_type,
            description=description,
            is_anonymous=not values["real_name"],
            office=values["office"],
            occurred_on=values["occurred_on"],
            location=values["location"],
            name=_full_name(params.get("first_name", ""), params.get("last_name", "")),
            phone=params.get("phone", ""),
            email=email,
            channel=Complaint.Channel.OPEN311,
            ip=client_ip(request),
            open311_key=key,
        )
    except ValidationError as exc:
        raise BadRequest(*_messages(exc)) from exc
    # media_url, device_id and account_id are accepted and not kept (see docs/open311.md).
    body = payloads.created(
        submission.complaint, duplicate=submission.duplicate, emailed=bool(email) and not submission.duplicate
    )
    return render(fmt, "service_requests", [body])


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        f"{FIELD_NAMES.get(field, field)}: {message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Anything else under /open311/v2/, including a format other than xml or json."""
    return errors("xml", 404, [_("There is no such Open311 resource. Try discovery.xml.")])
