"""The current campaign and phase, shown in every page's header.

Kept in the cache for a few minutes (and dropped whenever a campaign or phase is
saved) so that the header costs no query on most requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

CACHE_KEY = "campaigns:current:v1"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class CurrentPhase:
    order: int
    name: str
    start_date: object
    end_date: object


@dataclass(frozen=True)
class CurrentCampaign:
    pk: int
    name: str
    phase: CurrentPhase | None


def current_campaign() -> CurrentCampaign | None:
    today = timezone.localdate()
    key = f"{CACHE_KEY}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    from .models import Campaign

    campaign = Campaign.objects.filter(is_current=True).first()
    value: CurrentCampaign | None = None
    if campaign is not None:
        phase = campaign.phases.on(today).first()
        value = CurrentCampaign(
            pk=campaign.pk,
            name=campaign.name,
            phase=CurrentPhase(phase.order, phase.name, phase.start_date, phase.end_date)
            if phase
            else None,
        )
    # False marks "looked, found nothing" so an empty site is cached too.
    cache.set(key, value or False, CACHE_SECONDS)
    return value


def forget_current() -> None:
    cache.delete(f"{CACHE_KEY}:{timezone.localdate().isoformat()}")
