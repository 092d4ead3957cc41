"""``{% filters_in_use as open %}``: whether the list's filter panel starts open on a
phone (templates/includes/filter_toggle.html): when the query string sets a filter.
The page number is not a filter. Reads only the request, so it costs no query."""

from typing import Any

from django import template

register = template.Library()

# The page number and the campaign shown (?campaign=, campaigns/current.py) filter nothing.
NOT_FILTERS = frozenset({"page", "campaign"})


@register.simple_tag(takes_context=True)
def filters_in_use(context: dict[str, Any]) -> bool:
    request = context.get("request")
    if request is None:
        return False
    return any(key not in NOT_FILTERS and any(v.strip() for v in request.GET.getlist(key)) for key in request.GET)
