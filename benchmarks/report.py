"""Renders docs/benchmarks.md from var/bench/results.json (``make bench``).

The figures and the verdicts are computed here from the measurements of one
run; the hand-written findings (what missed, why, and what fixed it, with the
numbers before and after) come from ``benchmarks/findings.md``.
"""

from __future__ import annotations

from pathlib import Path

FINDINGS = Path(__file__).resolve().parent / "findings.md"

PUBLIC_GET = ["home", "complaint_form", "track_form", "board", "results", "stats"]
STAFF_GROWTH = ["queue", "queue_filtered", "queue_page1", "queue_page1000", "queue_office", "detail", "scorecard"]
MEMORY_LIMIT_MB = 200


def _ms(us) -> str:
    return f"{us / 1000:.1f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _check(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def page_table(scale: str, pages: dict, other: dict | None) -> list[str]:
    """Every page with its ratios to the reference views measured on the same
    server (the page-cache-off pages on the second server, with its references)."""
    growth_header = " p50 vs 1k |" if other else ""
    lines = [
        f"| Page | req/s | p50 ms | p99 ms | ÷ bare | ÷ one-row | SQL queries |{growth_header}",
        "|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if other else ""),
    ]
    for key, page in pages.items():
        second = key.endswith(("_rendered", "_again")) and "bare_again" in pages
        bare = pages["bare_again" if second else "bare"]["rps"]
        one_row = pages["one_row_again" if second else "one_row"]["rps"]
        growth = ""
        if other:
            base = other.get(key)
            growth = f" {page['p50_us'] / base['p50_us']:.2f}× |" if base and base["p50_us"] else " – |"
        lines.append(
            f"| {page['label']} (`{page['path']}`) | {page['rps']:.0f} | {_ms(page['p50_us'])} | "
            f"{_ms(page['p99_us'])} | {page['rps'] / bare:.2f} | {page['rps'] / one_row:.2f} | "
            f"{page['queries']} |{growth}"
        )
    return lines


