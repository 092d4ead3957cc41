"""The scorecard read at a level of government (汇总, the roll-up).

The scorecard has one row per office. Read at a level — the city, a district —
the offices that belong to that level directly (its departments and their
sections, and the level's own office) keep a row each, and every level of
government directly below it (each district, for the city; each township, for
a district) becomes one row: the sum of every office under it. The reader opens
such a row to read that level the same way, down to the township.

Counts add up exactly: a level's row is the sum of its offices' counts, and the
rates of a summed row are worked out from the summed counts (a district's
on-time rate is its offices' closed-on-time complaints over their closed ones,
never an average of rates). A figure that cannot be added — an appraisal score
and rank — is left empty on a level's row. The totals row sums every row shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from campaigns.levels import ROW, common_level_path, group_by_level
from campaigns.models import Office

from .figures import add_figures
from .scorecard import Scorecard, ScorecardRow, _empty_factory

#: ``?view=levels`` reads the scorecard by level; ``?node=<id>`` names the level read.
VIEW = "levels"


def summed(card: Scorecard, rows: list[ScorecardRow]) -> dict[str, Any]:
    return {key: add_figures((r.figures[key] for r in rows), _empty_factory(key)()) for key in card.columns}


@dataclass
class LevelRow(ScorecardRow):
    """A level of government below the one read, as one row: its offices' sums."""

    offices: int = 0  # offices under it with a row in the scorecard
    open_url: str = ""  # the address that reads this level


@dataclass
class ReadAtLevel:
    node: Office | None  # the level read; None: the top of the reader's reach (the whole tree)
    trail: list[Office]  # the levels from the top of the reader's reach down to ``node``
    card: Scorecard  # the rows at this level: its own offices, then a LevelRow per level below
    total: ScorecardRow = field(default_factory=lambda: ScorecardRow(0, ""))


def read_at(
    card: Scorecard, *, reach: QuerySet[Office], node: Office | None, url: str, total_label: str
) -> ReadAtLevel:
    """``card`` (rows of the offices in ``reach``) read at ``node``, a level of
    government in ``reach`` (None: the top of the reach). Two queries: the offices
    under ``node``, and the levels above it down from the top of the reach (the trail)."""
    top = node.path if node is not None else ""
    under = reach.filter(path__startswith=top) if top else reach
    offices = list(under.values_list(*ROW))
    if node is None:
        top = common_level_path(level_path for _pk, _n, _p, level_path, _l in offices)
    grouped = group_by_level(top, offices)
    rows_by_office = {row.office_id: row for row in card.rows}
    own = [rows_by_office[pk] for pk in grouped.own if pk in rows_by_office]
    groups = {level: [rows_by_office[pk] for pk in pks if pk in rows_by_office] for level, pks in grouped.below.items()}
    level_rows: list[ScorecardRow] = [
        LevelRow(
            pk,
            grouped.names[pk],
            summed(card, members),
            offices=len(members),
            open_url=f"{url}?view={VIEW}&node={pk}",
        )
        for pk, members in groups.items()
    ]
    shown = [*sorted(own, key=lambda r: r.office_name), *sorted(level_rows, key=lambda r: r.office_name)]
    trail_pks = [int(p) for p in top.split(".") if p]
    trail = list(reach.filter(pk__in=trail_pks).order_by("path")) if trail_pks else []
    result = Scorecard(columns=card.columns, rows=shown, today=card.today, as_of=card.as_of)
    return ReadAtLevel(
        node=node,
        trail=trail,
        card=result,
        total=ScorecardRow(0, total_label, summed(card, [*own, *(m for ms in groups.values() for m in ms)])),
    )
