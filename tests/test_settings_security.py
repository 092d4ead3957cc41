"""Security settings: production startup, headers, cookies, CSP-clean templates,
login throttling and passwords.

Settings are read from the environment when ``campaign_portal.settings`` is
imported, so whatever depends on the production values (DEBUG off, no test
overrides) runs in a subprocess with an explicit, minimal environment.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from campaigns.tests.factories import PASSWORD

REPO_ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_HOST = "portal.example.gov.cn"


# --- Running the production settings in a subprocess ----------------------------


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """A controlled environment: production settings module, DEBUG off, nothing inherited.

    pytest-django has set DJANGO_SETTINGS_MODULE to the test settings in this
    process, and CI exports DATABASE_URL and friends; none of it leaks through.
    The variables under test are set explicitly (an empty value counts as unset
    for SECRET_KEY and wins over a developer's .env, which never overrides).
    """
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": PRODUCTION_HOST,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
            "VAR_DIR": str(tmp_path / "var"),
            "BEHIND_TLS_PROXY": "0",
            # A one-process probe: its own memory is enough of a cache, and mail stays in it.
            "CACHE_URL": "locmemcache://",
            "ALLOW_LOCAL_CACHE": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    env.update(overrides)
    return env


# What a deployment sets (docker-compose.yml): nothing is contacted by the checks below.
DEPLOYED = {
    "CACHE_URL": "redis://redis.invalid:6379/1",
    "ALLOW_LOCAL_CACHE": "",
    "EMAIL_BACKEND": "",
    "EMAIL_URL": "smtp+tls://portal%40example.gov.cn:secret@mail.example.gov.cn:587",
}


def run(args: list[str], env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def last_json_line(completed: subprocess.CompletedProcess) -> dict:
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


PRODUCTION_PROBE = r"""
import json
import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, make_password
from django.test import Client

HOST = "portal.example.gov.cn"
User = get_user_model()
if not User.objects.filter(username="probe").exists():
    User.objects.create_user("probe", password="correct-horse-battery")

login = Client(HTTP_HOST=HOST).post(
    "/accounts/login/", {"username": "probe", "password": "correct-horse-battery"}, secure=True
)


def flags(name):
    morsel = login.cookies.get(name)
    if morsel is None:
        return None
    return {"httponly": bool(morsel["httponly"]), "secure": bool(morsel["secure"]), "samesite": morsel["samesite"]}


plain_http = Client(HTTP_HOST=HOST).get("/healthz")
forwarded = Client(HTTP_HOST=HOST).get("/healthz", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "login_status": login.status_code,
    "session_cookie": flags(settings.SESSION_COOKIE_NAME),
    "csrf_cookie": flags(settings.CSRF_COOKIE_NAME),
    "hsts": login.headers.get("Strict-Transport-Security"),
    "plain_http_status": plain_http.status_code,
    "plain_http_location": plain_http.headers.get("Location"),
    "forwarded_https_status": forwarded.status_code,
    "hashers": settings.PASSWORD_HASHERS,
    "default_hasher": get_hasher().algorithm,
    "hashed": make_password("x" * 12).split("$")[0],
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Migrate a throwaway SQLite database under production settings, then probe them."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    migrated = run(["manage.py", "migrate", "--no-input"], env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    return {
        "direct": last_json_line(run(["-c", PRODUCTION_PROBE], env)),
        "behind_proxy": last_json_line(run(["-c", PRODUCTION_PROBE], {**env, "BEHIND_TLS_PROXY": "1"})),
    }


# --- Startup ---------------------------------------------------------------------


def test_the_deploy_check_passes_with_debug_off_and_production_values(tmp_path):
    env = production_env(tmp_path, **DEPLOYED, BEHIND_TLS_PROXY="1", TRUSTED_PROXIES="127.0.0.1,172.31.250.1")
    completed = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no issues" in completed.stdout


def test_the_portal_refuses_to_start_with_debug_off_and_no_secret_key(tmp_path):
    completed = run(["manage.py", "check"], production_env(tmp_path, DEBUG="0", SECRET_KEY=""))

    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    assert "SECRET_KEY" in completed.stderr


def test_with_debug_on_and_no_secret_key_it_starts_with_a_generated_key_kept_in_var(tmp_path):
    env = production_env(tmp_path, DEBUG="1", SECRET_KEY="")
    show_key = ["-c", "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"]

    assert run(["manage.py", "check"], env).returncode == 0
    first = run(show_key, env)
    second = run(show_key, env)

    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50
    assert (tmp_path / "var" / "dev-secret-key").read_text().strip() == key
    assert second.stdout.strip() == key  # sessions survive a restart of `make run`


def _without(env: dict[str, str], *names: str) -> dict[str, str]:
    return {key: value for key, value in env.items() if key not in names}


SHOW_DEBUG = ["manage.py", "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"]


def test_a_bare_checkout_runs_manage_py_as_local_development(tmp_path):
    """Nothing configured at all (no DEBUG, no SECRET_KEY, no .env): a developer
    typing manage.py gets what `make run` sets, instead of a refusal."""
    if (REPO_ROOT / ".env").exists():
        pytest.skip("this checkout has a .env, which decides DEBUG and SECRET_KEY itself")
    env = _without(production_env(tmp_path), "DEBUG", "SECRET_KEY")

    checked = run(["manage.py", "check"], env)
    shown = run(SHOW_DEBUG, env)

    assert checked.returncode == 0, checked.stderr
    assert shown.stdout.strip().splitlines()[-1] == "True", shown.stderr


def test_with_a_secret_key_and_no_debug_manage_py_stays_in_production_mode(tmp_path):
    shown = run(SHOW_DEBUG, _without(production_env(tmp_path), "DEBUG"))

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "False"


def test_the_web_server_refuses_to_start_without_a_secret_key_even_with_nothing_configured(tmp_path):
    env = _without(production_env(tmp_path), "DEBUG", "SECRET_KEY")

    completed = run(["-c", "import campaign_portal.wsgi"], env)

    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr and "SECRET_KEY" in completed.stderr


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"CACHE_URL": "locmemcache://", "ALLOW_LOCAL_CACHE": ""}, "CACHE_URL"),
        ({"CACHE_URL": "", "ALLOW_LOCAL_CACHE": ""}, "CACHE_URL"),  # unset: the per-process default
        ({"EMAIL_URL": "", "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "EMAIL_URL"),
        ({"EMAIL_URL": "", "EMAIL_BACKEND": ""}, "EMAIL_URL"),  # unset: the console default
        ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL"),
        ({"TRUSTED_PROXIES": "nginx"}, "TRUSTED_PROXIES"),
        ({"AXES_IPWARE_PROXY_COUNT": "1"}, "TRUSTED_PROXIES"),
    ],
)
def test_the_portal_refuses_to_start_in_production_with_a_per_process_cache_or_mail_to_the_log(tmp_path, changes, says):
    env = {key: value for key, value in {**production_env(tmp_path, **DEPLOYED), **changes}.items() if value}

    completed = run(["-c", "import campaign_portal.wsgi"], env)

    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr and says in completed.stderr


