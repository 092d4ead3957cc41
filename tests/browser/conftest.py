"""Browser test harness: Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures
    ``browser``          one headless Chromium for the whole session (skips when it is missing)
    ``new_page``         factory: a fresh browser context and page, with console and error capture
    ``page``             a desktop-size page (1280x900, English)
    ``phone_page``       a phone-size page (390x844, Simplified Chinese, the portal's default)
    ``browser_log``      every console message and page error of the test's pages
    ``screenshot``       ``screenshot(page, "step")`` saves test-results/screenshots/<test>-<step>.png
    ``login``            ``login(page, user)`` through the real staff login form
    ``admin_login``      ``admin_login(page, user)`` through the Django admin's login form
    ``demo``             every app's demo data on today's calendar, shared by the tests that only
                         read it; the demo users by username
    ``own_demo``         the same, loaded for one test that changes it

Every browser test ends with ``browser_log.assert_clean()``: no console message may mention
the Content Security Policy and no uncaught JavaScript error may have happened. The ``page``
fixtures check it once more at teardown, so nothing logged after the last explicit check
(or in a test that forgets to call it) slips through.

Playwright's sync API keeps an asyncio event loop in the main thread; Django then refuses ORM
calls from that thread (SynchronousOnlyOperation) although nothing runs concurrently. Setting
DJANGO_ALLOW_ASYNC_UNSAFE is the documented way out for tests:
https://docs.djangoproject.com/en/5.2/topics/async/#envvar-DJANGO_ALLOW_ASYNC_UNSAFE
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from campaigns.tests.factories import PASSWORD
from tests import shared_demo

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-results" / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`Content Security Policy violation: ${e.effectiveDirective} blocked `
    + `${e.blockedURI || "inline code"} (${e.sourceFile || "?"}:${e.lineNumber})`);
});
"""
# Playwright's default timeout is 30 s; a page of this portal renders in milliseconds.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser/ is a browser test, even if the marker is forgotten,
    so ``-m "not browser"`` always leaves them all out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


_reports_key = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # new_page's teardown reads this: a screenshot when the test failed, the browser-log
    # check when it passed (a failed test needs no second failure on top).
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


# --- Console and page errors ------------------------------------------------------


@dataclass
class BrowserLog:
    """Console messages and uncaught page errors of every page a test opened."""

    console: list[tuple[str, str, str]] = field(default_factory=list)  # (type, text, url)
    page_errors: list[tuple[str, str]] = field(default_factory=list)  # (message, url)

    def watch(self, page) -> None:
        page.on("console", lambda msg: self.console.append((msg.type, msg.text, page.url)))
        page.on("pageerror", lambda exc: self.page_errors.append((str(exc), page.url)))

    def csp_violations(self) -> list[tuple[str, str, str]]:
        return [m for m in self.console if "content security policy" in m[1].lower()]

    def problems(self) -> list[str]:
        found = [f"CSP: {text} (on {url})" for _type, text, url in self.csp_violations()]
        found += [f"page error: {message} (on {url})" for message, url in self.page_errors]
        return found

    def assert_clean(self) -> None:
        """Fail if the Content Security Policy blocked anything or a script threw."""
        problems = self.problems()
        assert not problems, "The browser reported problems:\n" + "\n".join(
            problems + ["", "All console messages:"] + [f"[{t}] {x} (on {u})" for t, x, u in self.console]
        )


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


# --- Browser, contexts and pages --------------------------------------------------


@pytest.fixture(scope="session")
def browser(live_server):
    # Asks for the live server only so that the session closes Chromium (and with it every
    # keep-alive connection to the server) before it stops the server; see live_server.
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's ``live_server``, stopped only after its request threads finish."""
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr)
    yield server
    # Each browser connection is served by its own thread, which closes its database
    # connections when the browser hangs up. With SQLite in memory that is the test
    # thread's connection, shared only while the server runs: let those threads finish
    # first, or they die with "DatabaseWrapper objects created in a thread can only be
    # used in that same thread" after the session.
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(timeout=5)
    server.stop()


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_setup):
    """The live server answers from another thread, so the test's data must really be
    committed: every browser test gets the transactional database (and an emptied one
    after it), except those that share the demo (``demo``), which is committed once and
    kept. The personas (``phase``, ``staff_a``, ...) ask for ``db``; pytest-django gives
    ``transactional_db`` precedence when both are requested, so they share it.

    This replaces pytest-django's fixture of the same name, which gives every test of
    the live server the transactional database; it also switches the live server's
    settings (ALLOWED_HOSTS) on for the test, as pytest-django's does. It names
    ``django_db_setup`` so that the session sets the test database up before the live
    server, which ``browser`` asks for, and tears it down after."""
    if shared_demo.FIXTURE not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture
