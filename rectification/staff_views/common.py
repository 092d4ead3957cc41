from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from campaigns.models import Campaign

from .. import rules
from ..forms import apply_service_errors

PER_PAGE = 25


def require_pages(user) -> None:
    if not rules.can_open_staff_pages(user):
        raise PermissionDenied


def require_coordinator(user) -> None:
    if not rules.is_coordinator(user):
        raise PermissionDenied


def current_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).first()


def run(request, form, call, success: str, *, then, failed):
    """Form → one service call → redirect with a message; on a refusal the
    service's errors go next to the form's fields and ``failed(form)`` renders
    the page again (status 400)."""
    if form is None or form.is_valid():
        try:
            call(form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return then()
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return then()
    return failed(form)


def back(name: str, *args):
    return lambda: redirect(name, *args)
