from django.conf import settings

from . import current


def portal(request):
    summary = current.current_campaign()
    param = campaign_param(request, summary)
    return {
        "current_campaign": summary,
        "campaign_param": param,
        # Appended to the menu's links: "?campaign=<id>" or nothing.
        "campaign_query": f"?{current.PARAMETER}={param}" if param else "",
        "portal_languages": settings.LANGUAGES,
        # How often aggregate figures are counted again (kernel/figurecache.py).
        "figures_refresh_minutes": max(1, getattr(settings, "FIGURES_MAX_AGE", 300) // 60),
    }


def campaign_param(request, summary) -> int | None:
    """The campaign the page's address names, for the menu's links and a page's
    filters to carry (``?campaign=``), so that a campaign chosen in the switcher
    stays shown from page to page. Only when the menu's links are pages of the same kind: staff
    pages for a staff member on a staff page, public pages for a visitor on a
    public page (the two kinds may show different campaigns)."""
    wanted = current.requested_pk(request)
    if summary is None or wanted != summary.pk or not summary.has_choice:
        return None
    if current.is_staff_request(request) != request.user.is_authenticated:
        return None
    return wanted
