"""Forms of the citizens' public complaint pages (no account).

The rules live in ``services``: these forms only turn the request into typed
values, and ``ComplaintForm.clean`` asks ``services.validate_submission`` so that
every mistake is shown next to its field at once, in the service's own words.
"""

from __future__ import annotations

from collections import defaultdict

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaigns.models import Office
from kernel.fields import MultipleFileField as BaseMultipleFileField
from kernel.validators import DOCUMENT_AND_IMAGE_EXTENSIONS
from kernel.widgets import FastSelect

from . import services
from .models import Complaint, ProblemType

ACCEPTED_FILES = ",".join(sorted(DOCUMENT_AND_IMAGE_EXTENSIONS))


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


# --- Several files in one <input type=file multiple> ------------------------------
class MultipleFileField(BaseMultipleFileField):
    def __init__(self, *args, max_files: int = services.MAX_ATTACHMENTS, **kwargs):
        super().__init__(*args, max_files=max_files, accept=ACCEPTED_FILES, **kwargs)


def _describe_files(field: MultipleFileField) -> None:
    """Help text and the hints complaint_form.js uses, in the language of the request."""
    field.help_text = _(
        "Optional. Up to %(n)d photos (JPEG, PNG, GIF, WebP), PDF or Office documents, at most %(size)s each."
    ) % {"n": field.max_files, "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
    field.widget.attrs["data-max-files"] = field.max_files
    field.widget.attrs["data-too-many-text"] = _("At most %(n)d files can be attached.") % {"n": field.max_files}


# --- The office select, grouped by parent office ----------------------------------
class _OfficesByParent(ModelChoiceIterator):
    """Offices without a parent first, then one <optgroup> per parent office.

    Read as plain values, not model instances (a few hundred offices and their
    parents would be most of the page's time); an option's label is the office's
    name, as ``str(office)``."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        top, groups = [], defaultdict(list)
        for pk, name, parent_name in self.queryset.values_list("pk", "name", "parent__name"):
            if parent_name is None:
                top.append((pk, name))
            else:
                groups[parent_name].append((pk, name))
        yield from top
        for parent_name in sorted(groups):
            yield (parent_name, groups[parent_name])


class OfficeChoiceField(forms.ModelChoiceField):
    iterator = _OfficesByParent
    widget = FastSelect


class ProblemTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if description := obj.display_description:
            return format_html(
                '<span class="fw-semibold">{}</span><span class="d-block small text-muted">{}</span>',
                obj.display_name,
                description,
            )
        return format_html('<span class="fw-semibold">{}</span>', obj.display_name)


# --- Filing a complaint -----------------------------------------------------------
class ComplaintForm(forms.Form):
    REAL_NAME, ANONYMOUS = "real", "anonymous"

    office = OfficeChoiceField(
        label=_("Office you are complaining about"),
        queryset=Office.objects.filter(is_active=True).select_related("parent").order_by("name"),
        required=False,
        empty_label=_("Not sure / don't know"),
        help_text=_(
            "Choose “Not sure / don't know” if you don't know which office it was; the complaint centre will find out."
        ),
        error_messages={"invalid_choice": _("Choose an office from the list, or “not sure”.")},
    )
    problem_type = ProblemTypeChoiceField(
        label=_("What kind of problem is it?"),
        queryset=ProblemType.objects.filter(is_active=True),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a problem type from the list."),
            "invalid_choice": _("Choose a problem type from the list."),
        },
    )
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "minlength": services.DESCRIPTION_MIN,
                "maxlength": services.DESCRIPTION_MAX,
                "data-counter": "",
                # {count} and {max} are filled in by complaint_form.js
                "data-counter-text": _("{count} of {max} characters"),
            }
        ),
    )
    occurred_on = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional."),
    )
    location = forms.CharField(
        label=_("Where did it happen?"),
        required=False,
        max_length=200,
        help_text=_("Optional, e.g. “service hall, window 5” or a street address."),
    )
    is_anonymous = forms.ChoiceField(
        label=_("Real name or anonymous?"),
        choices=[(REAL_NAME, _("Real name (recommended)")), (ANONYMOUS, _("Anonymous"))],
        initial=REAL_NAME,
        widget=forms.RadioSelect,
        help_text=_(
            "With your name we can call you back, and a substantiated real-name complaint may earn a reward. "
            "Only the complaint centre ever sees who you are, never the office you complain about. "
            "Anonymous complaints are accepted and investigated too."
        ),
    )
    name = forms.CharField(
        label=_("Your name"), required=False, max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        help_text=_("Digits only, e.g. 13800138000 or 0752-1234567."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_(
            "With your real name: give a phone number, an e-mail address or both. "
            "Anonymous: optional, only if you want the tracking number and updates by e-mail."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    attachments = MultipleFileField(label=_("Photos or documents"))
    # A honeypot: hidden from people (and screen readers), filled in by bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["occurred_on"].widget.attrs["max"] = today.isoformat()
        _describe_files(self.fields["attachments"])
        self.fields["description"].help_text = _(
            "Say what happened, who was involved (a job title or window number is enough) and what you "
            "expected. At least %(min)d and at most %(max)d characters."
        ) % {"min": services.DESCRIPTION_MIN, "max": services.DESCRIPTION_MAX}
        self.helper = _helper()
        self.helper.layout = Layout(
            Fieldset(
                _("Your complaint"),
                Field(
                    "office",
                    data_filterable="",
                    data_filter_label=_("Filter the list of offices"),
                    data_filter_placeholder=_("Type part of the office's name"),
                ),
                "problem_type",
                "description",
                Div(Div("occurred_on", css_class="col-sm-5"), Div("location", css_class="col-sm-7"), css_class="row"),
            ),
            Fieldset(
                _("About you"),
                "is_anonymous",
                Div("name", "phone", data_real_name_only=""),
                Div(
                    HTML(
                        format_html(
                            '<p class="small text-muted mb-2">{}</p>',
                            _(
                                "An anonymous complaint asks for no name or phone. You will get a tracking number and "
                                "an access code to follow it."
                            ),
                        )
                    ),
                    data_anonymous_only="",
                    hidden="",
                ),
                "email",
            ),
            Fieldset(_("Evidence"), "attachments"),
            Div(Field("website", tabindex="-1", autocomplete="off"), css_class="d-none", aria_hidden="true"),
        )

    def clean_occurred_on(self):
        day = self.cleaned_data.get("occurred_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return day

    def clean_is_anonymous(self):
        return self.cleaned_data["is_anonymous"] == self.ANONYMOUS

    def clean(self):
        cleaned = super().clean()
        # The service's own rules, so all mistakes show at once and in one wording;
        # complaint_submit checks them again (and the files' contents) before storing.
        errors = services.validate_submission(
            problem_type=cleaned.get("problem_type"),
            office=cleaned.get("office"),
            description=cleaned.get("description", ""),
            is_anonymous=cleaned.get("is_anonymous", False),
            name=cleaned.get("name", ""),
            phone=cleaned.get("phone", ""),
            email=cleaned.get("email", ""),
            attachments=cleaned.get("attachments", []),
            channel=Complaint.Channel.WEB,
        )
        for field, messages in errors.items():
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


# --- Following a complaint --------------------------------------------------------
class CodeInput(forms.TextInput):
    """Typed in the clear (ten characters are easy to get wrong unseen) but, like a
    password, never written back into the page."""

    def format_value(self, value):
        return None


class TrackForm(forms.Form):
    # No format check here: a malformed number must get the same answer as a wrong code.
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        help_text=_("For example TS-2025-000123."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "maxlength": 40}
        ),
    )
    access_code = forms.CharField(
        label=_("Access code"),
        help_text=_("The code of ten letters and digits you were given with the tracking number."),
        widget=CodeInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "maxlength": 40}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_tracking_number(self):
        return self.cleaned_data["tracking_number"].strip().upper()[:40]

    def clean_access_code(self):
        return self.cleaned_data["access_code"][:40]


class AddInfoForm(forms.Form):
    text = forms.CharField(
        label=_("Information to add"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": services.DESCRIPTION_MAX}),
        help_text=_("Answer the question you were asked, or add anything the handling office should know."),
    )
    attachments = MultipleFileField(label=_("Photos or documents"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe_files(self.fields["attachments"])
        self.helper = _helper()


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Complaint.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the ratings."), "invalid_choice": _("Choose one of the ratings.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("What are you not satisfied with?"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.DESCRIPTION_MAX}),
        max_length=services.DESCRIPTION_MAX,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
