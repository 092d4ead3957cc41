"""What the staff complaint pages share: the scoped fetch, who may open them
(``rules``) and the working days left on each row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .. import rules
from ..models import Complaint

PER_PAGE = 25
Status = Complaint.Status


def complaint_for_staff(user, pk) -> Complaint:
    """The complaint as the staff queue has it; another office's is a 404, like
    one that does not exist."""
    return get_object_or_404(Complaint.objects.for_queue(user), pk=pk)


def require_complaint_pages(user) -> None:
    if not rules.may_open_complaint_pages(user):
        raise PermissionDenied


def require_cases_page(user) -> None:
    if not rules.reads_all_complaints(user):
        raise PermissionDenied


def with_time_left(complaints, today, calendar) -> list[Complaint]:
    """Working days to each row's current due date, from one calendar for the whole page."""
    rows = list(complaints)
    for complaint in rows:
        complaint.days_left = complaint.days_over = None
        if complaint.current_due and not complaint.is_paused:
            left = calendar.working_days_between(today, complaint.current_due)
            complaint.days_left, complaint.days_over = max(left, 0), max(-left, 0)
    return rows
