"""The ballot, built from the survey's questions.

The form only turns the POST into typed answers; the rules are
``services.clean_answers``, called from ``clean`` so every mistake shows next to its
answer at once, in the service's words, and called again when the ballot is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kernel.forms import apply_service_errors

from .. import services
from ..models import Question, Rating
from ..selectors import BallotSpec

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from campaigns.models import Office

    # (anchor, what, message)
    SummaryItem = tuple[str, _StrOrPromise, ValidationError | _StrOrPromise]

Kind = Question.Kind
MATRIX_KEY = re.compile(r"^q(\d+)_o(\d+)$")
CHOICE_ERRORS = {"invalid_choice": _("Choose from the options given.")}


@dataclass
class MatrixRow:
    office: Office
    field: forms.BoundField


@dataclass
class Section:
    """One question as the template shows it: a fieldset per matrix office, or one field."""

    question: Question
    number: int
    field: forms.BoundField | None = None
    rows: list[MatrixRow] = dc_field(default_factory=list)
    errors: list[str] = dc_field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"question-{self.question.pk}"


class BallotForm(forms.Form):
    def __init__(self, spec: BallotSpec, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.section_errors: dict[str, list[str]] = {}
        for question in spec.questions:
            name = services.field_name(question.pk)
            if question.kind == Kind.MATRIX:
                for office in spec.offices:
                    self.fields[services.field_name(question.pk, office.pk)] = forms.ChoiceField(
                        label=office.name,
                        choices=Rating.choices,
                        required=False,
                        widget=forms.RadioSelect,
                        error_messages={"invalid_choice": _("Choose one of the four answers.")},
                    )
            elif question.kind == Kind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    required=False,
                    widget=forms.RadioSelect,
                    choices=[(o.pk, o.text) for o in question.options.all()],
                    error_messages=CHOICE_ERRORS,
                )
            elif question.kind == Kind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=question.text,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[(o.pk, o.text) for o in question.options.all()],
                    error_messages=CHOICE_ERRORS,
                )
            elif question.kind == Kind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    required=False,
                    widget=forms.RadioSelect,
                    choices=[(i, str(i)) for i in range(1, 6)],
                    error_messages={"invalid_choice": _("Choose a value from 1 to 5.")},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    strip=True,
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": services.ballots.TEXT_MAX}),
                )

    def _forged_matrix_keys(self) -> dict[int, dict[int, str]]:
        """Matrix answers for offices the ballot does not list: passed on, so the
        service refuses them instead of the form silently dropping them."""
        forged: dict[int, dict[int, str]] = {}
        if not self.is_bound:
            return forged
        for key in self.data:
            match = MATRIX_KEY.match(key)
            if match and key not in self.fields:
                forged.setdefault(int(match[1]), {})[int(match[2])] = self.data[key]
        return forged

    def answers(self) -> dict:
        """The cleaned data in the shape ``services.clean_answers`` takes."""
        data = self.cleaned_data
        forged = self._forged_matrix_keys()
        answers: dict = {}
        for question in self.spec.questions:
            name = services.field_name(question.pk)
            if question.kind == Kind.MATRIX:
                answers[question.pk] = {
                    office.pk: data.get(services.field_name(question.pk, office.pk)) or None
                    for office in self.spec.offices
                } | forged.get(question.pk, {})
            elif question.kind == Kind.MULTIPLE:
                answers[question.pk] = list(data.get(name) or [])
            elif question.kind == Kind.TEXT:
                answers[question.pk] = data.get(name, "")
            else:
                answers[question.pk] = data.get(name) or None
        return answers

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.clean_answers(self.spec, self.answers())
        except ValidationError as exc:
            self.apply_errors(exc)
        return cleaned

    def apply_errors(self, exc: ValidationError) -> None:
        """Put the service's errors next to the answers they are about; one about a whole
        matrix goes above the matrix."""
        apply_service_errors(self, exc, elsewhere=self._add_section_error)

    def _add_section_error(self, key: str, errors: list[ValidationError]) -> None:
        self.section_errors.setdefault(key, []).extend(ValidationError(errors).messages)

    def is_valid(self) -> bool:
        return super().is_valid() and not self.section_errors

    def sections(self) -> list[Section]:
        sections = []
        for number, question in enumerate(self.spec.questions, start=1):
            section = Section(
                question=question, number=number, errors=self.section_errors.get(services.field_name(question.pk), [])
            )
            if question.kind == Kind.MATRIX:
                section.rows = [
                    MatrixRow(office=office, field=self[services.field_name(question.pk, office.pk)])
                    for office in self.spec.offices
                ]
            else:
                section.field = self[services.field_name(question.pk)]
            sections.append(section)
        return sections

    def error_summary(self) -> list[SummaryItem]:
        """(anchor, what, message) for every mistake, for the list at the top of the page."""
        summary: list[SummaryItem] = []
        for section in self.sections():
            label = _("Question %(n)d") % {"n": section.number}
            for message in section.errors:
                summary.append((section.anchor, label, message))
            if section.field is not None and section.field.errors:
                summary.extend((section.anchor, label, m) for m in section.field.errors)
            for row in section.rows:
                summary.extend(
                    (f"{section.anchor}-office-{row.office.pk}", f"{label} · {row.office.name}", m)
                    for m in row.field.errors
                )
        summary.extend(("", _("The ballot"), m) for m in self.non_field_errors())
        return summary


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=60,
        help_text=_("The code printed on your invitation, e.g. 7K3MD-9QXD2-…; dashes and spaces don't matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self):
        from ..tokens import normalise_token

        token = normalise_token(self.cleaned_data["code"])
        if token is None:
            raise forms.ValidationError(
                _("An invitation code has 25 letters and digits. Check it against your invitation."), code="format"
            )
        return token
