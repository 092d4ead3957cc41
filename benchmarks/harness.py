"""``make bench``: measure the portal at 1,000 and at 1,000,000 complaints.

Run as ``python -m benchmarks.harness`` (the Makefile does). It needs
PostgreSQL and Redis on this machine, wrk and ``/usr/bin/time`` (Debian
packages ``wrk`` and ``time``), and writes ``docs/benchmarks.md`` plus the raw
figures in ``var/bench/results.json``.

For each scale it
1. makes a database ``cp_bench_<scale>`` (reused when it already holds the
   same generated data, so a second run skips the slow part), migrates it and
   fills it with ``generate_scale_data``;
2. starts gunicorn with ``campaign_portal.settings_bench`` (production
   settings plus the two reference views) on 127.0.0.1;
3. measures every page with the same wrk settings: the two reference views
   first, then the public and the staff pages, the POSTs last (they add rows);
4. reads the queries of each page from the ``X-Bench-Queries`` header, and the
   query plans of the staff queue with ``EXPLAIN (ANALYZE, BUFFERS)``.
Then it runs the jobs (reminder sweep at 10k and 100k due, an .xlsx export of
100,000 complaints, the appraisal results) each in its own process under
``/usr/bin/time -v`` and renders the report.

This module imports nothing from Django: Django runs in the subprocesses, with
the settings and database of the step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .pages import staff_pages

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
REPORT = ROOT / "docs" / "benchmarks.md"
LUA_DIR = Path(__file__).resolve().parent / "wrk"
PY = sys.executable

PG: dict[str, Any] = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = ("127.0.0.1", 6379)
PORT = 8765
ORIGIN = f"https://127.0.0.1:{PORT}"
BASE = f"http://127.0.0.1:{PORT}"
CACHE_DB = 3  # settings_bench's CACHE_URL
SECRET = "bench-only-secret-key-0123456789-not-for-production-abcdefghijkl"

SCALES = {
    "1k": {"offices": 300, "complaints": 1_000, "commitments": 200, "ballots": 5_000},
    "1m": {"offices": 300, "complaints": 1_000_000, "commitments": 20_000, "ballots": 500_000},
}
# The same for every page: one wrk thread keeps four connections busy against
# two gunicorn sync workers (one per core), so the server is the bottleneck.
WRK = {"threads": 1, "connections": 4, "duration": 10, "warmup": 3}
WORKERS = 2


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now().astimezone():%H:%M:%S}] {message}", flush=True)


# --- Services --------------------------------------------------------------------
def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def ensure_services() -> None:
    """PostgreSQL and Redis as .ci/run starts them, when they have stopped."""
    if not _port_open(PG["host"], PG["port"]):
        log("starting PostgreSQL")
        versions = sorted(os.listdir("/etc/postgresql"))
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=True)
    if not _port_open(*REDIS):
        log("starting Redis")
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
    for _ in range(30):
        if _port_open(PG["host"], PG["port"]) and _port_open(*REDIS):
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL or Redis does not answer on 127.0.0.1")


def ensure_tools() -> None:
    missing = [name for name in ("wrk",) if shutil.which(name) is None]
    if not Path("/usr/bin/time").exists():
        missing.append("time")
    if missing:
        log(f"installing {' '.join(missing)} (Debian packages)")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def database_url(name: str) -> str:
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", PG["host"], "-p", str(PG["port"]), "-U", PG["user"], "-d", database, "-At", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


# --- Django subprocesses ---------------------------------------------------------------
def django_env(db: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="campaign_portal.settings_bench",
        DATABASE_URL=database_url(db),
        SECRET_KEY=SECRET,
        DEBUG="0",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/4",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(db: str, *args: str, timed: bool = False, capture: bool = False, **env_extra) -> tuple[str, dict]:
    """Run ``manage.py *args`` against database ``db``; with ``timed`` under
    /usr/bin/time -v, returning its wall time and peak memory too."""
    command = [PY, str(ROOT / "manage.py"), *args]
    stats: dict = {}
    if timed:
        stats_file = OUT_DIR / "time-v.txt"
        command = ["/usr/bin/time", "-v", "-o", str(stats_file), *command]
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, env=django_env(db, **env_extra), text=True, stdout=subprocess.PIPE if capture else None
    )
    stats["seconds"] = round(time.perf_counter() - started, 2)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed with exit code {result.returncode}")
    if timed:
        text = stats_file.read_text()
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        stats["peak_rss_mb"] = round(int(rss.group(1)) / 1024, 1) if rss else None
    return (result.stdout or ""), stats


def last_json(output: str) -> dict:
    for line in reversed(output.splitlines()):
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise SystemExit("no BENCH_JSON line in the output:\n" + output[-2000:])


# --- Data ------------------------------------------------------------------------------
def prepare_database(scale: str, params: dict, *, fresh: bool) -> dict:
    db = f"cp_bench_{scale}"
    manifest_path = OUT_DIR / f"{scale}-manifest.json"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    if exists and not fresh and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        same = manifest.get("parameters", {}) == {**manifest.get("parameters", {}), **params}
        complaints = psql("SELECT count(*) FROM complaints_complaint WHERE channel <> 'web' OR true", db)
        if same and int(complaints or 0) >= params["complaints"]:
            log(f"{db}: reusing the generated data ({manifest_path.name})")
            manage(db, "migrate", "--no-input", "-v", "0")
            manifest["reused"] = True
            return manifest
    log(f"{db}: creating, migrating and generating {params['complaints']:,} complaints")
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{db}"')
    manage(db, "migrate", "--no-input", "-v", "0")
    args = ["generate_scale_data", "--manifest", str(manifest_path)]
    for key, value in params.items():
        args += [f"--{key}", str(value)]
    _out, stats = manage(db, *args, timed=True)
    manifest = json.loads(manifest_path.read_text())
    manifest["generation"] = stats
    manifest["parameters"] = {**manifest.get("parameters", {}), **params}
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    log(f"{db}: generated in {stats['seconds']} s, peak {stats['peak_rss_mb']} MB")
    return manifest


# --- The server ------------------------------------------------------------------------
class Server:
    def __init__(self, db: str, **env):
        self.db = db
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        log_file = open(OUT_DIR / f"gunicorn-{self.db}.log", "w")
        self.process = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "campaign_portal.wsgi",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=django_env(self.db, **self.env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(60):
            try:
                if fetch("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.__exit__()
        raise SystemExit(f"gunicorn did not start; see {log_file.name}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(path: str, *, cookie: str = "", data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of one request as wrk sends it."""
    request = urllib.request.Request(BASE + path, data=data, method="POST" if data is not None else "GET")
    request.add_header("X-Forwarded-Proto", "https")
    request.add_header("Accept-Language", "zh-hans")
    if cookie:
        request.add_header("Cookie", cookie)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with _opener.open(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def csrf_pair(path: str, cookie: str = "") -> tuple[str, str]:
    """The csrftoken cookie and the form's token, from one GET of the form."""
    status, headers, body = fetch(path, cookie=cookie)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}")
    cookie_value = None
    for header in headers.get_all("Set-Cookie") or []:
        if header.startswith("csrftoken="):
            cookie_value = header.split(";", 1)[0]
    if cookie_value is None and "csrftoken=" in cookie:
        cookie_value = next(part.strip() for part in cookie.split(";") if part.strip().startswith("csrftoken="))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not (cookie_value and token):
        raise SystemExit(f"no CSRF cookie or token on {path}")
    return cookie_value, token.group(1).decode()


