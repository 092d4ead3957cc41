"""Offices grouped by level of government: the one rule behind every reading "by
level" (the dashboard's roll-up, oversight/selectors/rollup.py, and the public
complaint statistics, complaints/selectors.py).

Read at a level (a node of the office tree, by its path), an office belongs either
to that level itself — its own departments and their sections, and the node — or
to the first level of government below it on the way down to the office: a
district's bureaus, streets and the streets' offices all belong to the district,
for the city."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models.offices import is_government_level

#: (pk, name, path, level_path, level): what ``Office.objects.values_list(*ROW)`` gives.
ROW = ("pk", "name", "path", "level_path", "level")


@dataclass
class ByLevel:
    own: list[int] = field(default_factory=list)  # offices of the level read itself
    below: dict[int, list[int]] = field(default_factory=dict)  # each level below -> its offices
    names: dict[int, str] = field(default_factory=dict)


def group_by_level(top: str, offices: Iterable[tuple[int, str, str, str, str]]) -> ByLevel:
    """Group ``offices`` (rows of ``ROW``, those under ``top`` and the levels among
    them) read at the level whose path is ``top`` ("" for the whole tree). Every
    level of government directly below ``top`` found among ``offices`` gets its
    entry, even with no office of its own listed."""
    rows = list(offices)
    is_level = {pk for pk, _n, _p, _lp, level in rows if is_government_level(level)}
    grouped = ByLevel(names={pk: name for pk, name, *_ in rows})
    for pk, _name, _path, level_path, _level in rows:
        if level_path == top or not level_path.startswith(top):
            grouped.own.append(pk)
            continue
        below = next((int(p) for p in level_path[len(top) :].split(".") if p and int(p) in is_level), None)
        if below is None:
            grouped.own.append(pk)
        else:
            grouped.below.setdefault(below, []).append(pk)
    return grouped


def common_level_path(paths: Iterable[str]) -> str:
    """The longest level path every one of ``paths`` starts with (whole segments):
    the top of a reach."""
    paths = list(paths)
    if not paths:
        return ""
    first = min(paths, key=len)
    common = ""
    for part in first.split(".")[:-1]:
        candidate = f"{common}{part}."
        if all(p.startswith(candidate) for p in paths):
            common = candidate
        else:
            break
    return common
