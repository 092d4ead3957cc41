"""/healthz: do the database, the shared cache and the broker (where one is configured) answer."""

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from kombu import Connection

from kernel.cache import check as check_cache


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not answering"
        return False, exc.__class__.__name__
    return True, "ok"


def _check_broker() -> tuple[bool, str]:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return True, "not configured"
    try:
        with Connection(
            url,
            transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, "ok"


@never_cache
def healthz(request):
    db_ok, db_detail = _check_database()
    cache_ok, cache_detail = check_cache(caches["default"])
    broker_ok, broker_detail = _check_broker()
    ok = db_ok and cache_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            "database": db_detail,
            "cache": cache_detail,
            "broker": broker_detail,
        },
        status=200 if ok else 503,
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("img/favicon.png"), permanent=True)
