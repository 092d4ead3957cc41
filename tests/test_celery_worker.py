"""A real Celery worker, on the real Redis, runs a task sent from outside it.

Unit tests run tasks eagerly, in-process; this is the one test that proves the
``campaign_portal`` Celery app starts as a worker with the production settings
module, finds the project's tasks and answers through a real broker, and that
docker-compose.yml's worker healthcheck (``celery inspect ping``) sees it.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import yaml
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeoutError

from tests.services import require_redis

pytestmark = pytest.mark.services

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULT_WITHIN_SECONDS = 60


def _worker_env(tmp_path: Path, broker_url: str, hostname: str) -> dict[str, str]:
    """The worker's environment: production settings, nothing from the test run.

    pytest-django has put DJANGO_SETTINGS_MODULE=...settings_test (eager tasks)
    into this process's environment, and CI exports DATABASE_URL and friends;
    the worker gets an explicit, minimal set instead.
    """
    env = {key: value for key, value in os.environ.items() if key in ("HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(
        {
            # The healthcheck calls `celery` by name, as it does in the image.
            "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "celery-worker-test-" + uuid.uuid4().hex * 2,
            # ping touches no table; a throwaway SQLite file keeps the worker
            # away from both the developer's var/db.sqlite3 and PostgreSQL.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
            "VAR_DIR": str(tmp_path / "var"),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": broker_url,
            "CACHE_URL": broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "PYTHONUNBUFFERED": "1",
            # What the container's hostname is to the compose healthcheck.
            "HOSTNAME": hostname,
        }
    )
    return env


def _compose_worker_healthcheck() -> str:
    """docker-compose.yml's worker healthcheck, as the container's shell runs it."""
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    test = compose["services"]["worker"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    return test[1].replace("$$", "$")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # SIGTERM: warm shutdown
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def test_a_real_worker_answers_ping_through_redis(tmp_path):
    url = require_redis()
    redis.Redis.from_url(url).flushdb()
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"  # no other worker can take the message
    env = _worker_env(tmp_path, url, hostname=queue)
    log_path = tmp_path / "worker.log"

    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "campaign_portal",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--queues",
                queue,
                # Celery's default node name in a container, celery@<container hostname>.
                "--hostname",
                f"celery@{queue}",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # Not the current app: tasks declared with @shared_task would otherwise resolve to
    # this client, which knows none of them, in every later test of this process.
    client = Celery("worker-test-client", broker=url, backend=url, set_as_current=False)
    try:
        result = client.send_task("campaigns.tasks.ping", queue=queue)
        deadline = time.monotonic() + RESULT_WITHIN_SECONDS
        answer = None
        while answer is None:
            if worker.poll() is not None:
                pytest.fail(
                    f"the worker exited with status {worker.returncode} before answering:\n"
                    + log_path.read_text(errors="replace")
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no answer from the worker within {RESULT_WITHIN_SECONDS} s:\n"
                    + log_path.read_text(errors="replace")
                )
            try:
                answer = result.get(timeout=1)
            except CeleryTimeoutError:
                continue
        assert answer == "pong"

        healthcheck = subprocess.run(
            ["sh", "-c", _compose_worker_healthcheck()],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert healthcheck.returncode == 0, healthcheck.stdout + healthcheck.stderr
        assert f"celery@{queue}: OK" in healthcheck.stdout
    finally:
        _stop(worker)
        client.close()

    assert "campaigns.tasks.ping" in log_path.read_text(errors="replace")  # registered the project's task
    # The portal's app is still the one tasks are sent through in this process (the
    # client once took its place, and every later notice queued went nowhere).
    from celery import current_app

    assert current_app.main == "campaign_portal"


def test_the_compose_worker_healthcheck_fails_when_no_worker_answers(tmp_path):
    url = require_redis()
    env = _worker_env(tmp_path, url, hostname=f"absent-{uuid.uuid4().hex[:8]}")
    healthcheck = _compose_worker_healthcheck().replace("--timeout 10", "--timeout 2")

    completed = subprocess.run(
        ["sh", "-c", healthcheck],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode != 0
