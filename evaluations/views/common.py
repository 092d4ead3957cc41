"""What the staff views share: who may open which page, and putting a service's
errors back on a form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse

from ..models import Hearing, Survey
from ..querysets import can_manage, can_read_results


def require_reader(user) -> None:
    """The appraisal pages are for the campaign office and result readers (supervisors)."""
    if not can_read_results(user):
        raise PermissionDenied


def survey_for_staff(user, pk, *, manage: bool = False) -> Survey:
    """The survey if ``user`` may see it (and, with ``manage``, run it): one whose
    offices all lie in their reach (``SurveyQuerySet.visible_to``); a 404 otherwise,
    so a page one may not open looks like one that does not exist."""
    allowed = can_manage(user) if manage else can_read_results(user)
    surveys = Survey.objects.visible_to(user) if allowed else Survey.objects.none()
    return get_object_or_404(surveys.select_related("campaign", "hearing"), pk=pk)


def hearing_for_staff(user, pk, *, manage: bool = False, queryset=None) -> Hearing:
    allowed = can_manage(user) if manage else can_read_results(user)
    base = queryset if queryset is not None else Hearing.objects.all()
    hearings = base.visible_to(user) if allowed else Hearing.objects.none()
    return get_object_or_404(hearings, pk=pk)


def flash_errors(request, exc: ValidationError) -> None:
    """For one-button actions: the service's refusal as a message on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def public_link(token: str) -> str:
    """The ballot's address as voters reach it (printed on paper, so the public address)."""
    return f"{settings.SITE_URL}{reverse('evaluations:ballot', args=[token])}"


def open_link(survey_id: int, group_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('evaluations:open', args=[survey_id, group_id])}"