# --- Pages -----------------------------------------------------------------------------
@dataclass
class Page:
    key: str
    label: str
    group: str  # reference, public, public-post, staff
    path: str
    cookie: str = ""
    body: str = ""  # a POST body template ({n} varies per request)
    referer: str = ""
    expect: tuple = (200,)
    result: dict = field(default_factory=dict)


STAFF_LABELS = {
    "queue": "Staff queue, default filter",
    "queue_filtered": "Staff queue, filtered search",
    "queue_page1": "Staff queue, all statuses, page 1",
    "queue_page1000": "Staff queue, all statuses, page 1000",
    "queue_office": "Staff queue of one office",
    "detail": "Complaint detail (staff)",
    "dashboard": "Campaign dashboard",
    "scorecard": "Office scorecard",
}


def pages_for(manifest: dict, sessions: dict) -> list[Page]:
    number = manifest["tracking"]["tracking_number"]
    code = manifest["tracking"]["access_code"]
    survey = manifest["published_survey_id"]
    complaint = manifest["complaint_id"]
    office_id = manifest["office_id"]
    type_id = manifest["problem_type_id"]
    form_cookie, form_token = csrf_pair("/complaints/new/")
    track_cookie, track_token = csrf_pair("/complaints/track/")
    complaint_body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": form_token,
            "office": office_id,
            "problem_type": type_id,
            "description": "窗口工作人员推诿扯皮，多次往返仍未办理，编号 {n}。",
            "occurred_on": "",
            "location": "政务服务中心 5 号窗口",
            "is_anonymous": "real",
            "name": "张三",
            "phone": "13800138000",
            "email": "",
            "website": "",
        }
    ).replace("%7Bn%7D", "{n}")
    track_body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": track_token,
            "tracking_number": number,
            "access_code": code,
        }
    )
    return [
        Page("bare", "Reference: bare view (no database)", "reference", "/__bench__/bare/"),
        Page("one_row", "Reference: one row through the ORM", "reference", "/__bench__/one-row/"),
        Page("home", "Home", "public", "/"),
        Page("complaint_form", "Complaint form (GET)", "public", "/complaints/new/"),
        Page("track_form", "Tracking lookup form (GET)", "public", "/complaints/track/"),
        Page("board", "Commitment board", "public", "/commitments/"),
        Page("results", "Appraisal results (published)", "public", f"/appraisal/results/{survey}/"),
        Page("stats", "Complaint statistics", "public", "/complaints/stats/"),
        Page("open311", "Open311 requests.json", "public", "/open311/v2/requests.json"),
        *(
            Page(key, STAFF_LABELS[key], "staff", path, cookie=sessions[viewer])
            for key, (path, viewer) in staff_pages(
                complaint_id=complaint, handling_office_id=manifest["handling_office_id"]
            ).items()
        ),
        Page(
            "track_post",
            "Tracking lookup (POST number + code)",
            "public-post",
            "/complaints/track/",
            cookie=track_cookie,
            body=track_body,
            referer=ORIGIN + "/complaints/track/",
            expect=(302,),
        ),
        Page(
            "complaint_post",
            "Complaint submission (POST)",
            "public-post",
            "/complaints/new/",
            cookie=form_cookie,
            body=complaint_body,
            referer=ORIGIN + "/complaints/new/",
            expect=(302,),
        ),
    ]


