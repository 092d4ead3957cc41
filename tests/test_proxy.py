"""Client addresses through a real proxy: Debian's nginx, configured with the
lines docs/operations.md gives, in front of gunicorn with the production
settings, and clients that connect from addresses of their own on loopback
(127.0.0.2, 127.0.0.3 ...), one of them forging X-Forwarded-For.

Every limiter and the stored IP must see each client's own address: honest
clients get a budget each, a forged header changes nothing, and wrong
passwords from a stranger lock only the stranger out.
"""

import sqlite3

import pytest

from . import live

pytestmark = pytest.mark.services

STAFF, PASSWORD = "centre-probe", "Correct-Horse-Battery-9"
WRONG_CODE = {"tracking_number": "TS-2026-999999", "access_code": "WRONGCODE1"}
# The documented line, and the one for a proxy behind another proxy of ours: both safe.
APPENDING = "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("proxy")
    env = live.production_env(tmp_path, TRUSTED_PROXIES="127.0.0.1")
    live.manage(env, "migrate", "--no-input")
    live.manage(env, "collectstatic", "--no-input")
    live.manage(
        env,
        "shell",
        "-c",
        f"from campaigns.models import User; User.objects.create_user({STAFF!r}, password={PASSWORD!r}, is_staff=True)",
    )
    documented = live.documented_nginx_lines()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in documented
    appending = [APPENDING if "X-Forwarded-For" in line else line for line in documented]

    upstream = live.free_port()
    processes = [live.start_gunicorn(env, upstream, tmp_path / "gunicorn.log")]
    ports = {}
    try:
        for name, lines in (("documented", documented), ("appending", appending)):
            ports[name] = live.free_port()
            processes.append(live.start_nginx(tmp_path / f"nginx-{name}", ports[name], upstream, lines))
        yield {"ports": ports, "upstream": upstream, "db": tmp_path / "db.sqlite3", "log": tmp_path / "gunicorn.log"}
    finally:
        for process in reversed(processes):
            live.stop(process)


def visitor(portal, address, variant="documented", forged=None):
    headers = {"X-Forwarded-For": forged} if forged else {}
    return live.Browser(address, portal["ports"][variant], headers=headers)


def wrong_lookups(browser, n):
    return [browser.post_form("/complaints/track/", WRONG_CODE)[0] for _ in range(n)]


@pytest.mark.parametrize("variant,honest,other,forger", [("documented", 2, 3, 4), ("appending", 12, 13, 14)])
def test_each_client_behind_nginx_has_its_own_tracking_budget_and_a_forged_header_changes_nothing(
    portal, variant, honest, other, forger
):
    first = visitor(portal, f"127.0.0.{honest}", variant)
    second = visitor(portal, f"127.0.0.{other}", variant)

    assert wrong_lookups(first, 11) == [400] * 10 + [429]
    # Another address is not held back by the first one's guesses.
    assert wrong_lookups(second, 1) == [400]

    # A forger names a fresh address on every try: still one budget, its own.
    forger_statuses = []
    for n in range(11):
        forging = visitor(portal, f"127.0.0.{forger}", variant, forged=f"10.0.{n}.1")
        forger_statuses += wrong_lookups(forging, 1)
    assert forger_statuses == [400] * 10 + [429]
    # Claiming to be the second client neither spends its budget nor escapes its own limit.
    assert wrong_lookups(visitor(portal, f"127.0.0.{forger}", variant, forged=f"127.0.0.{other}"), 1) == [429]
    assert wrong_lookups(second, 1) == [400]


def test_complaints_are_limited_per_client_and_the_stored_ip_is_the_clients_own(portal):
    forger = visitor(portal, "127.0.0.21", forged="198.51.100.1")
    neighbour = visitor(portal, "127.0.0.22")
    with sqlite3.connect(portal["db"]) as db:
        (problem_type,) = db.execute("SELECT id FROM complaints_problemtype WHERE is_active ORDER BY id").fetchone()

    def complaint(n):
        return {
            "office": "",
            "problem_type": problem_type,
            "description": f"窗口工作人员推诿扯皮，第{n}次去仍未办理。",
            "is_anonymous": "anonymous",
            "email": "",
            "website": "",
        }

    statuses = [forger.post_form("/complaints/new/", complaint(n))[0] for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert neighbour.post_form("/complaints/new/", complaint(99))[0] == 302

    with sqlite3.connect(portal["db"]) as db:
        stored = [ip for (ip,) in db.execute("SELECT ip_address FROM complaints_complainantidentity ORDER BY id")]
    assert stored == ["127.0.0.21"] * 5 + ["127.0.0.22"]


def test_a_strangers_wrong_passwords_lock_only_the_stranger_not_the_staff_member(portal):
    stranger = visitor(portal, "127.0.0.31", forged="127.0.0.32")
    owner = visitor(portal, "127.0.0.32")
    wrong = {"username": STAFF, "password": "not-the-password"}

    assert [stranger.post_form("/accounts/login/", wrong)[0] for _ in range(5)] == [200] * 4 + [429]
    # The stranger stays locked out even with the right password...
    assert stranger.post_form("/accounts/login/", {"username": STAFF, "password": PASSWORD})[0] == 429
    # ...and the owner, at another address, logs in.
    status, headers, _ = owner.post_form("/accounts/login/", {"username": STAFF, "password": PASSWORD})
    assert status == 302 and headers["location"] == "/staff/"

    with sqlite3.connect(portal["db"]) as db:
        attempts = db.execute("SELECT ip_address, failures_since_start FROM axes_accessattempt").fetchall()
    assert attempts == [("127.0.0.31", 6)]


def test_a_client_that_reaches_gunicorn_directly_cannot_name_its_address(portal):
    direct = live.Browser("127.0.0.41", portal["upstream"], headers={"X-Forwarded-For": "127.0.0.1, 198.51.100.9"})

    assert direct.post_form("/accounts/login/", {"username": "nobody", "password": "x"})[0] == 200

    with sqlite3.connect(portal["db"]) as db:
        (ip,) = db.execute("SELECT ip_address FROM axes_accessattempt WHERE username = 'nobody'").fetchone()
    assert ip == "127.0.0.41"
    assert "Traceback" not in portal["log"].read_text(errors="replace")
