#!/usr/bin/env python
"""``make run``'s process manager: starts every process of Procfile.dev (the web
server, the Celery worker with beat), prefixes each line with the time in the
portal's TIME_ZONE and the process's name, prints the demo users once the web
server is ready, and stops everything on one Ctrl-C with exit status 0.

Why not honcho: it stops processes by sending SIGTERM to each one's whole process
group, so every Celery pool child died of a signal and the worker logged ERROR
lines for each; its own prefix was in the machine's time zone (UTC) while every
line after it was in the portal's; and it exits 130/143 after a Ctrl-C, which
make reports as an error. Here the web server gets SIGINT (runserver's own quiet
stop) and the worker's main process alone gets SIGTERM (Celery's warm shutdown,
which stops its pool itself).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"Quit the server with")
STOP_SIGNAL = {"web": signal.SIGINT}  # everything else: SIGTERM
GRACE_SECONDS = 15


def procfile(path: Path) -> list[tuple[str, str]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            entries.append((name.strip(), os.path.expandvars(command.strip())))
    return entries


def setup_django():
    """Settings give the time zone (and set this process's TZ to it) and the demo users."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def demo_users_text() -> str:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_users", stdout=out)
    return out.getvalue()


class Runner:
    def __init__(self, entries: list[tuple[str, str]], *, announce: str = ""):
        self.entries = entries
        self.announce = announce
        self.processes: dict[str, subprocess.Popen] = {}
        self.width = max(len(name) for name, _ in entries)
        self.lock = threading.Lock()
        self.stopping = False

    def say(self, name: str, text: str) -> None:
        with self.lock:
            sys.stdout.write(f"{time.strftime('%H:%M:%S')} {name:<{self.width}} | {text}\n")
            sys.stdout.flush()

    def pump(self, name: str, process: subprocess.Popen) -> None:
        for raw in process.stdout or ():  # started with stdout=PIPE
            line = raw.rstrip("\n")
            self.say(name, line)
            if name == "web" and self.announce and READY.search(line):
                with self.lock:
                    sys.stdout.write("\n" + self.announce + "\n")
                    sys.stdout.flush()

    def start(self) -> None:
        for name, command in self.entries:
            process = subprocess.Popen(
                shlex.split(command),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
                # Its own session: the terminal's Ctrl-C reaches this script only, which
                # then stops each process the way that process stops cleanly.
                start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            self.processes[name] = process
            threading.Thread(target=self.pump, args=(name, process), daemon=True).start()

    def stop(self, *_args) -> None:
        if self.stopping:
            return
        self.stopping = True
        self.say("system", "stopping…")
        for name, process in self.processes.items():
            if process.poll() is None:
                if name == "web":
                    # runserver's reloader and the server it runs: both stop on SIGINT.
                    os.killpg(process.pid, STOP_SIGNAL[name])
                else:
                    process.send_signal(STOP_SIGNAL.get(name, signal.SIGTERM))

    def run(self) -> int:
        """Until Ctrl-C, or until a process ends by itself (then the others are stopped
        and the exit status says so)."""
        self.start()
        failed = 0
        while not self.stopping:
            ended = [(name, p.returncode) for name, p in self.processes.items() if p.poll() is not None]
            if ended:
                name, status = ended[0]
                self.say("system", f"{name} ended by itself (exit status {status}); stopping the others")
                failed = status or 1
                self.stop()
            time.sleep(0.2)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.say("system", "stopped")
        return failed


def main() -> int:
    os.environ.setdefault("PORT", "8000")  # Procfile.dev's $PORT
    setup_django()
    runner = Runner(procfile(Path(os.environ.get("PROCFILE", ROOT / "Procfile.dev"))), announce=demo_users_text())
    signal.signal(signal.SIGINT, runner.stop)
    signal.signal(signal.SIGTERM, runner.stop)
    return runner.run()


if __name__ == "__main__":
    sys.exit(main())
