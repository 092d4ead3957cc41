"""Forms of the oversight pages. They check shape; the rules live in the services,
whose errors are put back next to the fields."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Office
from kernel.validators import validate_attachment

from .models import Bulletin, DisclosureItem


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, Office document, image or plain text, at most 10 MB. The file's content must match its name."
        ),
    )
    note = forms.CharField(
        label=_("Note to the campaign office"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators = [validate_attachment]
        self.helper = _helper()


class ReviewForm(forms.Form):
    DECISIONS = [("accept", pgettext_lazy("deliverable", "Accept")), ("return", _("Return for changes"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return it: say what must change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say what must change before the deliverable can be accepted."))
        return cleaned


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Bulletin.Kind.choices)
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=Bulletin.Audience.choices,
        help_text=_("Public bulletins appear on the public results pages and their feed once published."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        help_text=_("Plain text. Leave an empty line between paragraphs; HTML is shown as typed, never interpreted."),
    )
    offices = forms.ModelMultipleChoiceField(
        label=_("Offices concerned"),
        required=False,
        queryset=Office.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = Office.objects.filter(is_active=True).order_by("name")
        self.helper = _helper()


class PrepareForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to publish"))
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty for the standard title with today's date."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DisclosureItem.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
        self.helper = _helper()


class OfficeFilterForm(forms.Form):
    """GET filters; an invalid value is reported next to its field and ignored."""

    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects.none(), empty_label=_("All offices")
    )

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices if offices is not None else Office.objects.order_by("name")
        self.fields["office"].widget.attrs["class"] = "form-select form-select-sm"

    def value(self, name):
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)


class LevelReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(
        label=_("Covering note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the level above should know with the figures: what was done, what is late and why."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
