"""Snapshots of aggregate figures: served until FIGURES_MAX_AGE, recomputed by
one process at a time, refreshed by the beat job, off when the age is 0."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from kernel import figurecache


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


class Source:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"n": self.calls}


@override_settings(FIGURES_MAX_AGE=300)
def test_a_snapshot_is_served_until_it_is_too_old():
    source = Source()
    first = figurecache.snapshot("t", source)
    second = figurecache.snapshot("t", source)
    assert source.calls == 1 and second.value == {"n": 1} and second.computed_at == first.computed_at
    old = figurecache.Snapshot({"n": 1}, timezone.now() - dt.timedelta(seconds=301))
    cache.set(figurecache._key("t"), old)
    third = figurecache.snapshot("t", source)
    assert source.calls == 2 and third.value == {"n": 2}


@override_settings(FIGURES_MAX_AGE=300)
def test_while_one_process_recomputes_the_others_serve_the_previous_snapshot():
    source = Source()
    old = figurecache.Snapshot({"n": 0}, timezone.now() - dt.timedelta(seconds=600))
    cache.set(figurecache._key("t"), old)
    cache.add(figurecache._key("t") + ":lock", 1, 60)  # another process holds the lock
    assert figurecache.snapshot("t", source).value == {"n": 0}
    assert source.calls == 0


@override_settings(FIGURES_MAX_AGE=0)
def test_age_zero_computes_on_every_call():
    source = Source()
    figurecache.snapshot("t", source)
    figurecache.snapshot("t", source)
    assert source.calls == 2


@override_settings(FIGURES_MAX_AGE=300)
def test_refresh_all_recomputes_every_registered_snapshot_and_survives_a_failure(monkeypatch):
    source = Source()

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(figurecache, "_REFRESHERS", {"ok": lambda: figurecache.store("t", source), "broken": broken})
    timings = figurecache.refresh_all()
    assert set(timings) == {"ok"} and source.calls == 1
    assert figurecache.snapshot("t", source).value == {"n": 1}


def test_the_beat_schedule_refreshes_figures_before_they_expire(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-figures"]
    assert entry["task"] == "kernel.tasks.refresh_figures"
    assert entry["schedule"] < 5 * 60, "sooner than the default FIGURES_MAX_AGE"


def test_each_app_registers_its_snapshots_when_it_is_ready():
    assert {"complaint-statistics", "scorecard-complaints", "complaint-trend"} <= set(figurecache._REFRESHERS)
