"""The forms of /staff/plan/import/: the plan (a file or pasted text, the year its
months fall in, where it goes) and the campaign office's corrections to the preview
(the office each unmatched name means, the dates of each phase)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Campaign
from .importer import PlanPreview, read_document

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class PlanSourceForm(forms.Form):
    document = forms.FileField(
        label=_("Plan document"),
        required=False,
        help_text=_(
            "A Word file (.docx), a filled-in spreadsheet template (.xlsx) or a text file; or paste the text below."
        ),
    )
    text = forms.CharField(
        label=_("Plan text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Simplified or traditional characters. Correct the text here and preview again if needed."),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, help_text=_("The year the plan's months fall in.")
    )
    campaign = forms.ModelChoiceField(
        label=_("Add to campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("— a new campaign —"),
    )
    new_campaign_name = forms.CharField(
        label=_("New campaign's name"),
        required=False,
        max_length=200,
        help_text=_("Left empty, the plan's title."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only campaigns the user plans: a district's campaign office never adds to the city's.
        self.fields["campaign"].queryset = Campaign.objects.planned_by(user).exclude(status=Campaign.Status.CLOSED)
        self.fields["year"].initial = timezone.localdate().year

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and document.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The document is larger than 5 MB."))
        return document

    def clean(self):
        data = super().clean()
        document = data.get("document")
        if document:
            try:
                data["text"] = read_document(document)
            except ValidationError as exc:
                self.add_error("document", exc.message_dict.get("document", exc.messages))
                return data
        if not (data.get("text") or "").strip() and "document" not in self.errors:
            self.add_error("text", _("Choose a plan document or paste its text."))
        return data


class PlanCorrectionsForm(forms.Form):
    """One office choice per name the directory did not match, and the dates of
    each phase (from the plan where it gives them)."""

    def __init__(self, *args, preview: PlanPreview, unmatched: list[str], offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.unmatched = unmatched
        self.phase_count = len(preview.plan.phases)
        for index, name in enumerate(unmatched):
            self.fields[f"office_{index}"] = forms.ModelChoiceField(
                label=name,
                queryset=offices,
                required=False,
                empty_label=_("— choose the office —"),
            )
            matched = preview.mapping.get(name)
            if matched is not None:
                self.initial[f"office_{index}"] = matched.pk
        for index, phase in enumerate(preview.plan.phases):
            for edge, value in (("start", phase.start), ("end", phase.end)):
                self.fields[f"phase_{index}_{edge}"] = forms.DateField(
                    label=_("Phase %(number)d starts") % {"number": index + 1}
                    if edge == "start"
                    else _("Phase %(number)d ends") % {"number": index + 1},
                    required=False,
                    widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                )
                if value and f"phase_{index}_{edge}" not in self.initial:
                    self.initial[f"phase_{index}_{edge}"] = value

    def office_fields(self):
        return [self[f"office_{index}"] for index in range(len(self.unmatched))]

    def phase_fields(self, index: int):
        return self[f"phase_{index}_start"], self[f"phase_{index}_end"]

    def mapping(self) -> dict[str, int]:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {name: data[f"office_{i}"].pk for i, name in enumerate(self.unmatched) if data.get(f"office_{i}")}

    def phase_dates(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {
            i: (data.get(f"phase_{i}_start"), data.get(f"phase_{i}_end"))
            for i in range(self.phase_count)
            if data.get(f"phase_{i}_start") or data.get(f"phase_{i}_end")
        }

    def clean(self):
        data = super().clean()
        for index, name in enumerate(self.unmatched):
            if not data.get(f"office_{index}"):
                self.add_error(f"office_{index}", _("Choose the office “%(name)s” means.") % {"name": name})
        for index in range(self.phase_count):
            start, end = data.get(f"phase_{index}_start"), data.get(f"phase_{index}_end")
            if not start:
                self.add_error(f"phase_{index}_start", _("Give the date the phase starts."))
            if not end:
                self.add_error(f"phase_{index}_end", _("Give the date the phase ends."))
            if start and end and end < start:
                self.add_error(f"phase_{index}_end", _("A phase cannot end before it starts."))
        return data