def new_page(request, browser, live_server, browser_log, screenshot):
    """Open a page in a fresh context: ``new_page(viewport=PHONE, locale="zh-CN")``.

    ``base_url`` is the live server, so tests can ``page.goto("/staff/")``. When the test
    fails, each page it opened is saved as test-results/screenshots/<test>-FAILED-<n>.png.
    """
    contexts = []

    def open_page(*, viewport=DESKTOP, locale="en-US", **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale=locale,  # becomes the Accept-Language header LocaleMiddleware reads
            timezone_id="Asia/Shanghai",
            # Bootstrap leaves out its transitions (a folding menu's 0.35 s slide) for
            # readers who ask for less motion; tests wait for none of them.
            reduced_motion="reduce",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        # Chromium logs CSP violations to the console itself; this listener adds one line
        # per violation with the directive and the offending source, worded independently
        # of Chromium's own message. Init scripts are exempt from the page's CSP.
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        browser_log.watch(page)
        return page

    yield open_page
    reports = request.node.stash.get(_reports_key, {})
    failed = any(report.failed for report in reports.values())
    for n, context in enumerate(contexts, start=1):
        if failed:
            for page in context.pages:
                # A crashed or closed page: keep the real failure in view.
                with contextlib.suppress(Exception):
                    screenshot(page, f"FAILED-{n}")
        context.close()
    if "call" in reports and reports["call"].passed:
        browser_log.assert_clean()


@pytest.fixture
def page(new_page):
    """A desktop-size page in English, so tests can find fields by their (source) labels."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A 390x844 page in Simplified Chinese, the portal's main audience."""
    return new_page(viewport=PHONE, locale="zh-CN")


# --- Screenshots ------------------------------------------------------------------


def _file_safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "step")`` saves a full-page PNG as
    test-results/screenshots/<test name>-<step>.png and returns its path."""
    test_name = _file_safe(request.node.name)

    def take(page, step: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{test_name}-{_file_safe(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- Logging in -------------------------------------------------------------------


@pytest.fixture
def login(screenshot):
    """Log in through the staff login form at /accounts/login/; lands on the workspace.
    The form is photographed at the test's first login (the file would be the same
    picture again at every other)."""
    photographed = []

    def log_in(page, user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        form = page.locator("main form")
        form.locator("input[name=username]").fill(user.username)
        form.locator("input[name=password]").fill(password)
        if not photographed:
            photographed.append(screenshot(page, "login"))
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/staff/$"))
        return page

    return log_in


@pytest.fixture
def admin_login(screenshot):
    """Log in through the Django admin's own login form (django-axes watches it too)."""

    def log_in(page, user, password: str = PASSWORD):
        page.goto("/admin/login/?next=/admin/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        screenshot(page, "admin-login")
        page.locator("#login-form [type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/$"))
        return page

    return log_in


@pytest.fixture
def demo(django_db_setup, django_db_blocker, settings):
    """The whole demo, every app's, laid out on today's calendar as ``make run`` does (on
    the --as-of date under ``make test-dates``): tests on it prove the demo is a live
    campaign whatever the day. The demo users by username.

    Loaded once per test process and shared by the tests that ask for it, which must
    only read it (logging in is reading); a test that changed a table's row count fails
    at teardown. A test that changes the demo asks for ``own_demo``."""
    with django_db_blocker.unblock():
        yield shared_demo.users(Path(settings.MEDIA_ROOT))
        changed = shared_demo.changes()
        if changed:
            shared_demo.discard()
            pytest.fail("this test changed the shared demo; ask for own_demo instead:\n" + "\n".join(changed))


@pytest.fixture
def own_demo():
    """The whole demo, as ``demo``, loaded for this test alone, which may change it."""
    from campaigns.demo import load_all

    return load_all()["user_objects"]
