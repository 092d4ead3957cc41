"""axe-core finds no serious or critical accessibility problem (issue 14, item 10) on any
public page or any staff list page, on the demo campaign, at 390 px in Simplified Chinese
and at 1280 px in English.

The pages come from the URLconf: every public page without an argument, then every public
page with one that a visited page links to (a commitment, a survey's results, a hearing,
a bulletin, an item of the catalogue...), and a complaint followed with its access code.
Every staff page without an argument that lists something is visited as a demo persona who
may see it. A URL added to the URLconf fails ``test_every_page_is_checked_or_excused``
until it is checked here or excused with a reason.

axe-core is vendored under tests/browser/vendor/axe-core/ (version and source in its
README) and evaluated in each page through Playwright, which the page's Content Security
Policy does not govern. No rule is disabled: a violation is fixed in the templates or CSS.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_oversight_dashboard import PASSWORDS

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
# Each width with the language it is read in: a phone in the portal's default language,
# a desktop in English (whose longer words are the ones that overflow).
VIEWS = {"390-zh-hans": (PHONE, "zh-CN"), "1280-en": (DESKTOP, "en-US")}
SERIOUS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .flatMap(v => v.nodes.map(n => ({
      id: v.id, impact: v.impact, help: v.help, target: n.target.join(" "),
      summary: (n.failureSummary || "").split("\\n").slice(1).join(" ").trim(),
    })));
}"""

# --- Which pages ------------------------------------------------------------------

# Pages whose looks this work changed (link, button and text colours; the statistics page's
# charts): saved as test-results/screenshots/<test>-<view>-<name>.png.
SCREENSHOTS = {
    "complaints:stats",
    "rectification:board",
    "rectification:results",
    "complaints-staff:queue",
    "complaints-staff:cases",
    "oversight-staff:dashboard",
    "oversight-staff:summary",
    "rectification-staff:commitments",
}

# Public URL names that are not pages to check, each with the reason.
PUBLIC_EXCUSED = {
    "healthz": "a health check for the load balancer, not a page",
    "set_language": "the language switch's POST target",
    "logout": "a POST that logs out",
    "password_change": "a staff page (needs a login)",
    "password_change_done": "a staff page (needs a login)",
    "complaints:receipt": "shown once, right after filing: test_complaint_public.py walks it",
    "complaints:track-add-info": "a POST from the followed complaint's page",
    "complaints:track-rate": "a POST from the followed complaint's page",
    "complaints:track-review": "a POST from the followed complaint's page",
    "complaints:track-forget": "a POST from the followed complaint's page",
    "rectification:evidence": "a file download",
    "rectification:rate": "a POST from the commitment's page",
    "rectification:comment": "a POST from the commitment's page",
    "evaluations:code": "the invitation code form's POST target (the form is on the appraisal page)",
    "evaluations:ballot": "a personal invitation's ballot: the open ballot is the same template",
    "evaluations:thanks": "shown once, after a ballot is sent: test_appraisal_ballot.py walks it",
    "oversight:bulletins-rss": "an RSS feed, not HTML",
    "oversight:bulletins-atom": "an Atom feed, not HTML",
}
PUBLIC_PREFIXES_EXCUSED = ("open311:",)  # a machine interface (JSON/XML)

# The staff list pages, each with the demo persona who works there.
STAFF_LISTS = {
    "centre": [
        "staff:workspace",
        "complaints-staff:queue",
        "complaints-staff:mine",
        "complaints-staff:cases",
        "notifications:inbox",
    ],
    "office": [
        "staff:workspace",
        "staff:tasks",
        "oversight-staff:office-dashboard",
        "oversight-staff:deliverables-mine",
        "rectification-staff:my-plan",
        "rectification-staff:commitments",
        "notifications:inbox",
    ],
    "coordinator": [
        "staff:workspace",
        "staff:tasks",
        "oversight-staff:dashboard",
        "oversight-staff:deliverables",
        "oversight-staff:ledgers",
        "oversight-staff:bulletins",
        "oversight-staff:disclosure",
        "oversight-staff:summary",
        "oversight-staff:level-reports",
        "rectification-staff:overview",
        "rectification-staff:problems",
        "rectification-staff:complaints",
        "rectification-staff:plans",
        "rectification-staff:verification",
        "rectification-staff:moderation",
        "rectification-staff:lookback",
        "rectification-staff:results",
        "evaluations-staff:surveys",
        "evaluations-staff:hearings",
    ],
    "supervisor": ["staff:workspace"],
}
# Staff URL names without an argument that are not list pages, each with the reason.
STAFF_EXCUSED = {
    "complaints-staff:export": "an Excel download",
    "complaints-staff:cases-export": "an Excel download",
    "complaints-staff:new": "a form (registering a complaint by phone or letter)",
    "complaints-staff:submitted": "shown once, after registering a complaint",
    "notifications:mark-all-read": "a POST",
    "oversight-staff:bulletin-new": "a form",
    "oversight-staff:level-report-send": "a form (a level's report to the level above)",
    "oversight-staff:summary-pdf": "a PDF download",
    "rectification-staff:problem-new": "a form",
    "evaluations-staff:new": "a form",
    "evaluations-staff:hearing-new": "a form",
    "staff:profile": "a form (the user's own settings)",
    "staff:plan-import": "a form (the campaign office's plan import)",
    "staff:plan-template": "an Excel download (the plan import's template)",
}