def test_a_trial_may_allow_the_per_process_cache_and_mail_to_the_log_explicitly(tmp_path):
    env = production_env(tmp_path, ALLOW_LOCAL_CACHE="1", ALLOW_CONSOLE_EMAIL="1")
    del env["EMAIL_BACKEND"]

    assert run(["-c", "import campaign_portal.wsgi"], env).returncode == 0


SHOW_REPORTING = [
    "-c",
    "import json, django; django.setup(); import sentry_sdk; from django.conf import settings; "
    "client = sentry_sdk.get_client(); options = client.options if client.is_active() else {}; "
    "print(json.dumps({'active': client.is_active(), 'integrations': sorted(client.integrations), "
    "'pii': options.get('send_default_pii'), 'bodies': options.get('max_request_body_size'), "
    "'environment': options.get('environment'), 'admins': settings.ADMINS}))",
]


def test_errors_go_to_sentry_with_the_django_and_celery_integrations_and_no_personal_data(tmp_path):
    env = production_env(
        tmp_path,
        SENTRY_DSN="http://public@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
        ADMINS="运维 值班 <ops@example.gov.cn>,second@example.gov.cn",
    )

    shown = last_json_line(run(SHOW_REPORTING, env))

    assert shown["active"] is True
    assert {"django", "celery"} <= set(shown["integrations"])
    assert shown["pii"] is False and shown["bodies"] == "never"
    assert shown["environment"] == "staging"
    assert shown["admins"] == [["运维 值班", "ops@example.gov.cn"], ["", "second@example.gov.cn"]]


