from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .. import rules

PER_PAGE = 25


def require_pages(user) -> None:
    if not rules.can_open_staff_pages(user):
        raise PermissionDenied


def require_coordinator(user) -> None:
    if not rules.is_coordinator(user):
        raise PermissionDenied
