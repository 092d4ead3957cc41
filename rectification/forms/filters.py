"""GET filters of the board and the staff lists."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.forms import FilterForm
from kernel.widgets import FastSelect

from ..models import Commitment

Status = Commitment.Status


# --- Filters ---------------------------------------------------------------------------------


class CommitmentFilterForm(FilterForm):
    # FastSelect: the board lists every office with a plan (300 and more).
    office = forms.ChoiceField(label=_("Office"), required=False, widget=FastSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    handling = forms.ChoiceField(label=_("Handling"), required=False, widget=FastSelect)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, offices=(), statuses=Status.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All offices"))] + [(str(o.pk), o.name) for o in offices]
        self.fields["status"].choices = [("", _("Any"))] + list(statuses)
        self.fields["handling"].choices = [("", _("Any"))] + list(Commitment.Handling.choices)

    def filter(self, queryset, *, today: dt.date):
        if office := self.value("office"):
            queryset = queryset.filter(Q(plan__office_id=int(office)) | Q(responsible_office_id=int(office)))
        if status := self.value("status"):
            queryset = queryset.filter(status=status)
        if handling := self.value("handling"):
            queryset = queryset.filter(handling=handling)
        if self.value("overdue"):
            queryset = queryset.overdue_on(today)
        return queryset


class StaffCommitmentFilterForm(CommitmentFilterForm):
    scope = forms.ChoiceField(label=_("Scope"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", _("Any"))] + list(Commitment.Scope.choices)

    def filter(self, queryset, *, today):
        queryset = super().filter(queryset, today=today)
        if scope := self.value("scope"):
            queryset = queryset.filter(scope=scope)
        return queryset