def forget_submissions(db: str, last_id: int) -> None:
    """Delete the complaints the POST run made, so the data stays as generated
    and the next run on it measures the same thing."""
    newer = f"complaint_id IN (SELECT id FROM complaints_complaint WHERE id > {int(last_id)})"
    psql(
        f"DELETE FROM complaints_complaintevent WHERE {newer}; "
        f"DELETE FROM complaints_complainantidentity WHERE {newer}; "
        f"DELETE FROM complaints_complaint WHERE id > {int(last_id)}",
        db,
    )


def run_wrk(page: Page, seconds: int) -> dict:
    script = "post_form.lua" if page.body else "get.lua"
    env = {
        **os.environ,
        "BENCH_LUA_DIR": str(LUA_DIR),
        "BENCH_COOKIE": page.cookie,
        "BENCH_BODY": page.body,
        "BENCH_REFERER": page.referer,
        "BENCH_ORIGIN": ORIGIN,
    }
    command = [
        "wrk",
        "-t",
        str(WRK["threads"]),
        "-c",
        str(WRK["connections"]),
        "-d",
        f"{seconds}s",
        "--timeout",
        "60s",
        "-s",
        str(LUA_DIR / script),
        BASE + page.path,
    ]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    figures = last_json(output)
    figures["rps"] = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
    return figures


def forget_public_pages() -> None:
    """Empty the public page cache, so the probe request renders the page."""
    import redis

    client = redis.Redis(host=REDIS[0], port=REDIS[1], db=CACHE_DB)
    for key in client.scan_iter(match="*public-page:*", count=1000):
        client.delete(key)


def measure_page(page: Page) -> dict:
    forget_public_pages()
    data = page.body.replace("{n}", "probe").encode() if page.body else None
    headers = (
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": page.referer, "Origin": ORIGIN}
        if data is not None
        else {}
    )
    status, response_headers, body = fetch(page.path, cookie=page.cookie, data=data, headers=headers)
    if status not in page.expect:
        raise SystemExit(f"{page.key}: {page.path} answered {status}, expected {page.expect}:\n{body[:800]!r}")
    result = {"status": status, "queries": int(response_headers.get("X-Bench-Queries", -1)), "bytes": len(body)}
    run_wrk(page, WRK["warmup"])
    result.update(run_wrk(page, WRK["duration"]))
    if result["errors_status"] or result["errors_timeout"]:
        raise SystemExit(f"{page.key}: {result['errors_status']} bad statuses, {result['errors_timeout']} timeouts")
    return result