def _routes(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, URL name) for every pattern of the URLconf but the admin's."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name


def _public_names() -> tuple[list[str], set[str]]:
    """The public pages without an argument (to start from), and those with one (to reach)."""
    plain, with_args = [], set()
    for route, name in _routes():
        if route.startswith("staff/") or name in PUBLIC_EXCUSED or name.startswith(PUBLIC_PREFIXES_EXCUSED):
            continue
        if "<" in route:
            with_args.add(name)
        elif name not in plain:
            plain.append(name)
    return plain, with_args


def _staff_plain_names() -> set[str]:
    return {name for route, name in _routes() if route.startswith("staff/") and "<" not in route}


# --- Running axe ------------------------------------------------------------------


def axe_problems(page, label: str) -> list[str]:
    """The serious and critical violations axe-core finds on the page, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    return [
        f"{label} {page.url} [{v['impact']}] {v['id']}: {v['target']} — {v['summary'] or v['help']}"
        for v in page.evaluate(RUN_AXE)
    ]


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    # Charts and the like are drawn after load; let them settle before axe reads the page.
    page.wait_for_load_state("load")


def _links(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))")


def _name_of(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


def _tracked_complaint() -> tuple[str, str]:
    """A demo complaint with a reply, given an access code we know."""
    from complaints import codes
    from complaints.models import Complaint

    complaint = Complaint.objects.exclude(replied_at=None).order_by("pk").first() or Complaint.objects.first()
    assert complaint is not None, "the demo has no complaint"
    code = "ABCDE-23456"
    complaint.access_code_hash = codes.hash_code(code)
    complaint.save(update_fields=["access_code_hash"])
    return complaint.tracking_number, code


# --- The tests --------------------------------------------------------------------


def test_every_page_is_checked_or_excused():
    """Every staff page without an argument is a list checked as some persona or excused."""
    checked = {name for names in STAFF_LISTS.values() for name in names}
    plain = _staff_plain_names()
    missing = plain - checked - set(STAFF_EXCUSED)
    assert not missing, f"staff pages neither checked by axe nor excused: {sorted(missing)}"
    stale = (checked | set(STAFF_EXCUSED)) - plain
    assert not stale, f"names that are not staff pages without an argument: {sorted(stale)}"
    routes = {name for _route, name in _routes()}
    assert not set(PUBLIC_EXCUSED) - routes, sorted(set(PUBLIC_EXCUSED) - routes)


@pytest.mark.browser
@pytest.mark.parametrize("view", list(VIEWS))
def test_public_pages_have_no_serious_accessibility_problem(new_page, demo, screenshot, browser_log, view):
    viewport, locale = VIEWS[view]
    plain, with_args = _public_names()
    number, code = _tracked_complaint()
    page = new_page(viewport=viewport, locale=locale)
    problems: list[str] = []
    reached: dict[str, str] = {}

    for name in plain:
        _visit(page, reverse(name))
        problems += axe_problems(page, view)
        if name in SCREENSHOTS:
            screenshot(page, f"{view}-{name}")
        for href in _links(page):
            linked = _name_of(href)
            if linked in with_args and linked not in reached:
                reached[linked] = urlsplit(href).path
    for name, path in sorted(reached.items()):
        if name == "complaints:track-detail":
            continue  # unlocked below, with the access code
        _visit(page, path)
        problems += axe_problems(page, view)

    # A followed complaint: the tracking form, then the complaint's own page.
    _visit(page, f"/complaints/track/?number={number}")
    page.locator("#id_access_code").fill(code)
    with page.expect_navigation():
        page.locator("main form").first.locator("[type=submit]").click()
    assert re.search(rf"/complaints/track/{re.escape(number)}/$", page.url), page.url
    problems += axe_problems(page, view)
    reached["complaints:track-detail"] = page.url

    unreached = with_args - set(reached)
    assert not unreached, f"no visited page links to {sorted(unreached)}: check them or excuse them"
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)
    browser_log.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("role", list(STAFF_LISTS))
def test_staff_list_pages_have_no_serious_accessibility_problem(new_page, login, demo, screenshot, browser_log, role):
    problems: list[str] = []
    for view, (viewport, locale) in VIEWS.items():
        page = new_page(viewport=viewport, locale=locale)
        login(page, demo[role], PASSWORDS[role])
        for name in STAFF_LISTS[role]:
            _visit(page, reverse(name))
            problems += axe_problems(page, f"{role} {view}")
            if name in SCREENSHOTS:
                screenshot(page, f"{view}-{name}")
        page.context.close()
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)
    browser_log.assert_clean()
