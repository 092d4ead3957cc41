"""docker-compose.yml and the Dockerfile agree with the code they run.

No Docker engine is needed: the files are parsed, every module path, manage.py
command, file and environment variable they name is checked against the
project, and the web and beat healthchecks are run against real local
processes (the worker's is exercised in test_celery_worker.py).
"""

import importlib
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import environ
import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.beat import Scheduler
from celery.utils.imports import symbol_by_name
from django.core.management import get_commands

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
SETTINGS_SOURCE = (REPO_ROOT / "campaign_portal" / "settings.py").read_text()
SERVICES = ("postgres", "redis", "web", "worker", "beat")
VENV_BIN = str(Path(sys.executable).parent)


def interpolate(value: str) -> str:
    """Compose's variable interpolation, with defaults and a stand-in for required values."""

    def substitute(match: re.Match) -> str:
        expression = match.group(1)
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


def test_compose_declares_postgres_redis_web_worker_and_beat(services):
    assert set(SERVICES) <= set(services)


def test_postgres_and_redis_use_the_pinned_major_versions(services):
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_postgres_keeps_its_data_in_a_named_volume(compose, services):
    volume = next(v for v in services["postgres"]["volumes"] if v.endswith(":/var/lib/postgresql/data"))
    assert volume.split(":")[0] in compose["volumes"]


def test_web_worker_and_beat_run_the_portal_image(portal_services):
    assert set(portal_services) == {"web", "worker", "beat"}
    for service in portal_services.values():
        build = service["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        assert (REPO_ROOT / context / dockerfile).is_file()


def test_uploads_are_on_a_volume_shared_by_web_and_worker(compose, services):
    for name in ("web", "worker"):
        assert "media:/app/var/media" in services[name]["volumes"]
    assert "media" in compose["volumes"]


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck and healthcheck.get("test"), f"{name} has no healthcheck"
    if isinstance(healthcheck["test"], list):
        assert healthcheck["test"][0] in ("CMD", "CMD-SHELL")


@pytest.mark.parametrize("name", SERVICES)
def test_every_dependency_waits_for_a_healthy_service(services, name):
    depends_on = services[name].get("depends_on", {})
    assert isinstance(depends_on, dict), f"{name}: depends_on must name a condition"
    for dependency, spec in depends_on.items():
        assert spec == {"condition": "service_healthy"}, f"{name} -> {dependency}"
        assert "healthcheck" in services[dependency]


def test_worker_and_beat_wait_for_the_web_service_that_runs_the_migrations(services):
    assert "migrate" in command_text(services["web"]["command"])
    for name in ("worker", "beat"):
        assert "web" in services[name]["depends_on"]


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


def test_the_beat_service_is_not_scaled(services):
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_beat_uses_the_database_scheduler(services):
    tokens = shlex.split(command_text(services["beat"]["command"]))
    assert tokens[tokens.index("--scheduler") + 1] == "django_celery_beat.schedulers:DatabaseScheduler"


# --- Everything the commands name exists ---------------------------------------------


def test_the_gunicorn_application_is_importable(services):
    targets = re.findall(r"gunicorn\s+(\S+:\S+)", command_text(services["web"]["command"]))
    targets += re.findall(r'"gunicorn",\s*"([^"]+)"', (REPO_ROOT / "Dockerfile").read_text())
    assert targets == ["campaign_portal.wsgi:application", "campaign_portal.wsgi:application"]
    for target in targets:
        module, attribute = target.split(":")
        assert callable(getattr(importlib.import_module(module), attribute))


def test_web_binds_gunicorn_to_port_8000_on_all_interfaces(services):
    command = command_text(services["web"]["command"])
    assert "--bind 0.0.0.0:8000" in command
    assert "collectstatic" in command
    assert [interpolate(port) for port in services["web"]["ports"]] == ["127.0.0.1:8000:8000"]


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


def test_the_dockerfile_builds_on_python_311_slim():
    assert dockerfile_lines()[0] == "FROM python:3.11-slim"


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


def test_the_image_compiles_messages_and_collects_static_files_at_build_time():
    run = " ".join(line for line in dockerfile_lines() if line.startswith("RUN "))
    assert "python scripts/compile_messages.py" in run
    assert "SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput" in run
    assert "gettext" not in run  # Babel compiles the catalogues


def test_the_build_only_secret_key_does_not_stay_in_the_image():
    assert not any(line.startswith("ENV") and "SECRET_KEY" in line for line in dockerfile_lines())
    assert not any(line.startswith("ARG") and "SECRET_KEY" in line for line in dockerfile_lines())


def test_the_image_runs_as_a_non_root_user_and_exposes_8000():
    lines = dockerfile_lines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "EXPOSE 8000" in lines


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


def test_the_portal_runs_with_debug_off_and_secrets_from_the_environment(portal_services):
    for service in portal_services.values():
        environment = service["environment"]
        assert environment["DEBUG"] == "0"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
        for variable in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "BEHIND_TLS_PROXY", "EMAIL_URL"):
            assert variable in environment


def test_the_urls_point_at_the_postgres_and_redis_services(services, portal_services):
    environment = {key: interpolate(str(value)) for key, value in portal_services["web"]["environment"].items()}
    postgres = {key: interpolate(str(value)) for key, value in services["postgres"]["environment"].items()}

    database = environ.Env.db_url_config(environment["DATABASE_URL"])
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"]) == ("postgres", 5432)
    assert database["NAME"] == postgres["POSTGRES_DB"]
    assert database["USER"] == postgres["POSTGRES_USER"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    cache = environ.Env.cache_url_config(environment["CACHE_URL"])
    assert cache["LOCATION"].startswith("redis://redis:6379/")
    assert environment["CACHE_URL"] != environment["CELERY_BROKER_URL"]  # separate Redis databases


# --- Healthchecks against real processes -------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key in ("HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(
        {
            "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "portal.example.gov.cn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "VAR_DIR": str(tmp_path / "var"),
            "BEHIND_TLS_PROXY": "1",
        }
    )
    env.update(overrides)
    return env


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until(check, seconds: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        if time.monotonic() > deadline:
            pytest.fail(f"not ready within {seconds} s:\n{log.read_text(errors='replace')}")
        time.sleep(0.3)


def test_the_web_healthcheck_passes_against_gunicorn_with_production_settings(services, tmp_path):
    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert test[3].count("8000") == 1
    port = free_port()
    probe = test[3].replace("8000", str(port))
    env = production_env(tmp_path)
    log = tmp_path / "gunicorn.log"

    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "campaign_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1"],
            cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        def listening():
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        wait_until(listening, 30, server, log)
        healthy = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=30)
        wrong_host = subprocess.run(
            [sys.executable, "-c", probe], env={**env, "ALLOWED_HOSTS": "elsewhere.example"},
            capture_output=True, text=True, timeout=30,
        )
    finally:
        stop(server)

    assert healthy.returncode == 0, healthy.stderr + log.read_text(errors="replace")
    assert wrong_host.returncode != 0  # a 400 is not healthy


def test_the_beat_healthcheck_passes_once_beat_runs_with_the_database_scheduler(services, tmp_path):
    env = production_env(tmp_path)
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"], cwd=REPO_ROOT, env=env,
        capture_output=True, text=True, timeout=180,
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
            [sys.executable, "-m", *tokens], cwd=REPO_ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 60, beat, log)
        healthy = subprocess.run(["sh", "-c", check], env=env, capture_output=True, text=True, timeout=30)
    finally:
        stop(beat)

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
