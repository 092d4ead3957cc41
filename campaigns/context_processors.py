from django.conf import settings

from .current import current_campaign


def portal(request):
    return {
        "current_campaign": current_campaign(),
        "portal_languages": settings.LANGUAGES,
        # How often aggregate figures are counted again (kernel/figurecache.py).
        "figures_refresh_minutes": max(1, getattr(settings, "FIGURES_MAX_AGE", 300) // 60),
    }
