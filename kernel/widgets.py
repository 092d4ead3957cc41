"""Form widgets that render long lists without the template engine.

Django renders every ``<option>`` of a ``Select`` through two templates (the option
and its attributes): a select of 300 offices costs a few thousand template nodes,
several milliseconds a page. ``FastSelect`` writes the same HTML in Python.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: object) -> str:
    """``{{ value }}``: localized, a string, escaped unless it is safe."""
    if type(value) is str:  # the common case, and what conditional_escape() does with it
        return escape(value)
    shown = localize(template_localtime(value))
    if not issubclass(type(shown), str):
        shown = str(shown)
    return conditional_escape(shown)


def _formatted(value: object) -> str:
    """``{{ value|stringformat:'s' }}``: ``str()``, still safe when the value was."""
    if type(value) is str:
        return escape(value)
    if type(value) is int:
        return str(value)
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out, ``True``
    writes its name alone."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """``forms.Select`` that writes the HTML of Django's ``select.html`` and
    ``select_option.html`` templates itself: the same attributes, ``selected``,
    ``<optgroup>``s, whitespace and escaping, so pages and crispy-forms' wrapping stay
    exactly as they were. Options still come from ``optgroups()``/``create_option()``,
    so subclasses that add option attributes keep working; a widget given other
    templates is rendered by the templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        if self.template_name != SELECT_TEMPLATE or self.option_template_name != OPTION_TEMPLATE:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


# crispy-forms adds the widget's lower-cased class name as a CSS class ("select" for
# Django's Select: class="select form-select"). The same name keeps those pages' HTML
# unchanged; repr() and tracebacks still say FastSelect (its __qualname__).
FastSelect.__name__ = "Select"
