"""Bar charts as server-rendered SVG geometry: no script, no CDN, no style attribute.

The numbers are computed here as plain strings (so no locale can put a comma in an
SVG coordinate); the templates draw <rect>s from them, and every chart has its
numbers in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import Rating
from .selectors import SurveyResults

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

WIDTH = 480
LABEL_WIDTH = 112
PLOT_X = 120
PLOT_WIDTH = 300
ROW = 28
BAR = 18
TOP = 8
AXIS = 26


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


@dataclass
class Segment:
    css: str
    x: str
    width: str
    title: str


@dataclass
class Row:
    label: str
    y: str
    text_y: str
    segments: list[Segment]
    value_x: str
    value: str
    css: str = ""


@dataclass
class Tick:
    x: str
    label: str


@dataclass
class Chart:
    width: int
    height: int
    rows: list[Row]
    ticks: list[Tick]
    axis_y: str
    plot_x: int = PLOT_X
    label_x: int = LABEL_WIDTH
    plot_bottom: str = "0"

    def svg_rows(self) -> SafeString:
        """The rows' <g>s, as bar_chart.html drew them in a loop (one chart has a row per
        appraised office: hundreds). The coordinates are our own digit strings; every text
        is escaped."""
        label_x = escape(self.label_x)
        return mark_safe(
            "".join(
                [  # noqa: S308 - every value below is escaped
                    ROW_SVG.format(
                        css=escape(row.css),
                        label_x=label_x,
                        text_y=escape(row.text_y),
                        label=escape(Truncator(row.label).chars(14)),
                        value_x=escape(row.value_x),
                        value=escape(row.value),
                        segments="".join(
                            [
                                SEGMENT_SVG.format(
                                    css=escape(s.css),
                                    x=escape(s.x),
                                    y=escape(row.y),
                                    width=escape(s.width),
                                    title=escape(s.title),
                                )
                                for s in row.segments
                            ]
                        ),
                    )
                    for row in self.rows
                ]
            )
        )


ROW_SVG = (
    '\n    <g class="chart-row {css}">\n'
    '      <text class="chart-label" x="{label_x}" y="{text_y}" text-anchor="end">{label}</text>\n'
    "      {segments}\n"
    '      <text class="chart-value" x="{value_x}" y="{text_y}">{value}</text>\n'
    "    </g>\n  "
)
SEGMENT_SVG = '<rect class="{css}" x="{x}" y="{y}" width="{width}" height="18"><title>{title}</title></rect>'


def _chart(rows: list[Row], ticks: list[Tick]) -> Chart:
    height = TOP + len(rows) * ROW + AXIS
    return Chart(
        width=WIDTH,
        height=height,
        rows=rows,
        ticks=ticks,
        axis_y=_n(TOP + len(rows) * ROW + 16),
        plot_bottom=_n(TOP + len(rows) * ROW),
    )


def _row_y(index: int) -> tuple[str, str]:
    top = TOP + index * ROW + (ROW - BAR) / 2
    return _n(top), _n(top + BAR / 2 + 4)


def composite_chart(results: SurveyResults) -> Chart:
    """One bar per office: its composite score on a 0–100 scale."""
    rows = []
    for index, result in enumerate(results.offices):
        y, text_y = _row_y(index)
        score = result.composite_score
        width = float(score) / 100 * PLOT_WIDTH if score is not None else 0
        if score is None:
            value, css = _("no valid responses"), "is-empty"
        elif result.insufficient:
            value, css = f"{score}", "is-insufficient"
        else:
            value = f"{score}"
            css = "is-top" if result.most_satisfactory else "is-lagging" if result.lagging else ""
        rows.append(
            Row(
                label=result.office.display_name,
                y=y,
                text_y=text_y,
                value_x=_n(PLOT_X + width + 6),
                value=value,
                css=css,
                segments=[
                    Segment(css="bar-composite", x=_n(PLOT_X), width=_n(width), title=f"{result.office.name}: {value}")
                ]
                if width
                else [],
            )
        )
    ticks = [Tick(x=_n(PLOT_X + PLOT_WIDTH * t / 100), label=str(t)) for t in range(0, 101, 20)]
    return _chart(rows, ticks)


RATING_CSS: dict[str, str] = {
    Rating.SATISFIED: "bar-satisfied",
    Rating.BASIC: "bar-basic",
    Rating.DISSATISFIED: "bar-dissatisfied",
    Rating.UNKNOWN: "bar-unknown",
}


def ratings_by_group_chart(results: SurveyResults) -> Chart:
    """One stacked bar per group: the shares of its four ratings over all offices."""
    rows = []
    labels = dict(Rating.choices)
    for index, cell in enumerate(results.group_totals):
        y, text_y = _row_y(index)
        tally = cell.tally
        segments, x = [], 0.0
        for rating in Rating.values:
            count = tally.count(rating)
            if not count:
                continue
            width = count / tally.responses * PLOT_WIDTH
            segments.append(
                Segment(
                    css=RATING_CSS[rating],
                    x=_n(PLOT_X + x),
                    width=_n(width),
                    title=f"{cell.group.name} · {labels[rating]}: {count}",
                )
            )
            x += width
        rows.append(
            Row(
                label=cell.group.name,
                y=y,
                text_y=text_y,
                segments=segments,
                value_x=_n(PLOT_X + PLOT_WIDTH + 6),
                value=str(tally.responses),
            )
        )
    ticks = [Tick(x=_n(PLOT_X + PLOT_WIDTH * t / 100), label=f"{t}%") for t in range(0, 101, 25)]
    return _chart(rows, ticks)


def legend() -> list[tuple[str, _StrOrPromise]]:
    return [(RATING_CSS[value], label) for value, label in Rating.choices]