def test_without_a_dsn_nothing_is_sent_anywhere(tmp_path):
    shown = last_json_line(run(SHOW_REPORTING, production_env(tmp_path)))

    assert shown["active"] is False and shown["admins"] == []


JSON_LOG_PROBE = r"""
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="portal.example.gov.cn", REMOTE_ADDR="127.0.0.1")
response = client.post("/complaints/new/receipt/", secure=True, HTTP_X_REQUEST_ID="nginx-req-0123456789abcdef")
print("REQUEST-ID", response["X-Request-ID"])
forged = client.post("/complaints/new/receipt/", secure=True, HTTP_X_REQUEST_ID="nginx-req-0123456789abcdef",
                     REMOTE_ADDR="198.51.100.7")
print("FORGED", forged["X-Request-ID"])
"""


def test_json_logs_carry_the_request_id_that_the_response_names(tmp_path):
    env = production_env(tmp_path, LOG_FORMAT="json", TRUSTED_PROXIES="127.0.0.1")
    migrated = run(["manage.py", "migrate", "--no-input"], env)
    assert migrated.returncode == 0, migrated.stderr

    completed = run(["-c", JSON_LOG_PROBE], env)

    assert completed.returncode == 0, completed.stderr
    assert "REQUEST-ID nginx-req-0123456789abcdef" in completed.stdout
    forged = re.search(r"FORGED (\S+)", completed.stdout).group(1)
    assert forged != "nginx-req-0123456789abcdef"  # only our proxy names the id
    records = [json.loads(line) for line in completed.stderr.splitlines() if line.startswith("{")]
    refused = [r for r in records if r["logger"] == "django.request"]
    assert [(r["request_id"], r["status"], r["level"]) for r in refused] == [
        ("nginx-req-0123456789abcdef", 405, "WARNING"),
        (forged, 405, "WARNING"),
    ]
    assert "/complaints/new/receipt/" in refused[0]["message"]


# --- Response headers ------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0]] = tokens[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "login"])
def test_pages_send_a_strict_content_security_policy(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])

    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in directives.get(directive, [])
        assert "'unsafe-eval'" not in directives.get(directive, [])


@pytest.mark.django_db
def test_pages_forbid_framing_sniffing_and_cross_site_referrers(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "login"])
def test_rendered_pages_carry_no_inline_script_or_style(client, url_name):
    html = client.get(reverse(url_name)).content.decode()

    assert inline_scripts(html) == []
    assert style_attributes(html) == []


# --- Cookies ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_login_sets_http_only_session_and_csrf_cookies(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"]


def test_in_production_a_login_sets_secure_http_only_same_site_cookies(production):
    probe = production["direct"]

    assert probe["login_status"] == 302
    expected = {"httponly": True, "secure": True, "samesite": "Lax"}
    assert probe["session_cookie"] == expected
    assert probe["csrf_cookie"] == expected


def test_in_production_https_responses_carry_hsts(production):
    assert production["direct"]["hsts"] == "max-age=31536000; includeSubDomains; preload"


