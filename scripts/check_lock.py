"""Are the lock files up to date with pyproject.toml?  python scripts/check_lock.py

`make install` installs requirements-dev.txt (the Dockerfile requirements.txt) with
--require-hashes and resolves nothing again, so a dependency added to or narrowed in
pyproject.toml without `make lock` would be missing or at a version it refuses. Prints
what is behind and exits 1; reads the files only (no network). tests/test_lock.py runs
the same checks.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
# (lock file, the pyproject.toml requirements it must pin)
LOCKS = {"requirements.txt": ("runtime",), "requirements-dev.txt": ("runtime", "dev")}


def requirements(*groups: str) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found: list[str] = []
    for group in groups:
        found += project["dependencies"] if group == "runtime" else project["optional-dependencies"][group]
    return found


def pins(name: str) -> dict[str, Version]:
    """{canonical name: version} of the ``name==version`` lines of a lock file."""
    found: dict[str, Version] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match[1])] = Version(match[2])
    return found


def unpinned(wanted: list[str], locked: dict[str, Version]) -> list[str]:
    """The requirements the lock misses or pins at a version they do not allow."""
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        version = locked.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{text}: not in the lock")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{text}: locked at {version}")
    return problems


def problems() -> list[str]:
    return [
        f"{lock}: {problem}"
        for lock, groups in LOCKS.items()
        for problem in unpinned(requirements(*groups), pins(lock))
    ]


def main() -> int:
    behind = problems()
    for line in behind:
        print(line, file=sys.stderr)
    if behind:
        print("The lock files are behind pyproject.toml: run `make lock` and commit them.", file=sys.stderr)
    return 1 if behind else 0


if __name__ == "__main__":
    sys.exit(main())
