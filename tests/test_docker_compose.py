"""docker-compose.yml and the Dockerfile run: their commands, healthchecks and
environment are taken from the files and run here against real local processes
(no Docker engine is needed): the migrate job then web's gunicorn with its
healthcheck, beat with its healthcheck (the worker's is in
test_celery_worker.py), the image's collectstatic, the settings under compose's
environment; every module, manage.py command and file they name exists, and
every variable is one the portal reads and the operations guide documents.
"""

import importlib
import ipaddress
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.beat import Scheduler
from celery.utils.imports import symbol_by_name
from django.core.management import get_commands

from . import live

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
SETTINGS_SOURCE = (REPO_ROOT / "campaign_portal" / "settings.py").read_text()
SERVICES = ("postgres", "redis", "web", "worker", "beat")
VENV_BIN = str(Path(sys.executable).parent)


def interpolate(value: str, given: dict[str, str] | None = None) -> str:
    """Compose's variable interpolation: a value from ``given`` (as in .env), else
    the default, else a stand-in for a required value."""
    given = given or {}

    def substitute(match: re.Match) -> str:
        expression = match.group(1)
        name = re.match(r"[A-Za-z_][A-Za-z0-9_]*", expression).group(0)
        if name in given:
            return given[name]
        if ":-" in expression:
            return expression.split(":-", 1)[1]
        if ":?" in expression:
            return "required-value"
        return "value"

    value = re.sub(r"(?<!\$)\$\{([^}]*)\}", substitute, value)
    return value.replace("$$", "$")


def command_text(command) -> str:
    if command is None:
        return ""
    if isinstance(command, list):
        return " ".join(str(part) for part in command)
    return str(command)


def healthcheck_text(service: dict) -> str:
    test = service["healthcheck"]["test"]
    if isinstance(test, str):
        return test
    return command_text(test[1:])  # drop CMD / CMD-SHELL


def celery_subcommand(tokens: list[str]) -> str | None:
    """The celery subcommand (worker, beat, inspect...) in a tokenised command line."""
    if "celery" not in tokens:
        return None
    rest = tokens[tokens.index("celery") + 1 :]
    skip_value = False
    for token in rest:
        if skip_value:
            skip_value = False
        elif token in ("--app", "-A", "--broker", "-b", "--workdir", "--config"):
            skip_value = True
        elif not token.startswith("-"):
            return token
    return None


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def portal_services(services):
    """The services running the portal's own image."""
    return {name: service for name, service in services.items() if "build" in service}


def all_command_lines(services) -> list[str]:
    lines = []
    for service in services.values():
        lines.append(interpolate(command_text(service.get("command"))))
        if "healthcheck" in service:
            lines.append(interpolate(healthcheck_text(service)))
    return [line for line in lines if line]


