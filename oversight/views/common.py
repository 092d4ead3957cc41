from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ..querysets import reads_all


def require_reads_all(user) -> None:
    if not reads_all(user):
        raise PermissionDenied
