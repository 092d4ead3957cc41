"""``{% error_summary form %}``: the GOV.UK error summary for a form sent back with
errors: a box at the top that names each error as a link to its field, focused when
the page loads (static/js/portal.js), so that a field 2,000 px down a phone's page is
one tap away. Every public form uses it."""

from typing import Any

from django import forms, template
from django.forms import BaseForm
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Widgets whose label points at no single input: the link goes to their first option.
MULTIPLE = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def field_anchor(bound: forms.BoundField) -> str:
    if bound.is_hidden or not bound.auto_id:
        return ""
    widget = bound.field.widget
    if isinstance(widget, MULTIPLE):
        return f"{bound.auto_id}_0"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def summary_items(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for each error, in the order of the fields; errors of
    the whole form first, without a link."""
    items = [("", "", str(message)) for message in form.non_field_errors()]
    for bound in form:
        for message in bound.errors:
            # "What kind of problem is it?: …" reads badly; the question mark goes.
            label = str(bound.label or bound.name).rstrip("?？")
            items.append((field_anchor(bound), label, str(message)))
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: BaseForm | None, title: str | None = None, testid: str = "error-summary") -> dict[str, Any]:
    items = summary_items(form) if form is not None and form.is_bound and form.errors else []
    return {"items": items, "title": title or _("There is a problem"), "testid": testid}
