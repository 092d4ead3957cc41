"""Pieces shared by the rectification forms."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from campaigns.models import Office


def helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def date_widget(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def textarea(rows=3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class CrispyForm(forms.Form):
    """A crispy form without its own <form> tag; ``prefix_ids`` keeps element ids
    apart when several forms share a page."""

    def __init__(self, *args, prefix_ids: str = "", **kwargs):
        if prefix_ids:
            kwargs.setdefault("auto_id", f"id_{prefix_ids}_%s")
        super().__init__(*args, **kwargs)
        self.helper = helper()


def active_offices():
    return Office.objects.filter(is_active=True).order_by("name")
