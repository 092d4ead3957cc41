"""FastSelect writes, in Python, exactly the HTML Django's Select renders with templates."""

import datetime as dt

import pytest
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from kernel.widgets import FastSelect

NASTY = "Fish & <Chips> \"quoted\" 'single'"

CHOICE_SETS = {
    "empty": [],
    "plain": [("", "---------"), ("1", "One"), ("2", "Two"), (3, "Three")],
    "grouped": [
        ("", "Any"),
        ("top", "Top level"),
        ("Group <A>", [("a1", "A one"), ("a2", "A two")]),
        ("Group & B", (("b1", "B one"),)),
        ("", [("u", "Unnamed group")]),
    ],
    "escaping": [(NASTY, NASTY), ("ok", mark_safe("<b>safe</b>")), ("f", format_html("<i>{}</i>", NASTY))],
    "lazy": [("x", gettext_lazy("Any")), ("y", gettext_lazy("Status"))],
    "none_value": [(None, "Nothing"), ("1", "One")],
    "odd_labels": [("1", 12345), ("2", dt.date(2025, 1, 2)), ("3", "")],
}
VALUES = [None, "", "1", 3, "a2", "b1", NASTY, ["1", "2"], "missing"]
ATTRS = [
    None,
    {"id": "id_x"},
    {"id": "id_x", "class": "form-select form-select-sm", "required": True, "disabled": True},
    {"id": "id_x", "data-filterable": "", "aria-describedby": "id_x_helptext", "hidden": False, "data-n": 5},
    {"id": NASTY, "title": NASTY, "data-safe": mark_safe("<ok>"), "data-t": ("a", 1)},
]


def _both(choices, **kwargs):
    return forms.Select(choices=choices, **kwargs), FastSelect(choices=choices, **kwargs)


@pytest.mark.parametrize("choices", CHOICE_SETS.values(), ids=CHOICE_SETS.keys())
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_renders_exactly_what_select_renders(choices, value, attrs):
    django_select, fast = _both(choices)
    expected = django_select.render("field<name>", value, attrs=attrs)
    assert fast.render("field<name>", value, attrs=attrs) == expected


def test_widget_attrs_and_multiple_are_kept():
    django_select = forms.SelectMultiple(choices=CHOICE_SETS["grouped"], attrs={"class": "c", "size": 4})
    fast = type("FastSelectMultiple", (FastSelect,), {"allow_multiple_selected": True})(
        choices=CHOICE_SETS["grouped"], attrs={"class": "c", "size": 4}
    )
    assert fast.render("m", ["a1", "b1"], {"id": "id_m"}) == django_select.render("m", ["a1", "b1"], {"id": "id_m"})


def test_model_choice_field_with_grouped_iterator(db):
    from campaigns.models import Office
    from complaints.public_forms import OfficeChoiceField

    parent = Office.objects.create(name="Parent & <Co>")
    Office.objects.create(name='Child "1"', parent=parent)
    Office.objects.create(name="Alone")
    queryset = Office.objects.select_related("parent").order_by("name")
    plain = OfficeChoiceField(queryset=queryset, required=False, empty_label="Not sure", widget=forms.Select)
    fast = OfficeChoiceField(queryset=queryset, required=False, empty_label="Not sure", widget=FastSelect)
    for value in (None, parent.pk, str(parent.pk)):
        assert fast.widget.render("office", value, {"id": "id_office"}) == plain.widget.render(
            "office", value, {"id": "id_office"}
        )


def test_other_templates_are_rendered_by_the_templates():
    class Custom(FastSelect):
        option_template_name = "django/forms/widgets/input_option.html"

    expected = type("Plain", (forms.Select,), {"option_template_name": Custom.option_template_name})(
        choices=CHOICE_SETS["plain"]
    ).render("c", "1")
    assert Custom(choices=CHOICE_SETS["plain"]).render("c", "1") == expected


def test_crispy_forms_sees_a_select():
    """crispy-forms adds the lower-cased class name as a CSS class: still "select"."""
    assert FastSelect.__name__ == "Select"
    assert isinstance(FastSelect(), forms.Select)
