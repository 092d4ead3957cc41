"""Putting a service's refusal on the form that asked for it.

Services check their rules themselves and raise ``ValidationError``; a view that
called one with a form's data shows the errors on that form, the way the form's
own validation would."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(
    form: forms.BaseForm,
    exc: ValidationError,
    *,
    elsewhere: Callable[[str, list[ValidationError]], None] | None = None,
) -> None:
    """Each error that names one of the form's fields goes next to that field; the
    rest (a message about no field in particular, or about a field the form does
    not have) goes above the form, or to ``elsewhere(name, errors)`` when given."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif elsewhere is not None:
            elsewhere(name, errors)
        else:
            form.add_error(None, errors)
