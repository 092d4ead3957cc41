"""A service's refusal lands on the form as the form's own validation would put it."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from kernel.forms import apply_service_errors


class DeadlineForm(forms.Form):
    deadline = forms.DateField()
    reason = forms.CharField(required=False)


def _valid_form() -> DeadlineForm:
    form = DeadlineForm({"deadline": "2025-10-31", "reason": "因疫情延期"})
    assert form.is_valid()
    return form


def test_an_error_about_a_field_goes_next_to_that_field():
    form = _valid_form()
    apply_service_errors(form, ValidationError({"deadline": "The deadline cannot be after the campaign ends."}))
    assert form.errors == {"deadline": ["The deadline cannot be after the campaign ends."]}
    assert "deadline" not in form.cleaned_data and form.cleaned_data["reason"] == "因疫情延期"


def test_every_message_about_a_field_is_kept():
    form = _valid_form()
    apply_service_errors(form, ValidationError({"reason": ["Give a reason.", "At least five characters."]}))
    assert form.errors["reason"] == ["Give a reason.", "At least five characters."]


def test_an_error_about_no_field_goes_above_the_form():
    form = _valid_form()
    apply_service_errors(form, ValidationError("The campaign is closed."))
    assert form.non_field_errors() == ["The campaign is closed."]
    assert set(form.errors) == {NON_FIELD_ERRORS}


def test_an_error_about_a_field_the_form_does_not_have_goes_above_the_form():
    form = _valid_form()
    apply_service_errors(
        form,
        ValidationError(
            {"office": "Only the lead office may report.", "deadline": "Too late.", NON_FIELD_ERRORS: "No."}
        ),
    )
    assert form.errors["deadline"] == ["Too late."]
    assert form.non_field_errors() == ["Only the lead office may report.", "No."]


def test_errors_about_no_field_of_the_form_can_be_sent_elsewhere():
    form = _valid_form()
    aside = {}

    def keep(name, errors):
        aside[name] = ValidationError(errors).messages

    apply_service_errors(form, ValidationError({"q7": "Rate every office.", "reason": "Too short."}), elsewhere=keep)
    assert aside == {"q7": ["Rate every office."]}
    assert form.errors == {"reason": ["Too short."]}
