from __future__ import annotations

from django.core.exceptions import PermissionDenied

from campaigns.models import Campaign

from ..querysets import reads_all


def current_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).first()


def require_reads_all(user) -> None:
    if not reads_all(user):
        raise PermissionDenied


def can_open_complaint_queue(user) -> bool:
    from complaints import services

    return services.is_centre(user) or user.has_perm("complaints.view_all_complaints") or user.office_id is not None
