"""Forms of the campaign office's appraisal pages. They type the input; the services
hold the rules and their errors are put back next to the fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Office

from .. import services
from ..models import Hearing, Panelist, Question, RespondentGroup, Survey

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


def _offices(user=None):
    """The active offices to appraise: those in ``user``'s reach (campaigns/scope.py),
    so a district appraises its own offices only."""
    offices = Office.objects.filter(is_active=True).order_by("name")
    if user is None:
        return offices
    from campaigns import scope

    return offices.filter(pk__in=scope.offices(user).values("pk")) if not user.is_superuser else offices


class OfficesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class SurveyForm(forms.ModelForm):
    offices = OfficesField(label=_("Offices appraised"), queryset=_offices(), required=False)
    standard_ballot = forms.BooleanField(
        label=_("Start from the standard ballot"),
        required=False,
        initial=True,
        help_text=_(
            "The office rating matrix and five respondent groups (service recipients and enterprises 30, "
            "deputies and committee members 25, supervisors 20, the public 15 with an open link, "
            "government staff 10). Change them before opening."
        ),
    )

    class Meta:
        model = Survey
        fields = [
            "title",
            "intro",
            "opens_at",
            "closes_at",
            "offices",
            "score_satisfied",
            "score_basic",
            "score_dissatisfied",
            "min_valid_responses",
            "most_satisfactory_count",
            "lagging_count",
        ]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "intro": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, creating: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = _offices(user)  # type: ignore[attr-defined]
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]  # type: ignore[attr-defined]
        if not creating:
            del self.fields["standard_ballot"]
        frozen = self.instance.pk and services.voting_has_begun(self.instance.pk)
        if frozen:
            self.fields["offices"].disabled = True
            self.fields["offices"].help_text = _("Voting has begun: the offices can no longer change.")

    def _post_clean(self):
        # The services validate the model (and more) when saving; skip the ModelForm's
        # own instance validation so errors are not reported twice.
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("standard_ballot", None)
        return data


class GroupForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Group"), max_length=80)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=0, max_value=100)
    open_link = forms.BooleanField(label=_("Open public link"), required=False)


class BaseGroupFormSet(forms.BaseFormSet):
    def specs(self) -> list[services.GroupSpec]:
        return [
            services.GroupSpec(
                name=f.cleaned_data["name"],
                weight=f.cleaned_data["weight"],
                open_link=f.cleaned_data.get("open_link", False),
                id=f.cleaned_data.get("id"),
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        errors = services.group_errors(self.specs())
        if errors:
            raise forms.ValidationError(errors)


GroupFormSet = forms.formset_factory(GroupForm, formset=BaseGroupFormSet, extra=1, can_delete=True)
# Once voting has begun: the same groups, names and open links only (the service refuses the rest).
FrozenGroupFormSet = forms.formset_factory(GroupForm, formset=BaseGroupFormSet, extra=0, can_delete=False)


def group_initial(groups) -> list[dict]:
    return [{"id": g.pk, "name": g.name, "weight": g.weight, "open_link": g.open_link} for g in groups]


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single and multiple choice: one option per line."),
    )

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]

    @classmethod
    def for_question(cls, question: Question):
        return cls(
            initial={
                "text": question.text,
                "kind": question.kind,
                "required": question.required,
                "options": "\n".join(o.text for o in question.options.all()),
            }
        )


class BatchForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Respondent group"), queryset=RespondentGroup.objects.none(), empty_label=None
    )
    size = forms.IntegerField(label=_("Number of invitations"), min_value=1, max_value=services.MAX_BATCH, initial=20)
    label = forms.CharField(
        label=_("What for"), max_length=120, required=False, help_text=_("e.g. “enterprises' forum, 12 December”.")
    )
    note = forms.CharField(
        label=_("Given to"),
        max_length=200,
        required=False,
        help_text=_("Optional, the same note on every invitation of the batch."),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = survey.groups.order_by("order", "pk")  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Given to"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


# --- Hearings ------------------------------------------------------------------------------------
class HearingForm(forms.ModelForm):
    offices = OfficesField(label=_("Offices examined"), queryset=_offices())

    class Meta:
        model = Hearing
        fields = ["title", "date", "place", "offices", "summary"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = _offices(user)
        if self.instance.pk and self.instance.poll_id:
            self.fields["offices"].disabled = True
            self.fields["offices"].help_text = _("The opinion poll lists these offices: they can no longer change.")

    def _post_clean(self):
        pass


class PanelistForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Group"), choices=Panelist.Kind.choices)
    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=120,
        required=False,
        help_text=_("e.g. “deputy to the district people's congress”, “enterprise”."),
    )


class HearingQuestionForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office asked"), queryset=Office.objects.none())
    asked_by = forms.ModelChoiceField(
        label=_("Asked by"), queryset=Panelist.objects.none(), required=False, empty_label=_("(the panel)")
    )
    question = forms.CharField(label=_("Question raised"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label=_("The office's answer"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, hearing: Hearing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = hearing.offices.order_by("name")  # type: ignore[attr-defined]
        self.fields["asked_by"].queryset = hearing.panel.order_by("kind", "pk")  # type: ignore[attr-defined]


class PollForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
    )

    @classmethod
    def for_hearing(cls, hearing: Hearing):
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(dt.datetime.combine(hearing.date, dt.time(8, 0)), tz)
        return cls(initial={"opens_at": start, "closes_at": start + dt.timedelta(hours=12)})

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return cleaned
