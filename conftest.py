"""Project-wide pytest setup.

With CAMPAIGN_PORTAL_REQUIRE_SERVICES set (``.ci/run`` sets it), a test that
would skip for want of PostgreSQL, Redis or Chromium fails instead, so CI can
never go green by skipping what it is meant to check.
"""

import os

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
