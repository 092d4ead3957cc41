from django.conf import settings

from .current import current_campaign


def portal(request):
    return {
        "current_campaign": current_campaign(),
        "portal_languages": settings.LANGUAGES,
    }
