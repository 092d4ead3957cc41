"""Which campaign a page shows: the one place that knows it.

Several campaigns run at once (a city's and a district's, an efficiency campaign
and a disclosure campaign). A page shows one of them, and its address says which:
``?campaign=<id>``; without it, the first of the campaigns the page may show, so
addresses from before keep working. Public pages may show every running campaign
(``Campaign.objects.on_show()``), staff pages (``/staff/``, the admin) the ones the
user's office takes part in or their level follows (``Campaign.objects.for_user``);
a campaign outside those is 404 by its address.

Two needs, two functions, both for the request being served (kept in a context
variable by ``CampaignMiddleware``):

- ``current_campaign()``: its pk and name, today's phase and the other campaigns
  the page could show (the header's switcher), on every page. Kept in the cache
  for a few minutes per user (or once for the public), and dropped whenever a
  campaign or phase is saved, so it costs no query on most requests.
- ``get_current_campaign()`` (and ``current_campaign_or_404()``): the ``Campaign``
  row itself, one query, for the views and services that filter by it, hand it to
  a service or show more than its name; 404 for a campaign the page may not show.

Outside a request (commands, the worker, the demo loaders) both mean the campaign
shown first (``is_current``), as they did when only one campaign ran; what must
cover every running campaign (reminders, sweeps) asks ``Campaign.objects.running()``.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from .models import Campaign

CACHE_KEY = "campaigns:current:v2"
GENERATION_KEY = "campaigns:current:generation"
CACHE_SECONDS = 300
#: The query parameter naming the campaign a page shows.
PARAMETER = "campaign"
#: Pages under these paths are staff pages: they show the user's campaigns.
STAFF_PREFIXES = ("/staff/", "/admin/")

_request: ContextVar[HttpRequest | None] = ContextVar("campaigns_request", default=None)


class CampaignMiddleware:
    """Keeps the request being served where ``current_campaign()`` and
    ``get_current_campaign()`` find it (after the authentication middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


@dataclass(frozen=True)
class CurrentPhase:
    order: int
    name: str
    start_date: object
    end_date: object


@dataclass(frozen=True)
class CampaignChoice:
    """One campaign in the header's switcher."""

    pk: int
    name: str
    office: str  # the name of its node of the office tree, "" for the whole tree


@dataclass(frozen=True)
class CurrentCampaign:
    pk: int
    name: str
    phase: CurrentPhase | None
    #: Every campaign the page could show, this one included, in the switcher's
    #: order; one campaign: no switcher.
    choices: tuple[CampaignChoice, ...] = field(default=())

    @property
    def has_choice(self) -> bool:
        return len(self.choices) > 1


def current_request() -> HttpRequest | None:
    return _request.get()


def is_staff_request(request: HttpRequest) -> bool:
    return request.path.startswith(STAFF_PREFIXES)


def requested_pk(request: HttpRequest) -> int | None:
    """The campaign named by the page's address, if any (not yet checked)."""
    value = request.GET.get(PARAMETER, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def campaigns_for(request: HttpRequest | None) -> QuerySet[Campaign]:
    """The campaigns a page of ``request`` may show, in the switcher's order."""
    from .models import Campaign

    if request is None:
        return Campaign.objects.filter(is_current=True)
    if is_staff_request(request):
        return Campaign.objects.for_user(request.user)
    return Campaign.objects.on_show()


def _summaries(request: HttpRequest | None) -> list[CurrentCampaign]:
    """Every campaign the page could show with today's phase: two queries, cached
    per user (staff pages) or once (public pages) until a campaign or phase changes."""
    from .models import Phase

    today = timezone.localdate()
    if request is not None and is_staff_request(request):
        user = request.user
        who = f"user:{user.pk}:{user.office_id}" if user.is_authenticated else "anonymous"
    else:
        who = "public" if request is not None else "none"
    generation = cache.get(GENERATION_KEY, 0)
    key = f"{CACHE_KEY}:{generation}:{today.isoformat()}:{who}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = list(campaigns_for(request).select_related("office"))
    phases = {}
    if rows:
        for phase in Phase.objects.on(today).filter(campaign__in=[c.pk for c in rows]).order_by("-order"):
            phases[phase.campaign_id] = CurrentPhase(phase.order, phase.name, phase.start_date, phase.end_date)
    choices = tuple(CampaignChoice(c.pk, c.name, c.office.name if c.office else "") for c in rows)
    value = [CurrentCampaign(c.pk, c.name, phases.get(c.pk), choices) for c in rows]
    cache.set(key, value, CACHE_SECONDS)
    return value


def current_campaign() -> CurrentCampaign | None:
    """The header's summary of the campaign the page shows, today's phase and the
    switcher's choices; cached. An address naming a campaign the page may not show
    falls back to the first here (the page itself answers 404 when it loads it)."""
    request = current_request()
    summaries = _summaries(request)
    wanted = requested_pk(request) if request is not None else None
    chosen = next((s for s in summaries if s.pk == wanted), None) if wanted else None
    return chosen or (summaries[0] if summaries else None)


def current_summary_or_404() -> CurrentCampaign | None:
    """``current_campaign()`` for a view that filters by the campaign's pk: no query
    of its own once the header has been cached (the header then reads the same
    summary), and 404 when the address names a campaign the page may not show."""
    summary = current_campaign()
    request = current_request()
    if request is not None and PARAMETER in request.GET and (summary is None or summary.pk != requested_pk(request)):
        raise Http404("No such campaign here.")
    return summary


def get_current_campaign() -> Campaign | None:
    """The row of the campaign the page shows, or None when there is none to show
    (one query). 404 when the address names a campaign the page may not show."""
    request = current_request()
    campaigns = campaigns_for(request)
    wanted = requested_pk(request) if request is not None else None
    if request is not None and PARAMETER in request.GET:
        campaign = campaigns.filter(pk=wanted).first() if wanted else None
        if campaign is None:
            raise Http404("No such campaign here.")
        return campaign
    return campaigns.first()


def shown_campaign() -> QuerySet:
    """The campaign the page shows as a subquery for a filter
    (``phase__campaign__in=shown_campaign()``): no query of its own, for the code
    that only filters by it (the home's panels, the querysets of campaign-bound
    records). An address naming a campaign the page may not show matches nothing."""
    request = current_request()
    campaigns = campaigns_for(request)
    wanted = requested_pk(request) if request is not None else None
    if request is not None and PARAMETER in request.GET:
        campaigns = campaigns.filter(pk=wanted or 0)
    return campaigns.values("pk")[:1]


def campaign_for_office(office) -> Campaign | None:
    """The campaign a record about ``office`` belongs to (a complaint, on the public
    form, Open311 or registered by staff): the campaign the page shows when the
    office takes part in it, else the running campaign of the nearest level above
    the office (``CampaignQuerySet.for_office``); for no office, the campaign the
    page shows. One query."""
    if office is None:
        return get_current_campaign()
    from .models import Campaign

    request = current_request()
    preferred = requested_pk(request) if request is not None else None
    return Campaign.objects.for_office(office, preferred=preferred).first()


def current_campaign_or_404() -> Campaign:
    """For the pages that mean nothing without a campaign."""
    campaign = get_current_campaign()
    if campaign is None:
        raise Http404("No campaign is current.")
    return campaign


def forget_current() -> None:
    """Every cached summary is stale: a campaign or a phase changed."""
    cache.set(GENERATION_KEY, time.time_ns(), None)