def targets(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met?) for every target of the issue."""
    scales = results.get("scales", {})
    rows: list[tuple[str, str, bool | None]] = []
    for scale in ("1k", "1m"):
        pages = scales.get(scale, {}).get("pages")
        if not pages:
            continue
        one_row = pages["one_row"]["rps"]
        for key in PUBLIC_GET:
            ratio = pages[key]["rps"] / one_row
            rows.append((f"{pages[key]['label']} at {scale}: ≥ 0.5 of one-row", f"{ratio:.2f}", ratio >= 0.5))
        post = pages["complaint_post"]
        ratio = post["rps"] / one_row
        rows.append((f"Complaint POST at {scale}: ≥ 0.25 of one-row", f"{ratio:.2f}", ratio >= 0.25))
        made = post["requests"] + 1  # the probe request
        stored = post.get("stored")
        rows.append(
            (
                f"Complaint POST at {scale}: every submission stored",
                f"{stored} stored for {made} sent (warm-up included: {stored is not None and stored >= made})",
                stored is not None and stored >= made,
            )
        )
    big, small = scales.get("1m", {}).get("pages"), scales.get("1k", {}).get("pages")
    if big:
        one_row = big["one_row"]["rps"]
        for key in STAFF_GROWTH:
            ratio = big[key]["rps"] / one_row
            rows.append((f"{big[key]['label']} at 1M: ≥ 0.25 of one-row", f"{ratio:.2f}", ratio >= 0.25))
            if small:
                growth = big[key]["p50_us"] / small[key]["p50_us"]
                rows.append((f"{big[key]['label']}: p50 at 1M ≤ 1.5× at 1k", f"{growth:.2f}×", growth <= 1.5))
        plans = results["scales"]["1m"].get("explain", {}).get("queue", [])
        seq = any(plan["seq_scan_on_complaints"] for plan in plans)
        rows.append(
            (
                "Default queue query uses an index at 1M (no sequential scan of complaints)",
                f"{len(plans)} queries explained, sequential scan: {'yes' if seq else 'no'}",
                bool(plans) and not seq,
            )
        )
        if small:
            growth = big["dashboard"]["p50_us"] / small["dashboard"]["p50_us"]
            rows.append(("Campaign dashboard: p50 at 1M ≤ 5× at 1k", f"{growth:.2f}×", growth <= 5))
    jobs = results.get("jobs", {})
    if "sweep_10000" in jobs and "sweep_100000" in jobs:
        small_sweep, big_sweep = jobs["sweep_10000"], jobs["sweep_100000"]
        growth = big_sweep["seconds"] / small_sweep["seconds"]
        rows.append(("Reminder sweep: 100k due ≤ 12× the time of 10k", f"{growth:.1f}×", growth <= 12))
        per_small = small_sweep["queries"] / small_sweep["due"] * 1000
        per_big = big_sweep["queries"] / big_sweep["due"] * 1000
        rows.append(
            (
                "Reminder sweep: a fixed number of queries per batch",
                f"{small_sweep['queries']} queries for 10k, {big_sweep['queries']} for 100k "
                f"({per_small:.1f} and {per_big:.1f} per 1,000 due)",
                per_big <= per_small * 1.1,
            )
        )
        rows.append(
            (
                "Reminder sweep: peak memory < 200 MB at 100k due",
                f"{big_sweep['peak_rss_mb']} MB",
                big_sweep["peak_rss_mb"] < MEMORY_LIMIT_MB,
            )
        )
    if "export" in jobs:
        export = jobs["export"]
        rows.append(
            (
                ".xlsx export of 100,000 complaints: peak memory < 200 MB, streamed",
                f"{export['peak_rss_mb']} MB, {export['seconds']} s",
                export["peak_rss_mb"] < MEMORY_LIMIT_MB,
            )
        )
    return rows


def render(results: dict) -> str:
    machine = results.get("machine", {})
    scales = results.get("scales", {})
    out = [
        "# Benchmarks",
        "",
        "<!-- Written by `make bench` (benchmarks/harness.py and benchmarks/report.py); edit "
        "benchmarks/findings.md for the prose, not this file. -->",
        "",
        "How fast the portal is at 1,000 and at 1,000,000 complaints, measured on this machine with public "
        "tools, and every target of the benchmark issue with its verdict. Run `make bench` to measure again: "
        "it needs PostgreSQL and Redis on 127.0.0.1, wrk and `/usr/bin/time` (installed from Debian's "
        "packages when missing), takes about half an hour the first time (most of it generating a million "
        "complaints) and reuses the generated databases afterwards (`make bench BENCH_ARGS=--fresh` "
        "regenerates them).",
        "",
        "## Machine and method",
        "",
        f"- Measured {machine.get('date', '?')} at commit `{machine.get('commit', '?')}` "
        f"on {machine.get('cores', '?')} "
        f"cores ({machine.get('cpu', '?')}), {machine.get('memory_gb', '?')} GB memory; a shared machine, so "
        "absolute figures move between runs and the **ratios** to the reference views are what count.",
        f"- Python {machine.get('python', '?')}, Django {machine.get('django', '?')}, gunicorn "
        f"{machine.get('gunicorn', '?')}, psycopg2 {machine.get('psycopg2', '?')}, PostgreSQL "
        f"{machine.get('postgresql', '?')}, {machine.get('redis', '?')}, {machine.get('wrk', '?')}.",
        f"- Server: gunicorn, {machine.get('gunicorn_workers', '?')} sync workers on 127.0.0.1, "
        "`campaign_portal.settings_bench`: the production settings (DEBUG off, whitenoise with the compressed "
        "manifest, persistent database connections, the Redis cache, CSP, django-axes, sessions, CSRF), "
        "reached as through a TLS proxy (`X-Forwarded-Proto: https`), plus the two reference views and a "
        "middleware that counts each request's SQL queries into a response header. The per-IP limits on "
        "complaints and tracking are raised (all load comes from one address) but still count in Redis.",
        f"- Load: wrk with {machine.get('wrk_settings', {}).get('threads', '?')} thread and "
        f"{machine.get('wrk_settings', {}).get('connections', '?')} connections for "
        f"{machine.get('wrk_settings', {}).get('duration', '?')} s after a "
        f"{machine.get('wrk_settings', {}).get('warmup', '?')} s warm-up, the same for every page; "
        "POSTs through `benchmarks/wrk/post_form.lua` with the CSRF cookie and token of one GET of the form "
        "(as a browser with the form open) and a different text in every submission. Staff pages carry the "
        "session cookie of a logged-in user (the complaint centre for the queue and the detail, an office's "
        "staff for its queue and scorecard, the campaign office for the dashboard).",
        "- Reference views (mounted only by the benchmark settings, `benchmarks/views.py`): **bare** returns "
        "two bytes without touching the database (the framework's ceiling); **one-row** reads one row through "
        "the ORM (the ceiling for any page that touches the database). Both pass through the whole "
        "middleware stack, as the pages do.",
        "- Public pages are measured as anonymous visitors get them: after the first request each is served "
        "from the 60-second page cache (`kernel/pagecache.py`; each visitor still gets a CSRF token of their "
        "own). The same pages rendered on every request (`PUBLIC_PAGE_CACHE_SECONDS=0`, a second server with "
        "its own reference views) are listed too, as *rendered every time*. Staff pages are never cached. "
        "The SQL queries column counts the queries of one rendered request (the page cache is emptied before "
        "that probe request); a page served from the cache runs none of them.",
        "- Aggregate figures (public statistics, the dashboard's complaint columns and trend) come from "
        "snapshots that beat retakes every 4 minutes (`kernel/figurecache.py`); the harness retakes them "
        "once before measuring, as beat would have, and reports how long that took.",
        "- Jobs run in their own process under `/usr/bin/time -v` (peak memory is the process's maximum "
        "resident set, Django included) with their SQL queries counted.",
        "",
        "## Data",
        "",
        "`python manage.py generate_scale_data` (see docs/operations.md) filled each database:",
        "",
        "| Scale | Offices | Complaints | Commitments | Ballots | Generated in | Peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, data in scales.items():
        params = data["manifest"].get("parameters", {})
        generation = data["manifest"].get("generation", {})
        out.append(
            f"| {scale} | {params.get('offices', 0):,} | {params.get('complaints', 0):,} | "
            f"{params.get('commitments', 0):,} | {params.get('ballots', 0):,} | "
            f"{generation.get('seconds', '?')} s | {generation.get('peak_rss_mb', '?')} MB |"
        )
    out += ["", "## Targets", "", "| Target | Measured | Verdict |", "|---|---|---|"]
    verdicts = targets(results)
    for target, measured, ok in verdicts:
        out.append(f"| {target} | {measured} | {_check(ok)} |")
    missed = [t for t, _m, ok in verdicts if ok is False]
    out += [
        "",
        (
            f"**{len(missed)} target(s) missed in this run**; see Findings."
            if missed
            else "Every target was met in this run."
        ),
        "",
    ]
    for scale in ("1k", "1m"):
        if scale not in scales:
            continue
        other = scales.get("1k", {}).get("pages") if scale == "1m" else None
        out += [f"## Pages at {scale} complaints", ""]
        out += page_table(scale, scales[scale]["pages"], other)
        out.append("")
    jobs = results.get("jobs", {})
    if jobs:
        out += [
            "## Jobs (at 1M complaints; the sweep on its own database)",
            "",
            "| Job | Time | Peak memory | SQL queries | Detail |",
            "|---|---:|---:|---:|---|",
        ]
        labels = {
            "export": "Complaint ledger .xlsx, 100,000 rows (streamed to a file)",
            "queue_export": "Staff queue .xlsx export, 100,000 rows",
            "results": "Appraisal results (300 offices, 500,000 ballots)",
            "sweep_10000": "Reminder sweep, 10,000 deadlines due",
            "sweep_100000": "Reminder sweep, 100,000 deadlines due",
        }
        for key, job in jobs.items():
            detail = {k: v for k, v in job.items() if k not in ("seconds", "peak_rss_mb", "queries", "seconds_inside")}
            out.append(
                f"| {labels.get(key, key)} | {job['seconds']} s | {job['peak_rss_mb']} MB | {job['queries']} | "
                f"{', '.join(f'{k}: {v}' for k, v in detail.items())} |"
            )
        out.append("")
    snapshot_rows = [
        (scale, name, seconds)
        for scale, data in scales.items()
        for name, seconds in sorted(data.get("snapshots", {}).items())
    ]
    if snapshot_rows:
        out += [
            "## Figure snapshots (beat, every 4 minutes)",
            "",
            "| Scale | Snapshot | Seconds to retake |",
            "|---|---|---:|",
        ]
        out += [f"| {scale} | {name} | {seconds} |" for scale, name, seconds in snapshot_rows]
        out.append("")
    plans = scales.get("1m", {}).get("explain", {})
    if plans:
        out += [
            "## Query plans at 1M complaints",
            "",
            "`EXPLAIN (ANALYZE, BUFFERS)` of every query that reads the complaints table on these pages.",
            "",
        ]
        for key, queries in plans.items():
            out.append(f"### {key}")
            out.append("")
            for query in queries:
                out += ["```sql", query["sql"][:1500], "```", "```", query["plan"], "```", ""]
    if FINDINGS.exists():
        out += [FINDINGS.read_text().rstrip(), ""]
    return "\n".join(out) + "\n"