def measure_scale(scale: str, params: dict, *, fresh: bool) -> dict:
    manifest = prepare_database(scale, params, fresh=fresh)
    db = f"cp_bench_{scale}"
    out, _ = manage(db, "bench_prepare", "--manifest", str(OUT_DIR / f"{scale}-manifest.json"), capture=True)
    prepared = last_json(out)
    results: dict = {
        "manifest": manifest,
        "explain": prepared["explain"],
        "snapshots": prepared["snapshots"],
        "pages": {},
    }
    with Server(db):
        pages = pages_for({**manifest, **prepared["manifest_extra"]}, prepared["sessions"])
        for page in pages:
            before = int(psql("SELECT count(*) FROM complaints_complaint", db)) if page.key == "complaint_post" else 0
            last_id = int(psql("SELECT coalesce(max(id), 0) FROM complaints_complaint", db))
            figures = measure_page(page)
            if page.key == "complaint_post":
                after = int(psql("SELECT count(*) FROM complaints_complaint", db))
                # The probe request plus every request wrk made (warm-up and measured).
                figures["stored"] = after - before
                forget_submissions(db, last_id)
            results["pages"][page.key] = {"label": page.label, "group": page.group, "path": page.path, **figures}
            log(
                f"{scale} {page.key:16} {figures['rps']:8.1f} req/s  p50 {figures['p50_us'] / 1000:7.1f} ms  "
                f"p99 {figures['p99_us'] / 1000:7.1f} ms  {figures['queries']} queries"
            )
    # The public pages again with the page cache off: what rendering them costs.
    with Server(db, PUBLIC_PAGE_CACHE_SECONDS="0"):
        for page in pages:
            if page.group not in ("reference", "public"):
                continue
            figures = measure_page(page)
            key = page.key if page.group == "reference" else f"{page.key}_rendered"
            results["pages"][key if page.group != "reference" else f"{page.key}_again"] = {
                "label": f"{page.label}, rendered every time"
                if page.group != "reference"
                else f"{page.label} (second server)",
                "group": f"{page.group}-rendered",
                "path": page.path,
                **figures,
            }
            log(f"{scale} {key:16} {figures['rps']:8.1f} req/s  (page cache off)")
    return results


# --- Jobs ------------------------------------------------------------------------------
def measure_jobs(fresh: bool) -> dict:
    jobs: dict = {}
    db = "cp_bench_1m"
    out, stats = manage(db, "bench_job", "export", "--rows", "100000", timed=True, capture=True)
    jobs["export"] = {**last_json(out), **stats}
    log(f"export: {jobs['export']}")
    out, stats = manage(db, "bench_job", "queue-export", "--rows", "100000", timed=True, capture=True)
    jobs["queue_export"] = {**last_json(out), **stats}
    log(f"queue export: {jobs['queue_export']}")
    out, stats = manage(db, "bench_job", "results", timed=True, capture=True)
    jobs["results"] = {**last_json(out), **stats}
    log(f"results: {jobs['results']}")
    sweep_db = "cp_bench_sweep"
    psql(f'DROP DATABASE IF EXISTS "{sweep_db}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{sweep_db}"')
    manage(sweep_db, "migrate", "--no-input", "-v", "0")
    manage(
        sweep_db,
        "generate_scale_data",
        "--offices",
        "300",
        "--complaints",
        "0",
        "--commitments",
        "0",
        "--ballots",
        "0",
        "--no-progress",
    )
    for due in (10_000, 100_000):
        manage(sweep_db, "bench_job", "sweep-prepare", "--due", str(due))
        out, stats = manage(sweep_db, "bench_job", "sweep", timed=True, capture=True)
        jobs[f"sweep_{due}"] = {**last_json(out), **stats, "due": due}
        log(f"sweep {due}: {jobs[f'sweep_{due}']}")
    return jobs


# --- Entry point ------------------------------------------------------------------------
def machine() -> dict:
    def version(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    django_version = subprocess.run(
        [
            PY,
            "-c",
            "import django, gunicorn, psycopg2; print(django.get_version(), "
            "gunicorn.__version__, psycopg2.__version__.split()[0])",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "django": django_version[0] if django_version else "?",
        "gunicorn": django_version[1] if len(django_version) > 1 else "?",
        "psycopg2": django_version[2] if len(django_version) > 2 else "?",
        "postgresql": psql("SHOW server_version"),
        "redis": version(["redis-server", "--version"]),
        "wrk": version(["wrk", "--version"]),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        or "?",
        "wrk_settings": WRK,
        "gunicorn_workers": WORKERS,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1k,1m", help="comma-separated: 1k, 1m")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even when it is there")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--report-only", action="store_true", help="re-render docs/benchmarks.md from results.json")
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results_path = OUT_DIR / "results.json"
    if not args.report_only:
        ensure_tools()
        ensure_services()
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            check=True,
            env=django_env("postgres"),
        )
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
        results["machine"] = machine()
        results.setdefault("scales", {})
        for scale in args.scales.split(","):
            results["scales"][scale] = measure_scale(scale, SCALES[scale], fresh=args.fresh)
            results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        if not args.skip_jobs:
            results["jobs"] = measure_jobs(args.fresh)
        results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    from .report import render

    results = json.loads(results_path.read_text())
    REPORT.write_text(render(results))
    log(f"wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
