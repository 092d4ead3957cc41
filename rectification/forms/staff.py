"""Forms of the staff pages: problems, the plan, commitments, progress, and the
campaign office's decisions."""

from __future__ import annotations

from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns import scope
from campaigns.models import Office
from complaints.public_forms import MultipleFileField, _describe_files

from .. import rules
from ..models import Commitment, LookBack, Plan, Problem
from ..services.common import MAX_EVIDENCE_FILES
from .base import CrispyForm, active_offices, date_widget, textarea

Status = Commitment.Status


# --- Problems ------------------------------------------------------------------------
class ComplaintChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        replied = timezone.localdate(obj.replied_at).isoformat() if obj.replied_at else ""
        office = obj.office.display_name if obj.office_id else ""
        return f"{obj.tracking_number} · {obj.problem_type.display_name} · {office} {replied}".strip()


class ProblemForm(CrispyForm):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    source = forms.ChoiceField(label=_("Found through"), choices=Problem.Source.choices)
    description = forms.CharField(label=_("The problem"), widget=textarea(4))
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Problem.Severity.choices,
        initial=Problem.Severity.SIGNIFICANT,
        widget=forms.RadioSelect,
    )
    found_on = forms.DateField(label=_("Found on"), widget=date_widget())
    complaints = ComplaintChoiceField(
        label=_("Complaints that revealed it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For problems found through complaints: the office's complaints found substantiated and closed."),
    )
    appraisal_reference = forms.CharField(
        label=_("Appraisal reference"),
        required=False,
        max_length=200,
        help_text=_("For problems found by an appraisal: which survey or result, e.g. “2026 民主评议, item 3”."),
    )

    def __init__(self, *args, user, complaints_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_on"].initial = timezone.localdate()
        self.fields["found_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if rules.is_coordinator(user):
            self.fields["office"].queryset = scope.offices(user).filter(is_active=True).order_by("name")
        else:
            # Office staff record their own office's problems only.
            del self.fields["office"]
        self.fields["complaints"].queryset = complaints_qs
        self.helper.layout = Layout(
            *(["office"] if "office" in self.fields else []),
            "source",
            "description",
            "severity",
            "found_on",
            Div("complaints", data_show_when="source=complaint"),
            Div("appraisal_reference", data_show_when="source=appraisal"),
        )


# --- The plan -----------------------------------------------------------------------------
class PlanForm(CrispyForm):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=textarea(8),
        help_text=_("What the office found and how it will rectify it. Required before submitting."),
    )
    approved_collectively_on = forms.DateField(
        label=_("Approved collectively by the leadership on"),
        required=False,
        widget=date_widget(),
        help_text=_(
            "The date of the leadership meeting that discussed and approved the plan (领导班子集体讨论决定). "
            "Required before submitting."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_collectively_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class ReasonForm(CrispyForm):
    """One text field: the comments of a return, the reason of a send-back or a flag."""

    reason = forms.CharField(label=_("Reason"), widget=textarea(3), max_length=4000)

    def __init__(self, *args, label=None, help_text=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text
        self.fields["reason"].required = required


# --- Commitments ----------------------------------------------------------------------------
class ProblemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.get_severity_display()} · {obj.description[:120]}"


class CommitmentForm(CrispyForm):
    problems = ProblemChoiceField(
        label=_("Problems it answers"),
        queryset=Problem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the problem or problems this commitment answers.")},
    )
    content = forms.CharField(
        label=_("What will be rectified (整改内容和事项)"),
        widget=textarea(3),
        error_messages={"required": _("Say what will be rectified.")},
    )
    measures = forms.CharField(
        label=_("Measures (整改措施)"),
        widget=textarea(4),
        error_messages={
            "required": _("Say which measures will be taken; a commitment without measures is not accepted.")
        },
    )
    goal = forms.CharField(
        label=_("Goal: what it will achieve (达到什么目标)"),
        widget=textarea(2),
        error_messages={"required": _("Say what the rectification will achieve.")},
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=date_widget(),
        error_messages={"required": _("Give a deadline; every commitment has one.")},
    )
    handling = forms.ChoiceField(
        label=_("Handling"),
        choices=Commitment.Handling.choices,
        initial=Commitment.Handling.BY_DEADLINE,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Public explanation"),
        required=False,
        widget=textarea(3),
        help_text=_("Why the problem cannot be solved at once, and the steps that will solve it. Published."),
    )
    higher_office = forms.ModelChoiceField(
        label=_("Higher office asked to coordinate"),
        queryset=Office.objects.none(),
        required=False,
    )
    responsible_office = forms.ModelChoiceField(label=_("Responsible office"), queryset=Office.objects.none())
    responsible_person = forms.CharField(
        label=_("Responsible person"),
        max_length=80,
        error_messages={"required": _("Name the person responsible.")},
        help_text=_("The person answerable for it; not necessarily a portal user."),
    )
    responsible_title = forms.CharField(label=_("Their title"), max_length=80, required=False)
    scope = forms.ChoiceField(
        label=_("Publication scope"),
        choices=Commitment.Scope.choices,
        initial=Commitment.Scope.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_(
            "Internal commitments (for one post, say) are shown within the office only. "
            "Key departments publish through the media as well."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the revision"),
        required=False,
        widget=textarea(2),
        help_text=_(
            "Published with the revision: the public reads “revised on … because …”. "
            "Needed when the content, measures, goal or deadline change; a deadline is extended only with one."
        ),
    )

    def __init__(self, *args, plan: Plan, commitment: Commitment | None = None, **kwargs):
        data = args[0] if args else kwargs.get("data")
        if commitment is not None and data is None:
            kwargs["initial"] = {
                "problems": list(commitment.problems.all()),
                **{
                    f: getattr(commitment, f)
                    for f in (
                        "content",
                        "measures",
                        "goal",
                        "deadline",
                        "handling",
                        "explanation",
                        "higher_office",
                        "responsible_office",
                        "responsible_person",
                        "responsible_title",
                        "scope",
                    )
                },
            }
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = Problem.objects.filter(  # type: ignore[attr-defined]
            office_id=plan.office_id, campaign_id=plan.campaign_id
        ).order_by("-found_on", "-pk")
        offices = active_offices()
        self.fields["responsible_office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["higher_office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["responsible_office"].initial = self.fields["responsible_office"].initial or plan.office_id
        self.published = commitment is not None and commitment.status != Status.DRAFT
        if commitment is None or not self.published:
            del self.fields["reason"]
            self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()
        else:
            # A published commitment's scope only widens: narrower choices are not offered.
            floor = Commitment.SCOPE_ORDER[commitment.scope]
            self.fields["scope"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Commitment.Scope.choices if Commitment.SCOPE_ORDER[value] >= floor
            ]
            self.fields["deadline"].help_text = gettext("Original deadline: %(date)s.") % {
                "date": commitment.original_deadline.isoformat()
            }
        self.helper.layout = Layout(
            Fieldset(_("The problem and the commitment"), "problems", "content", "measures", "goal", "deadline"),
            Fieldset(
                _("How it is handled"),
                "handling",
                Div("explanation", data_show_when="handling=gradual"),
                Div("higher_office", data_show_when="handling=upward"),
            ),
            Fieldset(
                _("Who is responsible"),
                "responsible_office",
                Div(
                    Div("responsible_person", css_class="col-sm-6"),
                    Div("responsible_title", css_class="col-sm-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Publication"), "scope"),
            *(["reason"] if self.published else []),
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["problems"] = list(data["problems"])
        data.pop("reason", None)
        return data


class ProgressForm(CrispyForm):
    percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5, "inputmode": "numeric"}),
        error_messages={
            "min_value": _("Progress is a percentage between 0 and 100."),
            "max_value": _("Progress is a percentage between 0 and 100."),
        },
    )
    reported_on = forms.DateField(label=_("Date"), widget=date_widget())
    text = forms.CharField(label=_("What was done"), widget=textarea(3))
    decrease_reason = forms.CharField(
        label=_("If progress goes down: why"),
        required=False,
        widget=textarea(2),
        help_text=_("Progress never goes down without a reason, which is published with the update."),
    )
    evidence = MultipleFileField(label=_("Evidence"), max_files=MAX_EVIDENCE_FILES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix_ids="progress", **kwargs)
        today = timezone.localdate()
        self.fields["reported_on"].initial = today
        self.fields["reported_on"].widget.attrs["max"] = today.isoformat()
        _describe_files(self.fields["evidence"])


class CompletionForm(CrispyForm):
    text = forms.CharField(label=_("What was done and how the goal was reached"), widget=textarea(4))
    reported_on = forms.DateField(label=_("Completed on"), widget=date_widget())
    evidence = MultipleFileField(label=_("Evidence"), max_files=MAX_EVIDENCE_FILES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix_ids="complete", **kwargs)
        today = timezone.localdate()
        self.fields["reported_on"].initial = today
        self.fields["reported_on"].widget.attrs["max"] = today.isoformat()
        _describe_files(self.fields["evidence"])
        self.fields["evidence"].help_text = _(
            "Required: at least one document or photo showing the result (PDF, Office documents or photos)."
        )


class LookBackForm(CrispyForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(LookBack.Outcome.REOPENED, _("Reopen it")), (LookBack.Outcome.KEPT, _("Keep it as it is"))],
    )
    reason = forms.CharField(label=_("Reason"), widget=textarea(3), help_text=_("The office reads it."))

    def __init__(self, *args, reopenable: bool = True, **kwargs):
        super().__init__(*args, prefix_ids="lookback", **kwargs)
        if not reopenable:
            outcome = self.fields["outcome"]
            kept = [c for c in outcome.choices if c[0] != LookBack.Outcome.REOPENED]  # type: ignore[attr-defined]
            outcome.choices = kept  # type: ignore[attr-defined]
            self.fields["outcome"].initial = LookBack.Outcome.KEPT


class ModerationForm(CrispyForm):
    PUBLISH, REJECT = "publish", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(PUBLISH, _("Publish")), (REJECT, _("Do not publish"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=textarea(2),
        help_text=_("Needed when the comment is not published; kept for the record, never shown."),
    )


class ResultsForm(CrispyForm):
    note = forms.CharField(label=_("Note to the public"), required=False, widget=textarea(4))
    confirm = forms.BooleanField(
        label=_("I understand the figures are frozen as they stand now and cannot be published again."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
