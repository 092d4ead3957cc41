import functools
import html

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

register = template.Library()


@register.filter
def pick_name(names):
    """A name stored in every language (``{"zh-hans": …, "zh-hant": …, "en": …}``) in the page's language."""
    if not isinstance(names, dict):
        return names or ""
    language = (get_language() or "zh-hans").lower()
    return names.get(language) or names.get("zh-hans") or next(iter(names.values()), "")


@register.filter
def pct(value):
    """A percentage with one decimal, or a dash when there was nothing to divide by."""
    if value is None or value == "":
        return "—"
    return f"{value}%"


@register.filter
def dash(value):
    return "—" if value is None or value == "" else value


@register.filter
def iso_date(value):
    """A date kept as an ISO string in a snapshot, as a date."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@functools.lru_cache(maxsize=512)
def _escaped(text: str) -> str:
    return html.escape(text)


def _figure(value) -> str:
    # As ``{{ value }}`` renders it: integers as they are (no thousand separator is
    # configured), anything else localized; then escaped.
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return html.escape(str(localize(value)))


@register.simple_tag
def scorecard_row(row, cells, office_url="", office_links=False):
    """One ``<tr>`` of the scorecard (``columns.table_context``): the office, linked to its
    dashboard with ``office_links``, then one ``<td>`` per column.

    Written here rather than with a template per cell: the campaign dashboard has
    offices × columns cells (300 × 17), and rendering each through ``{% include %}``
    took over a second. The markup is the one the templates had:
    ``<td title="definition"><a href="list" data-testid="cell-office-key">value</a>
    <span class="of"> / n</span></td>``; every text is escaped as ``{{ }}`` would
    (``html.escape``, which Django's ``escape`` wraps)."""
    office = _figure(row.office_id)
    name = html.escape(str(row.office_name))
    open_url = getattr(row, "open_url", "")
    if open_url:
        # A level of government read as one row (the roll-up): it opens that level.
        count = html.escape(ngettext("%(n)s office", "%(n)s offices", row.offices) % {"n": row.offices})
        name = (
            f'<a href="{html.escape(open_url)}" data-testid="open-level-{office}">{name}</a>'
            f' <span class="small text-muted text-nowrap">({count})</span>'
        )
    elif office_links and row.office_id:
        name = f'<a href="{html.escape(str(office_url))}?office={office}">{name}</a>'
    parts = [f'<tr data-testid="row-{office}">\n      <th scope="row" class="office-name">{name}</th>\n      ']
    for cell in cells:
        value = cell.value
        if cell.percent:
            shown = "—" if value is None or value == "" else html.escape(f"{value}%")
        else:
            shown = "—" if value is None or value == "" else _figure(value)
        testid = f'data-testid="cell-{office}-{_escaped(cell.key)}"'
        if cell.href:
            figure = f'<a href="{html.escape(cell.href)}" {testid}>{shown}</a>'
        else:
            figure = f"<span {testid}>{shown}</span>"
        of = "" if cell.of is None else f'<span class="of text-muted"> / {_figure(cell.of)}</span>'
        parts.append(f'<td class="text-end text-nowrap" title="{_escaped(cell.title)}">{figure}{of}\n</td>')
    parts.append("\n    </tr>")
    return mark_safe("".join(parts))
