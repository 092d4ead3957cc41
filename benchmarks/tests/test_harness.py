"""The benchmark harness's own parts: settings, reference views, the query
counter and the verdicts of the report."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

from benchmarks import report
from benchmarks.middleware import QueryCountMiddleware
from campaigns.models import Office

ROOT = Path(__file__).resolve().parents[2]


def _bench_settings(**env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'debug': settings.DEBUG, 'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE'], "
        "'static': settings.STORAGES['staticfiles']['BACKEND'], 'cache': settings.CACHES['default']['BACKEND'], "
        "'middleware': settings.MIDDLEWARE, 'urlconf': settings.ROOT_URLCONF, "
        "'proxy': settings.SECURE_PROXY_SSL_HEADER, 'ssl_redirect': settings.SECURE_SSL_REDIRECT, "
        "'submit_rate': settings.COMPLAINT_SUBMIT_RATE}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CACHE_URL", "CONN_MAX_AGE")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "campaign_portal.settings_bench", "SECRET_KEY": "x" * 60, **env},
    )
    return {
        "code": result.returncode,
        "stderr": result.stderr,
        "settings": json.loads(result.stdout) if result.returncode == 0 else None,
    }


def test_benchmark_settings_measure_production_behaviour():
    outcome = _bench_settings(DEBUG="0")
    assert outcome["code"] == 0, outcome["stderr"]
    settings = outcome["settings"]
    assert settings["debug"] is False
    assert settings["conn_max_age"] >= 60, "persistent database connections"
    assert settings["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "redis" in settings["cache"].lower()
    assert settings["ssl_redirect"] is True and settings["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["middleware"][0] == "benchmarks.middleware.QueryCountMiddleware"
    assert "axes.middleware.AxesMiddleware" in settings["middleware"]
    assert settings["urlconf"] == "benchmarks.urls"


def test_benchmark_settings_refuse_debug():
    outcome = _bench_settings(DEBUG="1")
    assert outcome["code"] != 0
    assert "DEBUG=0" in outcome["stderr"]


def test_reference_views_are_not_mounted_by_the_portal():
    with pytest.raises(Resolver404):
        resolve("/__bench__/bare/")
    with pytest.raises(Resolver404):
        resolve("/__bench__/one-row/")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="benchmarks.urls")
def test_reference_views_and_the_query_header(client):
    Office.objects.create(name="市政务服务数据管理局")
    with override_settings(MIDDLEWARE=["benchmarks.middleware.QueryCountMiddleware", *_middleware()]):
        bare = client.get("/__bench__/bare/")
        one_row = client.get("/__bench__/one-row/")
    assert bare.status_code == 200 and bare.content == b"ok"
    assert bare[QueryCountMiddleware.header] == "0"
    assert one_row.status_code == 200 and one_row.content.decode() == "市政务服务数据管理局"
    assert one_row[QueryCountMiddleware.header] == "1"
    # The portal's pages are there too.
    assert client.get("/healthz").status_code == 200


def _middleware():
    from django.conf import settings

    return list(settings.MIDDLEWARE)


def _page(label, rps, p50_ms, queries=3, group="public"):
    return {
        "label": label,
        "group": group,
        "path": "/",
        "rps": rps,
        "p50_us": p50_ms * 1000,
        "p99_us": p50_ms * 3000,
        "queries": queries,
        "requests": int(rps * 10),
    }


def _scale(factor=1.0, *, stats_rps=600, queue_ms=5, dashboard_ms=20):
    pages = {
        "bare": _page("bare", 2000, 1),
        "one_row": _page("one", 1000, 2),
        "home": _page("home", 700, 3),
        "complaint_form": _page("form", 600, 3),
        "track_form": _page("track", 800, 2),
        "board": _page("board", 550, 4),
        "results": _page("results", 520, 4),
        "stats": _page("stats", stats_rps, 4),
        "open311": _page("open311", 400, 5),
        "complaint_post": {**_page("post", 300, 6), "stored": 3001},
    }
    for key in report.STAFF_GROWTH:
        pages[key] = _page(key, 400, queue_ms * factor, group="staff")
    pages["dashboard"] = _page("dashboard", 100, dashboard_ms, group="staff")
    return {
        "manifest": {"parameters": {}},
        "pages": pages,
        "explain": {"queue": [{"sql": "SELECT 1", "plan": "Index Scan using x", "seq_scan_on_complaints": False}]},
    }


def _verdicts(results):
    return {target: ok for target, _measured, ok in report.targets(results)}


def test_report_meets_targets_when_the_figures_do():
    results = {
        "scales": {"1k": _scale(), "1m": _scale(factor=1.2)},
        "jobs": {
            "sweep_10000": {"seconds": 10, "queries": 100, "due": 10000, "peak_rss_mb": 90},
            "sweep_100000": {"seconds": 100, "queries": 1000, "due": 100000, "peak_rss_mb": 120},
            "export": {"seconds": 30, "peak_rss_mb": 110, "queries": 110},
        },
    }
    verdicts = _verdicts(results)
    assert verdicts and all(verdicts.values()), [t for t, ok in verdicts.items() if not ok]
    assert "Every target was met" in report.render(results)


def test_report_flags_a_slow_public_page_slow_growth_and_a_sequential_scan():
    big = _scale(factor=2.0, stats_rps=300, dashboard_ms=200)
    big["explain"]["queue"][0]["seq_scan_on_complaints"] = True
    results = {
        "scales": {"1k": _scale(), "1m": big},
        "jobs": {
            "sweep_10000": {"seconds": 10, "queries": 100, "due": 10000, "peak_rss_mb": 90},
            "sweep_100000": {"seconds": 150, "queries": 5000, "due": 100000, "peak_rss_mb": 250},
        },
    }
    missed = {target for target, ok in _verdicts(results).items() if ok is False}
    assert "Complaint statistics at 1m: ≥ 0.5 of one-row".replace("Complaint statistics", "stats") in missed
    assert "queue: p50 at 1M ≤ 1.5× at 1k" in missed
    assert "Campaign dashboard: p50 at 1M ≤ 5× at 1k" in missed
    assert any(target.startswith("Default queue query uses an index") for target in missed)
    assert "Reminder sweep: 100k due ≤ 12× the time of 10k" in missed
    assert "Reminder sweep: a fixed number of queries per batch" in missed
    assert "Reminder sweep: peak memory < 200 MB at 100k due" in missed
    assert "target(s) missed" in report.render(results)
