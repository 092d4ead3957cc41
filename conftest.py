"""Project-wide pytest setup.

With CAMPAIGN_PORTAL_REQUIRE_SERVICES set (``.ci/run`` sets it), a test that
would skip for want of PostgreSQL, Redis or Chromium fails instead, so CI can
never go green by skipping what it is meant to check.

``--as-of YYYY-MM-DD`` runs the session as if today were that date: the clock
(time-machine, so C extensions and the live server's threads see it too) starts
at 10:00 in Asia/Shanghai on that day and ticks from there. Tests that pin their
own clock still do. ``make test-dates`` runs the date-sensitive tests (marked
``date_sensitive``, see ``DATE_SENSITIVE``) under several dates this way.
"""

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest_plugins = ["tests.personas"]

REQUIRE_SERVICES = bool(os.environ.get("CAMPAIGN_PORTAL_REQUIRE_SERVICES"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped in CI, where every service must be present: {reason}"


# Test modules whose answers depend on today, beside those marked ``date_sensitive``
# themselves: the browser tests, the demo, reminders, sweeps and deadlines, the
# working-day calendar and each role's home (not the sweep's scale test, which measures
# queries on data laid out relative to today whatever day it is).
DATE_SENSITIVE = re.compile(r"demo|remind|sweep(?!_scale)|workcalendar|review_window|homes|deadline|notices")
BROWSER_TESTS = Path(__file__).parent / "tests" / "browser"


def pytest_addoption(parser):
    parser.addoption(
        "--as-of",
        metavar="YYYY-MM-DD",
        type=dt.date.fromisoformat,
        default=None,
        help="run as if today were this date (10:00 Asia/Shanghai, the clock ticking from there)",
    )


def pytest_configure(config):
    day = config.getoption("--as-of")
    if day is not None:
        import time_machine

        traveller = time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai")))
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    day = config.getoption("--as-of")
    return f"as of {day.isoformat()} (--as-of): the clock starts at 10:00 Asia/Shanghai that day" if day else None


def pytest_collection_modifyitems(config, items):
    from tests import shared_demo

    # The browser tests that share one demo run last, so each process loads it about
    # once and empties the database once after them (tests/shared_demo.py).
    items.sort(key=lambda item: shared_demo.FIXTURE in item.fixturenames)
    for item in items:
        path = Path(str(item.path))
        if BROWSER_TESTS in path.parents or DATE_SENSITIVE.search(path.stem):
            item.add_marker(pytest.mark.date_sensitive)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that does not share the demo starts on an empty database, as if the
    sharing tests before it in this process had cleaned up after themselves."""
    from tests import shared_demo

    if shared_demo.is_loaded() and shared_demo.FIXTURE not in item.fixturenames:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            shared_demo.discard()
