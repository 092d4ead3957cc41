"""Reads for the public results section: only what a campaign-office user published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign

from ..models import Bulletin, DisclosureItem

Kind = DisclosureItem.Kind
RESULT_KINDS = [Kind.PROGRESS, Kind.COMPLAINT_STATISTICS, Kind.RECTIFICATION_RESULTS, Kind.APPRAISAL_RANKING]


def latest_results(campaign: Campaign) -> dict[str, DisclosureItem]:
    """The latest published snapshot of each kind: one query."""
    latest: dict[str, DisclosureItem] = {}
    items = (
        DisclosureItem.objects.published()
        .filter(campaign=campaign, kind__in=RESULT_KINDS)
        .select_related("responsible_office")
        .order_by("-published_at", "-pk")
    )
    for item in items:
        latest.setdefault(item.kind, item)
    return latest


def public_bulletins(campaign: Campaign | None = None) -> QuerySet[Bulletin]:
    qs = Bulletin.objects.public().select_related("issuing_office", "campaign")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-published_at", "-pk")


@dataclass(frozen=True)
class CatalogueEntry:
    published_at: dt.datetime
    kind_label: str
    title: str
    office: str
    url: str


def catalogue(campaign: Campaign) -> list[CatalogueEntry]:
    """Every item published for the campaign, newest first: the campaign office's
    snapshots and public bulletins, and the typical cases the complaint centre
    published (two queries)."""
    from complaints.models import TypicalCase

    entries = []
    items = (
        DisclosureItem.objects.published().filter(campaign=campaign).select_related("responsible_office", "bulletin")
    )
    for item in items:
        # The table's constraints: a published item has its date, a bulletin's item its bulletin.
        assert item.published_at is not None
        url = (
            reverse("oversight:bulletin", args=[item.bulletin_id])
            if item.kind == Kind.BULLETIN
            else reverse("oversight:item", args=[item.pk])
        )
        if item.kind == Kind.BULLETIN:
            assert item.bulletin is not None
            label = item.bulletin.get_kind_display()
        else:
            label = item.get_kind_display()
        entries.append(
            CatalogueEntry(
                item.published_at,
                str(label),
                item.title,
                item.responsible_office.name if item.responsible_office is not None else "",
                url,
            )
        )
    cases = (
        TypicalCase.objects.filter(complaint__campaign=campaign, published_at__lte=timezone.now())
        .select_related("published_by__office")
        .only("kind", "title", "published_at", "published_by__office__name")
    )
    cases_url = reverse("complaints:cases")
    for case in cases:
        office = case.published_by.office.name if case.published_by.office else ""
        label = _("Typical case · %(kind)s") % {"kind": case.get_kind_display()}
        entries.append(CatalogueEntry(case.published_at, label, case.title, office, f"{cases_url}?kind={case.kind}"))
    entries.sort(key=lambda e: e.published_at, reverse=True)
    return entries
