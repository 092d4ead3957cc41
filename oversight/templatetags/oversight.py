from django import template
from django.utils.translation import get_language

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
