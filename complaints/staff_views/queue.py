"""The queue, its Excel export, and "first received by me" (首问负责)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from campaigns import scope
from kernel.pagination import BoundedPaginator
from kernel.workcalendar import calendar_for
from kernel.xlsx import xlsx_response

from .. import exports, rules
from .. import staff_forms as forms
from ..models import Complaint, ProblemType
from .common import PER_PAGE, require_complaint_pages, with_time_left

#: Rows the queue's Excel export writes in the request (about 10 s); beyond, the ledger.
EXPORT_LIMIT = 20000


def _filtered_queue(request, today, calendar):
    form = forms.QueueFilterForm(
        request.GET or None,
        offices=scope.offices(request.user).order_by("name").values_list("pk", "name"),
        problem_types=list(ProblemType.objects.all()),
    )
    complaints = Complaint.objects.for_queue(request.user).with_due(today)
    return form, form.filter(complaints, today=today, calendar=calendar)


@login_required
def queue(request):
    require_complaint_pages(request.user)
    today = timezone.localdate()
    calendar = calendar_for(today)
    form, complaints = _filtered_queue(request, today, calendar)
    # At most 1,000 rows counted and reachable (kernel/pagination.py): the
    # queue stays as fast at a million complaints as at a thousand.
    page = BoundedPaginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/staff/queue.html",
        {
            "form": form,
            "page": page,
            "rows": with_time_left(page.object_list, today, calendar),
            "today": today,
            "can_add": request.user.has_perm("complaints.add_complaint"),
            "can_read_cases": rules.reads_all_complaints(request.user),
        },
    )


@login_required
@never_cache
def export(request):
    """The filtered queue as .xlsx, written in the request: up to EXPORT_LIMIT rows
    (a few seconds). Larger lists go to the complaint ledger, which the worker writes."""
    require_complaint_pages(request.user)
    today = timezone.localdate()
    _form, complaints = _filtered_queue(request, today, calendar_for(today))
    if complaints[: EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
        messages.warning(
            request,
            _(
                "More than %(n)s complaints match: narrow the filter to export them here, or export the complaint "
                "ledger under Oversight › Ledgers, which is written in the background and holds every complaint."
            )
            % {"n": f"{EXPORT_LIMIT:,}"},
        )
        query = request.GET.urlencode()
        return redirect(f"{reverse('complaints-staff:queue')}{'?' + query if query else ''}")
    return xlsx_response(exports.complaints_workbook(complaints), "complaints")


@login_required
def mine(request):
    """首问负责: what I first received, and whether it is still mine — until an
    office has taken it over (a requested transfer counts only once accepted)."""
    require_complaint_pages(request.user)
    today = timezone.localdate()
    complaints = (
        Complaint.objects.for_queue(request.user)
        .filter(first_receiver=request.user)
        .with_due(today)
        .annotate(
            still_mine=Case(
                When(status__in=rules.OPEN, handling_office__isnull=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-still_mine", "-received_on", "-pk")
    )
    page = Paginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/staff/mine.html",
        {
            "page": page,
            "rows": with_time_left(page.object_list, today, calendar_for(today)),
            "today": today,
            "still_mine_count": complaints.filter(still_mine=True).count(),
        },
    )