def dockerfile_lines() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (REPO_ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# --- Services ----------------------------------------------------------------------


def test_web_worker_and_beat_wait_for_the_one_shot_migrate_job_and_web_runs_no_migrations(services):
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["restart"] == "no"
    assert "migrate" in command_text(services["migrate"]["command"])
    # Several web replicas may start at once: none of them touches the schema.
    assert "manage.py" not in command_text(services["web"]["command"])


# --- Celery processes --------------------------------------------------------------


def test_exactly_one_service_runs_celery_beat(services):
    schedulers = []
    for name, service in services.items():
        tokens = shlex.split(interpolate(command_text(service.get("command"))))
        subcommand = celery_subcommand(tokens)
        if subcommand == "beat" or (subcommand == "worker" and ({"-B", "--beat"} & set(tokens))):
            schedulers.append(name)
    assert schedulers == ["beat"]


def test_the_worker_does_not_embed_beat(services):
    tokens = shlex.split(interpolate(command_text(services["worker"]["command"])))
    assert celery_subcommand(tokens) == "worker"
    assert not {"-B", "--beat"} & set(tokens)
    assert not any(token.startswith("--beat=") for token in tokens)


# --- Everything the commands name exists ---------------------------------------------


def test_the_gunicorn_application_is_importable(services):
    targets = re.findall(r"gunicorn\s+(\S+:\S+)", command_text(services["web"]["command"]))
    targets += re.findall(r'"gunicorn",\s*"([^"]+)"', (REPO_ROOT / "Dockerfile").read_text())
    assert targets == ["campaign_portal.wsgi:application", "campaign_portal.wsgi:application"]
    for target in targets:
        module, attribute = target.split(":")
        assert callable(getattr(importlib.import_module(module), attribute))


def test_every_celery_app_named_is_the_projects_celery_app(services):
    apps = set()
    for line in all_command_lines(services):
        apps.update(re.findall(r"(?:--app|-A)[ =](\S+)", line))
    assert apps == {"campaign_portal"}
    app = find_app("campaign_portal")
    assert isinstance(app, Celery)
    assert app.main == "campaign_portal"


def test_every_scheduler_named_is_a_celery_beat_scheduler(services):
    schedulers = set()
    for line in all_command_lines(services):
        schedulers.update(re.findall(r"--scheduler[ =](\S+)", line))
    assert schedulers == {"django_celery_beat.schedulers:DatabaseScheduler"}
    for path in schedulers:
        assert issubclass(symbol_by_name(path), Scheduler)


def test_every_manage_py_command_used_exists(services):
    used = set()
    for line in all_command_lines(services) + dockerfile_lines():
        used.update(re.findall(r"manage\.py\s+([a-z_]+)", line))
    assert {"migrate", "collectstatic"} <= used
    assert used <= set(get_commands()), used - set(get_commands())


# --- Dockerfile ----------------------------------------------------------------------


def test_every_file_the_dockerfile_copies_or_runs_exists():
    referenced = []
    for line in dockerfile_lines():
        if line.startswith(("COPY ", "ADD ")):
            referenced += [source for source in line.split()[1:-1] if not source.startswith("--")]
        referenced += re.findall(r"python\s+([\w/.-]+\.py)", line)
    assert "scripts/compile_messages.py" in referenced
    assert "manage.py" in referenced
    for path in referenced:
        assert (REPO_ROOT / path).exists(), path


def test_the_images_collectstatic_line_runs_as_written(tmp_path):
    """The Dockerfile's own RUN line, run here (as test_static.py, but the image's words)."""
    run = " ".join(line for line in dockerfile_lines() if line.startswith("RUN "))
    assert "python scripts/compile_messages.py" in run and "gettext" not in run  # Babel compiles the catalogues
    command = re.search(r"SECRET_KEY=build-only [^&]*collectstatic --noinput", run).group(0)
    env = live.production_env(tmp_path, STATIC_ROOT=str(tmp_path / "static"))
    for name in ("SECRET_KEY", "DEBUG", "CACHE_URL", "ALLOW_LOCAL_CACHE", "EMAIL_BACKEND"):
        del env[name]  # the build has none of it

    built = subprocess.run(["sh", "-c", command], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)

    assert built.returncode == 0, built.stderr[-3000:]
    assert (tmp_path / "static" / "staticfiles.json").is_file()


def test_the_build_only_secret_key_does_not_stay_in_the_image():
    assert not any(line.startswith("ENV") and "SECRET_KEY" in line for line in dockerfile_lines())
    assert not any(line.startswith("ARG") and "SECRET_KEY" in line for line in dockerfile_lines())


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (REPO_ROOT / ".dockerignore").read_text().split()
    for entry in (".env", "var/", ".venv/", ".git/"):
        assert entry in ignored


# --- Environment ---------------------------------------------------------------------


def read_by_settings(name: str) -> bool:
    return re.search(r"(?:\benv|Env\(\))(?:\.\w+)?\(\s*[\"']" + re.escape(name) + r"[\"']", SETTINGS_SOURCE) is not None


def test_the_settings_reader_recognises_names_settings_reads():
    assert read_by_settings("DATABASE_URL")  # env.db("DATABASE_URL", ...)
    assert read_by_settings("VAR_DIR")  # environ.Env().str("VAR_DIR", ...)
    assert not read_by_settings("NOT_A_SETTING")


def test_every_variable_given_to_the_portal_is_one_settings_reads(portal_services):
    for name, service in portal_services.items():
        for variable in service["environment"]:
            assert read_by_settings(variable), f"{name}: settings.py does not read {variable}"


COMPOSE_SETTINGS_PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "database": [settings.DATABASES["default"][k] for k in ("ENGINE", "HOST", "PORT", "NAME", "USER")],
    "cache": [settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]["LOCATION"]],
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
    "proxies": settings.TRUSTED_PROXIES,
    "https": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def test_the_portal_starts_with_composes_environment_and_uses_its_postgres_and_redis(services, portal_services):
    """The environment every portal container gets, with .env's required values
    filled in: the production settings accept it (a shared cache, real mail, DEBUG off)."""
    given = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "POSTGRES_PASSWORD": "s3cret",
        "EMAIL_URL": "smtp+tls://portal%40example.gov.cn:password@mail.example.gov.cn:587",
    }
    environments = [
        {key: interpolate(str(value), given) for key, value in service["environment"].items()}
        for service in portal_services.values()
    ]
    assert all(environment == environments[0] for environment in environments)
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "campaign_portal.settings", **environments[0]}
    env["VAR_DIR"] = tempfile.mkdtemp(prefix="compose-settings-")

    completed = subprocess.run(
        [sys.executable, "-c", COMPOSE_SETTINGS_PROBE],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    shown = json.loads(completed.stdout.strip().splitlines()[-1])
    postgres = {key: interpolate(str(value), given) for key, value in services["postgres"]["environment"].items()}
    assert shown["debug"] is False
    assert shown["database"] == [
        "django.db.backends.postgresql",
        "postgres",
        5432,
        postgres["POSTGRES_DB"],
        postgres["POSTGRES_USER"],
    ]
    assert shown["cache"] == ["kernel.cache.FallbackRedisCache", "redis://redis:6379/1"]
    assert shown["broker"] == "redis://redis:6379/0"  # a Redis database of its own
    assert shown["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert shown["proxies"] == ["127.0.0.1", "172.31.250.1"]
    assert shown["https"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_trusted_proxy_is_the_gateway_of_the_compose_network(compose, portal_services):
    (network,) = compose["networks"]["default"]["ipam"]["config"]
    trusted = interpolate(portal_services["web"]["environment"]["TRUSTED_PROXIES"]).split(",")

    assert network["gateway"] in trusted
    assert ipaddress.ip_address(network["gateway"]) in ipaddress.ip_network(network["subnet"])


# --- The services' commands and healthchecks against real processes ------------------------


def compose_like_env(tmp_path: Path, portal_services) -> dict[str, str]:
    """Production settings on a throwaway SQLite, with compose's proxy settings."""
    compose_env = portal_services["web"]["environment"]
    return live.production_env(
        tmp_path,
        BEHIND_TLS_PROXY=interpolate(compose_env["BEHIND_TLS_PROXY"]),
        TRUSTED_PROXIES=interpolate(compose_env["TRUSTED_PROXIES"]),
    )


def service_command(service: dict, **replace: str) -> list[str]:
    tokens = [interpolate(str(part)) for part in service["command"]]
    for old, new in replace.items():
        tokens = [token.replace(old, new) for token in tokens]
    return tokens


def test_the_migrate_job_then_webs_gunicorn_pass_the_web_healthcheck(services, portal_services, tmp_path):
    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert test[3].count("8000") == 1
    port = live.free_port()
    probe = test[3].replace("8000", str(port))
    env = compose_like_env(tmp_path, portal_services)

    migrated = subprocess.run(
        service_command(services["migrate"]), cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert migrated.returncode == 0, migrated.stdout[-2000:] + migrated.stderr[-3000:]
    assert (tmp_path / "var" / "static" / "staticfiles.json").is_file()

    log = tmp_path / "gunicorn.log"
    web = live.start(
        service_command(services["web"], **{"0.0.0.0:8000": f"127.0.0.1:{port}", "--workers 3": "--workers 1"}),
        env,
        log,
    )
    try:
        live.wait_until(lambda: live.listening("127.0.0.1", port), 60, web, log)
        healthy = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=30)
        wrong_host = subprocess.run(
            [sys.executable, "-c", probe],
            env={**env, "ALLOWED_HOSTS": "elsewhere.example"},
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        live.stop(web)

    assert healthy.returncode == 0, healthy.stderr + log.read_text(errors="replace")
    assert wrong_host.returncode != 0  # a 400 is not healthy


def test_the_beat_healthcheck_passes_once_beat_runs_with_the_database_scheduler(services, portal_services, tmp_path):
    env = compose_like_env(tmp_path, portal_services)
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert migrated.returncode == 0, migrated.stderr

    pidfile = tmp_path / "celerybeat.pid"
    tokens = shlex.split(interpolate(command_text(services["beat"]["command"])))
    assert tokens[0] == "celery" and tokens[tokens.index("--pidfile") + 1] == "/tmp/celerybeat.pid"
    tokens[tokens.index("--pidfile") + 1] = str(pidfile)
    check = interpolate(healthcheck_text(services["beat"])).replace("/tmp/celerybeat.pid", str(pidfile))
    log = tmp_path / "beat.log"

    assert subprocess.run(["sh", "-c", check], env=env).returncode != 0  # no beat yet: unhealthy
    with log.open("wb") as out:
        beat = subprocess.Popen(
            [sys.executable, "-m", *tokens],
            cwd=REPO_ROOT,
            # Unbuffered, so its banner is in the log even when a loaded machine makes it stop hard.
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        live.wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 60, beat, log)
        live.wait_until(lambda: "DatabaseScheduler" in log.read_text(errors="replace"), 30, beat, log)
        healthy = subprocess.run(["sh", "-c", check], env=env, capture_output=True, text=True, timeout=30)
    finally:
        live.stop(beat)

    assert healthy.returncode == 0, healthy.stderr + log.read_text(errors="replace")
    assert "DatabaseScheduler" in log.read_text(errors="replace")


# --- Operations guide -----------------------------------------------------------------


def variables_settings_reads() -> set[str]:
    return set(re.findall(r"(?:\benv|Env\(\))(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']", SETTINGS_SOURCE))


def test_the_operations_guide_documents_every_variable_settings_reads():
    guide = (REPO_ROOT / "docs" / "operations.md").read_text()
    variables = variables_settings_reads()

    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "BEHIND_TLS_PROXY"} <= variables
    undocumented = sorted(name for name in variables if f"`{name}`" not in guide)
    assert undocumented == []


def test_the_operations_guide_documents_every_variable_compose_substitutes():
    guide = (REPO_ROOT / "docs" / "operations.md").read_text()
    substituted = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text()))

    assert "POSTGRES_PASSWORD" in substituted
    assert sorted(name for name in substituted if f"`{name}`" not in guide) == []
