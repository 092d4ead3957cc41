"""The lock files pin everything pyproject.toml asks for (`make lock` writes them;
scripts/check_lock.py, which `make install` runs too). Read from the files only: no
network."""

import re

import pytest
from packaging.version import Version

from scripts.check_lock import LOCKS, PIN, ROOT, pins, problems, requirements, unpinned


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_dependency_in_pyproject_is_pinned_in_the_lock(lock):
    assert unpinned(requirements(*LOCKS[lock]), pins(lock)) == [], f"run `make lock`: {lock} is behind pyproject.toml"


def test_the_dev_lock_installs_the_runtime_dependencies_at_the_image_s_versions():
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_carries_its_hashes_so_pip_runs_with_require_hashes(lock):
    text = (ROOT / lock).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    assert [entry.split(" ", 1)[0] for entry in entries if PIN.match(entry) and "--hash=sha256:" not in entry] == []
    header = "\n".join(text.splitlines()[:8])
    assert "pip-compile" in header and f"--output-file={lock}" in header, "the command that wrote it heads the file"


def test_a_requirement_the_lock_lacks_or_refuses_is_reported():
    locked = {"django": Version("5.2.1")}
    assert unpinned(["Django>=5.2,<5.3"], locked) == []
    assert unpinned(["Django>=6"], locked) == ["Django>=6: locked at 5.2.1"]
    assert unpinned(["celery[redis]>=5.4"], locked) == ["celery[redis]>=5.4: not in the lock"]
    assert unpinned(["tomli; python_version < '3.0'"], locked) == []


def test_the_install_check_reports_nothing_for_the_committed_locks():
    assert problems() == []
