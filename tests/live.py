"""The portal as it runs in production, on loopback, for tests that need real
processes: gunicorn with the production settings module, Debian's nginx in
front of it (an unprivileged configuration under the test's tmp_path, with its
own pid, log and temp paths), Celery workers, and HTTP clients that connect
from an address of their own (127.0.0.2, 127.0.0.3 ...)."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = str(Path(sys.executable).parent)
HOST = "portal.example.gov.cn"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """Production settings (DEBUG off) over plain HTTP on loopback: nothing
    inherited from the test process but PATH and the locale."""
    env = {key: value for key, value in os.environ.items() if key in ("HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(
        {
            "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "VAR_DIR": str(tmp_path / "var"),
            "BEHIND_TLS_PROXY": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            # One gunicorn worker keeps its counters in its own memory; tests that
            # run several processes point CACHE_URL at Redis.
            "CACHE_URL": "locmemcache://",
            "ALLOW_LOCAL_CACHE": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def wait_until(check, seconds: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        if time.monotonic() > deadline:
            pytest.fail(f"not ready within {seconds} s:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )


def start_gunicorn(env: dict[str, str], port: int, log: Path, workers: int = 1) -> subprocess.Popen:
    args = [sys.executable, "-m", "gunicorn", "campaign_portal.wsgi:application"]
    args += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60"]
    server = start(args, env, log)
    wait_until(lambda: listening("127.0.0.1", port), 60, server, log)
    return server


def nginx_config(directory: Path, listen_port: int, upstream_port: int, proxy_lines: list[str]) -> Path:
    """An nginx.conf that runs as the current user with everything under ``directory``."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / name).mkdir(parents=True, exist_ok=True)
    lines = "\n".join(
        f"            {line.replace('http://127.0.0.1:8000', f'http://127.0.0.1:{upstream_port}')}"
        for line in proxy_lines
    )
    config = directory / "nginx.conf"
    config.write_text(
        f"""daemon off;
master_process on;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {directory}/access.log;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    server {{
        listen 127.0.0.1:{listen_port};
        server_name {HOST};
        location / {{
{lines}
        }}
    }}
}}
"""
    )
    return config


def start_nginx(directory: Path, listen_port: int, upstream_port: int, proxy_lines: list[str]) -> subprocess.Popen:
    if NGINX is None:
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    config = nginx_config(directory, listen_port, upstream_port, proxy_lines)
    log = directory / "nginx.out"
    checked = subprocess.run([NGINX, "-t", "-p", str(directory), "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = start([NGINX, "-p", str(directory), "-c", str(config)], dict(os.environ), log)
    wait_until(lambda: listening("127.0.0.1", listen_port), 20, server, log)
    return server


def documented_nginx_lines() -> list[str]:
    """The proxy lines of the nginx example in docs/operations.md, as an operator copies them."""
    guide = (REPO_ROOT / "docs" / "operations.md").read_text()
    block = re.search(r"```nginx\n(.*?)```", guide, re.S).group(1)
    location = re.search(r"location / \{\n(.*?)\n\s*\}", block, re.S).group(1)
    lines = [line.strip() for line in location.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Browser:
    """A visitor at ``address`` (its own loopback address), with its cookies."""

    address: str
    port: int
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.address, 0))
        headers = {"Host": HOST, **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie, _, _ = value.partition(";")
                    key, _, val = cookie.partition("=")
                    self.cookies[key.strip()] = val.strip()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, data: dict) -> tuple[int, dict[str, str], str]:
        """GET the page for its CSRF token, then POST ``data`` with it."""
        status, _, html = self.get(path)
        assert status == 200, (status, html[:500])
        token = TOKEN.search(html).group(1)
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token})