def test_in_production_plain_http_is_redirected_to_https(production):
    probe = production["direct"]

    assert probe["plain_http_status"] == 301
    assert probe["plain_http_location"] == f"https://{PRODUCTION_HOST}/healthz"


def test_x_forwarded_proto_is_ignored_unless_behind_tls_proxy_is_set(production):
    # Otherwise anyone could claim https and skip the redirect.
    assert production["direct"]["forwarded_https_status"] == 301
    assert production["behind_proxy"]["forwarded_https_status"] == 200


# --- Templates under the CSP -------------------------------------------------------

SCRIPT_ELEMENT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
DATA_BLOCK = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)


def inline_scripts(html: str) -> list[str]:
    """<script> elements that would execute inline code (blocked by script-src 'self')."""
    found = []
    for attributes, body in SCRIPT_ELEMENT.findall(html):
        if DATA_BLOCK.search(attributes):
            continue  # json_script data, never executed
        if not re.search(r"\ssrc\s*=", " " + attributes, re.IGNORECASE) or body.strip():
            found.append(f"<script{attributes}>{body.strip()[:60]}")
    return found


def style_attributes(html: str) -> list[str]:
    return [tag[:80] for tag in TAG.findall(html) if STYLE_ATTRIBUTE.search(tag)]


def project_templates() -> list[Path]:
    roots = [REPO_ROOT / "templates", *REPO_ROOT.glob("*/templates")]
    return sorted({path for root in roots for path in root.rglob("*.html") if ".venv" not in path.parts})


def test_there_are_templates_to_scan():
    assert (REPO_ROOT / "templates" / "base.html") in project_templates()


