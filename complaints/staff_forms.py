"""Forms of the staff complaint pages: the queue's filters, one small form per
workflow step, the staff-entered complaint and the accountability-case decision.

The forms check shape (required, lengths, dates); the rules stay in
``services`` and their errors are put back on these forms' fields. The reply,
callback and publishing forms name their fields as their service's keyword
arguments, so those views pass ``form.cleaned_data`` as it is."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import FilterForm
from campaigns.models import Office
from kernel.fields import MultipleFileField
from kernel.widgets import FastSelect

from . import services
from .models import AccountabilityCase, Complaint, ProblemType, TypicalCase

Status = Complaint.Status
STAFF_CHANNELS = [
    Complaint.Channel.HOTLINE,
    Complaint.Channel.LETTER,
    Complaint.Channel.VISIT,
    Complaint.Channel.MAILBOX,
    Complaint.Channel.SUPERVISOR,
]
WORKFLOW_ORDER = [
    Status.REGISTERED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.INVESTIGATING,
    Status.REPLIED,
    Status.CLOSED,
    Status.NOT_ACCEPTED,
]
MAX_DUE_WITHIN = 60


def _no_form_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


# --- The queue ------------------------------------------------------------------------
SORTS = {
    "-received": (F("received_on").desc(), F("pk").desc()),
    "received": (F("received_on").asc(), F("pk").asc()),
    "due": (F("current_due").asc(nulls_last=True), F("pk").asc()),
    "status": (F("status_order").asc(), F("current_due").asc(nulls_last=True), F("pk").desc()),
}
SORT_CHOICES = [
    ("-received", _("Newest first")),
    ("received", _("Oldest first")),
    ("due", _("Due date, soonest first")),
    ("status", _("Status (workflow order)")),
]


def _office_choices(offices, *, none_label) -> list:
    return [("", _("Any")), ("none", none_label)] + [(str(pk), name) for pk, name in offices]


class QueueFilterForm(FilterForm):
    q = forms.CharField(label=_("Tracking number"), required=False, max_length=20)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    office = forms.ChoiceField(label=_("Office complained about"), required=False, widget=FastSelect)
    handling_office = forms.ChoiceField(label=_("Handling office"), required=False, widget=FastSelect)
    problem_type = forms.ChoiceField(label=_("Problem type"), required=False, widget=FastSelect)
    channel = forms.ChoiceField(label=_("Channel"), required=False, widget=FastSelect)
    transfer_to = forms.ChoiceField(label=_("Transfer waiting for"), required=False, widget=FastSelect)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_within = forms.IntegerField(
        label=_("Due within (working days)"), required=False, min_value=0, max_value=MAX_DUE_WITHIN
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=FastSelect)

    def __init__(self, *args, offices=(), problem_types=(), **kwargs):
        """``offices``: ``(pk, name)`` pairs in the order to list them."""
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), ("open", _("Open (not yet closed)"))] + list(Status.choices)
        self.fields["office"].choices = _office_choices(offices, none_label=_("Not known"))
        self.fields["handling_office"].choices = _office_choices(
            offices, none_label=_("Complaint centre (no office yet)")
        )
        self.fields["problem_type"].choices = [("", _("Any"))] + [(str(t.pk), t.display_name) for t in problem_types]
        self.fields["channel"].choices = [("", _("Any"))] + list(Complaint.Channel.choices)
        self.fields["transfer_to"].choices = [("", _("Any or none")), ("any", _("Any office's answer"))] + [
            (str(pk), name) for pk, name in offices
        ]

    def filter(self, queryset, *, today: dt.date, calendar):
        """Apply the valid filters and the sort to a queryset from ``with_due``."""
        if q := (self.value("q") or "").strip():
            queryset = queryset.filter(tracking_number__icontains=q)
        status = self.value("status")
        if status == "open":
            queryset = queryset.open()
        elif status:
            queryset = queryset.filter(status=status)
        for name in ("office", "handling_office"):
            value = self.value(name)
            if value == "none":
                queryset = queryset.filter(**{f"{name}__isnull": True})
            elif value:
                queryset = queryset.filter(**{f"{name}_id": int(value)})
        if problem_type := self.value("problem_type"):
            queryset = queryset.filter(problem_type_id=int(problem_type))
        if channel := self.value("channel"):
            queryset = queryset.filter(channel=channel)
        transfer_to = self.value("transfer_to")
        if transfer_to == "any":
            queryset = queryset.filter(pending_transfer_to__isnull=False)
        elif transfer_to:
            queryset = queryset.filter(pending_transfer_to_id=int(transfer_to))
        if self.value("overdue"):
            queryset = queryset.filter(is_overdue=True)
        due_within = self.value("due_within")
        if due_within is not None:
            until = calendar.add_working_days(today, due_within)
            queryset = queryset.filter(paused_since__isnull=True, current_due__gte=today, current_due__lte=until)
        sort = self.value("sort") or "-received"
        if sort == "status":
            queryset = queryset.annotate(
                status_order=Case(
                    *[When(status=value, then=Value(i)) for i, value in enumerate(WORKFLOW_ORDER)],
                    output_field=IntegerField(),
                )
            )
        return queryset.order_by(*SORTS[sort])


class CaseFilterForm(FilterForm):
    state = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("Any")), ("pending", _("Pending")), ("decided", _("Decided"))],
    )
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False, widget=FastSelect)

    def __init__(self, *args, offices=(), **kwargs):
        """``offices``: ``(pk, name)`` pairs in the order to list them."""
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Any"))] + list(AccountabilityCase.Reason.choices)
        self.fields["office"].choices = [("", _("Any"))] + [(str(pk), name) for pk, name in offices]

    def filter(self, queryset):
        state = self.value("state")
        if state == "pending":
            queryset = queryset.filter(decision=AccountabilityCase.Decision.PENDING)
        elif state == "decided":
            queryset = queryset.exclude(decision=AccountabilityCase.Decision.PENDING)
        if reason := self.value("reason"):
            queryset = queryset.filter(reason=reason)
        if office := self.value("office"):
            queryset = queryset.filter(office_id=int(office))
        return queryset.order_by(
            Case(When(decision=AccountabilityCase.Decision.PENDING, then=Value(0)), default=Value(1)),
            "-created_at",
            "-pk",
        )


# --- Workflow steps on the detail page -----------------------------------------------
class ActionForm(forms.Form):
    """A workflow step's form; steps with nothing to fill in (accept, start, close)
    use this class as it is. ``auto_id`` is prefixed with the step so that several
    forms on one page never share an element id."""

    def __init__(self, *args, complaint: Complaint, action: str = "", **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s" if action else "id_%s")
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.helper = _no_form_tag_helper()


def _text(label, *, required=True, rows=3, max_length=5000, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class NotAcceptForm(ActionForm):
    reason = _text(_("Why it is not accepted"), help_text=_("The complainant is told this reason."))


class TransferForm(ActionForm):
    office = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=Office.objects.none(), empty_label="—", widget=FastSelect
    )
    note = _text(_("Note for the receiving office"), required=False, rows=2)

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, complaint=complaint, **kwargs)
        # Never the office complained about (services refuse it too), nor the office that has it now.
        self.fields["office"].queryset = (  # type: ignore[attr-defined]
            Office.objects.filter(is_active=True)
            .exclude(pk=complaint.office_id or 0)
            .exclude(pk=complaint.handling_office_id or 0)
            .order_by("name")
        )


class CentreForm(ActionForm):
    """Escalating a complaint to the centre above, or taking one over from a centre below."""

    reason = _text(_("Why"), rows=2, help_text=_("Kept on the complaint's internal timeline."))


class TransferRefuseForm(ActionForm):
    reason = _text(_("Why your office does not take it over"), rows=2)


class RequestInfoForm(ActionForm):
    question = _text(
        _("Question for the complainant"),
        help_text=_("The time limit stops until the complainant answers."),
    )


class ReplyForm(ActionForm):
    findings = _text(_("Findings"))
    measures = _text(_("Measures taken"), required=False)
    reply = _text(_("Reply to the complainant"), help_text=_("The complainant reads this."))
    substantiated = forms.TypedChoiceField(
        label=_("Was the complaint substantiated?"),
        choices=[("yes", _("Yes, substantiated")), ("no", _("No, not substantiated"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"),
        required=False,
        max_length=80,
        help_text=_("If substantiated: who is accountable. An accountability case is opened."),
    )


class CallbackForm(ActionForm):
    called_on = forms.DateField(
        label=_("Date of the callback"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = _text(_("What the complainant said"), required=False)
    no_callback_reason = _text(_("Or: why there was no callback"), required=False, rows=2)

    def clean_called_on(self):
        called_on = self.cleaned_data["called_on"]
        if called_on and called_on > timezone.localdate():
            raise forms.ValidationError(_("The callback cannot be in the future."))
        return called_on

    def clean(self):
        cleaned = super().clean()
        called_on, outcome = cleaned.get("called_on"), (cleaned.get("outcome") or "").strip()
        reason = (cleaned.get("no_callback_reason") or "").strip()
        if outcome and not called_on and "called_on" not in self.errors:
            self.add_error("called_on", _("Give the date of the callback."))
        elif called_on and not outcome:
            self.add_error("outcome", _("Write what the complainant said."))
        elif not outcome and not reason and not self.errors:
            raise forms.ValidationError(
                _("Record the date and what the complainant said, or why there was no callback.")
            )
        return cleaned


class PublishForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind of example"), choices=TypicalCase.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = _text(
        _("Summary for the public"),
        rows=5,
        help_text=_("No names, phone numbers or addresses: the public reads this."),
    )
    allow_corruption = forms.BooleanField(
        label=_("Publish although this is a corruption-type complaint"),
        required=False,
        help_text=_("Corruption complaints (为政不廉) are published only when the centre decides so explicitly."),
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, complaint=complaint, **kwargs)
        if not complaint.problem_type.is_corruption:
            del self.fields["allow_corruption"]


class CaseDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—")]
        + [c for c in AccountabilityCase.Decision.choices if c[0] != AccountabilityCase.Decision.PENDING],
    )
    reasoning = _text(_("Reasoning"), rows=3)
    person = forms.CharField(label=_("Responsible person"), required=False, max_length=80)

    def __init__(self, *args, case: AccountabilityCase, **kwargs):
        kwargs.setdefault("auto_id", f"id_case{case.pk}_%s")
        kwargs.setdefault("initial", {"person": case.person})
        super().__init__(*args, **kwargs)
        self.case = case
        self.helper = _no_form_tag_helper()


# --- A complaint entered by staff -------------------------------------------------------
class StaffComplaintForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the complaint came in"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
    )
    office = forms.ModelChoiceField(
        label=_("Office complained about"),
        required=False,
        queryset=Office.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Not known"),
        widget=FastSelect,
    )
    problem_type = forms.ModelChoiceField(
        label=_("Problem type"),
        queryset=ProblemType.objects.filter(is_active=True),
        empty_label="—",
        widget=FastSelect,
    )
    description = _text(
        _("What happened"),
        rows=6,
        max_length=services.DESCRIPTION_MAX,
        help_text=_("In the complainant's words, as complete as possible."),
    )
    occurred_on = forms.DateField(
        label=_("When it happened"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    location = forms.CharField(label=_("Where it happened"), required=False, max_length=200)
    is_anonymous = forms.TypedChoiceField(
        label=_("Complainant"),
        choices=[("0", _("Real name")), ("1", _("Anonymous"))],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect(attrs={"data-anonymous-toggle": ""}),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=80)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional. The complainant is sent the tracking number and access code."),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, not at import, so that it is in the language of the request.
        self.fields["attachments"].help_text = _("Up to %(n)d files: PDF, images or Office documents.") % {
            "n": services.MAX_ATTACHMENTS
        }
        self.helper = _no_form_tag_helper()
        self.helper.layout = Layout(
            "channel",
            "office",
            "problem_type",
            "description",
            "occurred_on",
            "location",
            "is_anonymous",
            Div("name", "phone", css_id="identity-fields"),
            "email",
            "attachments",
        )

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on and occurred_on > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return occurred_on

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > services.MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most %(n)d files can be attached.") % {"n": services.MAX_ATTACHMENTS})
        return files
