"""The parts of the results pages that run to one row per appraised office, written
out in Python.

With 300 offices the ranking and the per-office breakdowns are tens of thousands of
cells; drawn by template loops and ``{% include %}`` they took over a second a page.
Here every repeated fragment is a plain format string: office and group names are
escaped with ``escape()``, numbers go through ``localize()`` (once per distinct value)
as ``{{ }}`` would, and the fixed wording is translated once per page. The markup is
the one the templates drew, cell for cell.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import OfficeResult, SurveyResults

DASH = "—"


class Numbers:
    """``{{ value }}`` for numbers: what ``localize()`` gives, escaped. Without thousand
    separators (our setting) that is the digits of an int and of a Decimal with the
    language's decimal separator, so those two are written out directly; anything else,
    or with separators on, goes through ``localize()``, once per distinct value."""

    def __init__(self):
        self._seen: dict = {}
        self._fast = not settings.USE_THOUSAND_SEPARATOR
        self._decimal_sep = get_format("DECIMAL_SEPARATOR")

    def __call__(self, value) -> str:
        kind = type(value)
        if self._fast:
            if kind is int:
                return str(value)
            if kind is Decimal:
                text = f"{value:f}"
                # Past 200 digits localize() switches to scientific notation.
                if len(text) < 200:
                    return text if self._decimal_sep == "." else text.replace(".", self._decimal_sep)
        # Decimal("1.50") == Decimal("1.5") == 1.5: key by type and text.
        key = (kind, str(value))
        try:
            return self._seen[key]
        except KeyError:
            text = self._seen[key] = escape(str(localize(value)))
            return text

    def or_dash(self, value, suffix: str = "") -> str:
        return DASH if value is None else self(value) + suffix


# --- The ranking table's rows (evaluations/includes/ranking_table.html) -------------------------
RANKING_ROW = (
    '\n    <tr id="{anchor}" class="{css}" data-office="{pk}">\n'
    '      <td class="text-end">{rank}</td>\n'
    '      <th scope="row" class="fw-normal">{name}\n'
    "        {top}\n"
    "        {lagging}\n"
    "        {insufficient}\n"
    "      </th>\n"
    '      <td class="text-end">{score}</td>\n'
    '      <td class="text-end">{rate}</td>\n'
    '      <td class="text-end">{valid}</td>\n'
    '      <td class="text-end d-none d-md-table-cell">{responses}</td>\n'
    "    </tr>\n  "
)


def ranking_rows(results: SurveyResults) -> SafeString:
    n = Numbers()
    top = '<span class="badge text-bg-success">{}</span>'.format(_("Most satisfactory"))
    lagging = '<span class="badge text-bg-danger">{}</span>'.format(_("Lagging"))
    insufficient = '<span class="badge text-bg-secondary" data-testid="insufficient">{}</span>'.format(
        _("Insufficient responses")
    )
    rows = []
    for result in results.offices:
        total = result.total
        rows.append(
            RANKING_ROW.format(
                anchor=escape(result.anchor),
                css="table-success" if result.most_satisfactory else "table-danger" if result.lagging else "",
                pk=n(result.office.pk),
                rank=n(result.rank) if result.rank else DASH,
                name=escape(result.office.name),
                top=top if result.most_satisfactory else "",
                lagging=lagging if result.lagging else "",
                insufficient=insufficient if result.insufficient else "",
                score=n.or_dash(result.composite_score),
                rate=n.or_dash(result.composite_rate, "%"),
                valid=n(total.valid),
                responses=n(total.responses),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - names escaped above, the rest are numbers and our wording


# --- One office's counts and figures per group -----------------------------------------------------
def _breakdown_head(show_open: bool) -> str:
    open_head = '<th scope="col" class="text-end">{}</th>'.format(_("Via open link")) if show_open else ""
    dont_know = _("Don't know")
    return (
        "  <thead><tr>\n"
        f'    <th scope="col">{_("Group")}</th>\n'
        '    <th scope="col" class="text-end">w</th>\n'
        f'    <th scope="col" class="text-end"><abbr title="{_("Satisfied")}">S</abbr></th>\n'
        f'    <th scope="col" class="text-end"><abbr title="{_("Basically satisfied")}">B</abbr></th>\n'
        f'    <th scope="col" class="text-end"><abbr title="{_("Dissatisfied")}">D</abbr></th>\n'
        f'    <th scope="col" class="text-end"><abbr title="{dont_know}">U</abbr></th>\n'
        '    <th scope="col" class="text-end">V</th>\n'
        f'    <th scope="col" class="text-end">{_("Rate")}</th>\n'
        f'    <th scope="col" class="text-end">{_("Score")}</th>\n'
        f"    {open_head}\n"
        "  </tr></thead>\n"
        "  <tbody>\n  "
    )


def _figure_cells(indent: str) -> str:
    """The eight figure cells of a breakdown row (the same in the body and the foot)."""
    names = ("weight", "s", "b", "d", "u", "v", "rate", "score")
    return "".join(f'{indent}<td class="text-end">{{{name}}}</td>\n' for name in names)


BREAKDOWN_ROW = (
    "\n    <tr{muted}>\n"
    '      <th scope="row" class="fw-normal">{group}</th>\n' + _figure_cells("      ") + "      {open}\n"
    "    </tr>\n  "
)
BREAKDOWN_FOOT = (
    "\n  </tbody>\n"
    "  <tfoot><tr>\n"
    '    <th scope="row">{label}</th>\n' + _figure_cells("    ") + "    {open}\n"
    "  </tr></tfoot>\n"
    "</table></div>\n"
)
OPEN_CELL = '<td class="text-end">{}</td>'


class _Breakdowns:
    """Draws evaluations' office breakdowns with the wording translated once."""

    def __init__(self, *, show_open: bool):
        self.n = Numbers()
        self.show_open = show_open
        self.head = _breakdown_head(show_open)
        self.caption = _("%(office)s: ratings and figures by group")
        self.composite = _("Composite")
        self._group_names: dict[int, str] = {}

    def group_name(self, group) -> str:
        try:
            return self._group_names[group.pk]
        except KeyError:
            name = self._group_names[group.pk] = escape(group.name)
            return name

    def __call__(self, result: OfficeResult, name: str) -> str:
        n, show_open = self.n, self.show_open
        parts = [
            '\n<div class="table-responsive"><table class="table table-sm align-middle text-nowrap mb-1">\n'
            '  <caption class="visually-hidden">',
            self.caption % {"office": name},
            "</caption>\n",
            self.head,
        ]
        for cell in result.cells:
            tally = cell.tally
            parts.append(
                BREAKDOWN_ROW.format(
                    muted="" if cell.counted else ' class="text-muted"',
                    group=self.group_name(cell.group),
                    weight=n(cell.group.weight),
                    s=n(tally.satisfied),
                    b=n(tally.basic),
                    d=n(tally.dissatisfied),
                    u=n(tally.unknown),
                    v=n(tally.valid),
                    rate=n.or_dash(cell.rate, "%"),
                    score=n.or_dash(cell.score),
                    open=OPEN_CELL.format(n(tally.open_link)) if show_open else "",
                )
            )
        total = result.total
        parts.append(
            BREAKDOWN_FOOT.format(
                label=self.composite,
                weight=n(result.weight_counted),
                s=n(total.satisfied),
                b=n(total.basic),
                d=n(total.dissatisfied),
                u=n(total.unknown),
                v=n(total.valid),
                rate=n.or_dash(result.composite_rate, "%"),
                score=n.or_dash(result.composite_score),
                open=OPEN_CELL.format(n(total.open_link)) if show_open else "",
            )
        )
        counted = result.counted_cells
        if counted:
            terms = " + ".join(f"{n(c.group.weight)} × {n(c.score)}" for c in counted)
            parts.append(
                f'<p class="small text-muted mb-0"><code>({terms}) ÷ {n(result.weight_counted)} '
                f"≈ {n(result.composite_score)}</code></p>"
            )
        parts.append("\n")
        return "".join(parts)


def public_breakdowns(results: SurveyResults) -> SafeString:
    """The public page's "Check an office's figures": one <details> per office."""
    draw = _Breakdowns(show_open=False)
    parts = []
    for result in results.offices:
        name = escape(result.office.name)
        parts.append(
            f'\n    <details class="mb-2" id="{escape(result.anchor)}-details">\n'
            f"      <summary>{name}</summary>\n      {draw(result, name)}\n    </details>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - names escaped above, the rest are numbers and our wording


def staff_breakdowns(results: SurveyResults) -> SafeString:
    """The staff page's "Each office by group": a heading and the breakdown per office,
    with the ratings that came through the open link."""
    draw = _Breakdowns(show_open=True)
    rank_label = _("rank %(rank)s")
    parts = []
    for result in results.offices:
        name = escape(result.office.name)
        rank = " · " + rank_label % {"rank": draw.n(result.rank)} if result.rank else ""
        parts.append(
            f'\n    <h3 class="h6 mt-3" id="{escape(result.anchor)}-detail">{name}{rank}</h3>\n'
            f"    {draw(result, name)}\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - names escaped above, the rest are numbers and our wording