@pytest.mark.parametrize("template", project_templates(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_templates_have_no_inline_script_style_or_event_handler(template):
    html = template.read_text(encoding="utf-8")

    assert inline_scripts(html) == [], "CSP script-src 'self' blocks inline scripts; move the code to static/js/"
    assert style_attributes(html) == [], "CSP style-src 'self' blocks style= attributes; use a class in static/css/"
    assert not re.search(r"<style\b", html, re.IGNORECASE), "CSP blocks <style> elements; use static/css/"
    handlers = [tag[:80] for tag in TAG.findall(html) if EVENT_HANDLER.search(tag)]
    assert handlers == [], "CSP blocks onclick= and friends; bind events in static/js/"
    assert "javascript:" not in html.lower()


def test_the_template_scanner_catches_what_it_is_meant_to():
    assert inline_scripts("<script>alert(1)</script>")
    assert inline_scripts('<script src="/static/x.js">alert(1)</script>')
    assert not inline_scripts("<script src=\"{% static 'js/portal.js' %}\" defer></script>")
    assert not inline_scripts('<script id="d" type="application/json">{"a": 1}</script>')
    assert style_attributes('<div class="x" style="color: red">')
    assert not style_attributes('<div class="x" data-style="y">')


# --- django-axes: login throttling --------------------------------------------------

LOGIN_PAGES = [
    # (login URL, persona fixture, where a successful login goes)
    ("/accounts/login/", "staff_a", "/staff/"),
    ("/admin/login/", "admin_user", "/admin/"),
]


def attempt(client, url, username, password, ip="10.1.2.3"):
    data = {"username": username, "password": password}
    if url.startswith("/admin/"):
        data["next"] = "/admin/"
    return client.post(url, data, REMOTE_ADDR=ip)


def age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


@pytest.mark.django_db
@pytest.mark.parametrize("url,persona,landing", LOGIN_PAGES)
def test_five_wrong_passwords_lock_the_username_on_that_ip_even_for_the_right_password(
    client, request, url, persona, landing
):
    user = request.getfixturevalue(persona)
    assert settings.AXES_FAILURE_LIMIT == 5

    for _ in range(4):
        assert attempt(client, url, user.username, "wrong-password-123").status_code == 200
    assert attempt(client, url, user.username, "wrong-password-123").status_code == 429

    locked = attempt(client, url, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "registration/locked_out.html" in [t.name for t in locked.templates]


@pytest.mark.django_db
@pytest.mark.parametrize("url,persona,landing", LOGIN_PAGES)
def test_the_right_password_works_again_after_the_fifteen_minute_cool_off(client, request, url, persona, landing):
    user = request.getfixturevalue(persona)
    for _ in range(5):
        attempt(client, url, user.username, "wrong-password-123")
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME

    age_attempts(16)
    response = attempt(client, url, user.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"].startswith(landing)
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_an_attempt_during_the_lockout_restarts_the_cool_off(client, staff_a):
    # django-axes' default (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT):
    # someone who keeps trying stays locked out.
    for _ in range(5):
        attempt(client, "/accounts/login/", "staff_a", "wrong-password-123")

    age_attempts(14)
    assert attempt(client, "/accounts/login/", "staff_a", PASSWORD).status_code == 429
    age_attempts(2)  # 16 minutes after the fifth failure, 2 after the last try
    assert attempt(client, "/accounts/login/", "staff_a", PASSWORD).status_code == 429
    age_attempts(16)
    assert attempt(client, "/accounts/login/", "staff_a", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_axes_reset_username_unlocks_at_once(client, staff_a):
    from django.core.management import call_command

    for _ in range(5):
        attempt(client, "/accounts/login/", "staff_a", "wrong-password-123")
    call_command("axes_reset_username", "staff_a")

    assert attempt(client, "/accounts/login/", "staff_a", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lock_holds_one_username_on_one_ip_only(client, staff_a, staff_b):
    for _ in range(5):
        attempt(client, "/accounts/login/", "staff_a", "wrong-password-123", ip="10.1.2.3")

    other_user_same_ip = attempt(client, "/accounts/login/", "staff_b", PASSWORD, ip="10.1.2.3")
    assert other_user_same_ip.status_code == 302
    client.logout()
    same_user_other_ip = attempt(client, "/accounts/login/", "staff_a", PASSWORD, ip="10.9.9.9")
    assert same_user_other_ip.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, staff_a):
    for _ in range(4):
        attempt(client, "/accounts/login/", "staff_a", "wrong-password-123")
    assert attempt(client, "/accounts/login/", "staff_a", PASSWORD).status_code == 302
    client.logout()

    # Four more failures would have locked the account had the first four counted.
    for _ in range(4):
        assert attempt(client, "/accounts/login/", "staff_a", "wrong-password-123").status_code == 200
    assert attempt(client, "/accounts/login/", "staff_a", PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url,persona,landing", LOGIN_PAGES)
def test_a_username_too_long_to_be_anyones_is_refused_as_a_wrong_login(client, request, url, persona, landing):
    """django-axes keeps at most 255 characters of a username (a 500 on PostgreSQL
    before); no account has more than 150, so it is simply a wrong login."""
    request.getfixturevalue(persona)
    for length in (151, 256, 5000):
        response = attempt(client, url, "u" * length, "wrong-password-123")

        assert response.status_code == 200
        form = response.context["form"]
        assert form.non_field_errors() == list(form.get_invalid_login_error())
    assert not AccessAttempt.objects.exists()


# --- Passwords ---------------------------------------------------------------------


def test_a_nine_character_password_is_too_short():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("Zq7#pLm2x")

    assert "password_too_short" in [error.code for error in excinfo.value.error_list]


def test_a_ten_character_password_is_long_enough():
    validate_password("Zq7#pLm2xK")  # raises if any validator objects


def test_common_and_all_numeric_passwords_are_rejected():
    with pytest.raises(ValidationError):
        validate_password("password1234")
    with pytest.raises(ValidationError):
        validate_password("8302948571")


def test_production_hashes_passwords_with_argon2_first(production):
    probe = production["direct"]

    assert probe["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in probe["hashers"]
    assert probe["default_hasher"] == "argon2"
    assert probe["hashed"] == "argon2"  # argon2-cffi is installed, so hashing works
