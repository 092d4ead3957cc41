"""The public results section (/results/): only what the campaign office published."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from campaigns.current import get_current_campaign
from complaints.selectors import published_cases
from kernel.pagecache import public_page

from ..models import DisclosureItem
from ..selectors.public import catalogue, latest_results, public_bulletins

PER_PAGE = 20


@public_page
def index(request):
    campaign = get_current_campaign()
    context = {"campaign": campaign}
    if campaign is not None:
        context.update(
            {
                "results": latest_results(campaign),
                "bulletins": list(public_bulletins(campaign)[:5]),
                "cases": list(published_cases().filter(complaint__campaign=campaign)[:3]),
            }
        )
    return render(request, "oversight/public/index.html", context)


@public_page
def catalogue_view(request):
    campaign = get_current_campaign()
    return render(
        request,
        "oversight/public/catalogue.html",
        {
            "campaign": campaign,
            "entries": catalogue(campaign) if campaign else [],
        },
    )


@public_page
def item(request, pk):
    item = get_object_or_404(
        DisclosureItem.objects.published()
        .exclude(kind=DisclosureItem.Kind.BULLETIN)
        .select_related("campaign", "responsible_office"),
        pk=pk,
    )
    return render(request, "oversight/public/item.html", {"item": item})


@public_page
def bulletins(request):
    page = Paginator(public_bulletins(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "oversight/public/bulletins.html", {"page": page})


@public_page
def bulletin(request, pk):
    bulletin = get_object_or_404(public_bulletins().prefetch_related("offices"), pk=pk)
    if not bulletin.is_public:
        raise Http404
    return render(request, "oversight/public/bulletin.html", {"bulletin": bulletin})
