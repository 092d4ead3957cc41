"""The campaign dashboard (every office) and the office dashboard (one office)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import scope
from campaigns.current import get_current_campaign
from campaigns.models import Office, Task, TaskAssignment
from campaigns.models.offices import GOVERNMENT_LEVELS

from ..columns import table_context
from ..querysets import reads_all
from ..selectors import integrations, rollup
from ..selectors.deliverables import needing_action
from ..selectors.progress import complaint_trend, phase_progress
from ..selectors.scorecard import scorecard
from .common import require_reads_all

SORTS = {
    "office": lambda r: r.office_name.casefold(),
    "tasks-total": lambda r: r.tasks.total,
    "tasks-done": lambda r: r.tasks.done,
    "tasks-on-time": lambda r: r.tasks.done_on_time,
    "tasks-overdue": lambda r: r.tasks.overdue,
    "complaints-received": lambda r: r.complaints.received,
    "complaints-closed": lambda r: r.complaints.closed,
    "complaints-on-time": lambda r: r.complaints.on_time_rate,
    "complaints-satisfaction": lambda r: r.complaints.satisfaction_rate,
    "commitments-made": lambda r: r.commitments.made,
    "commitments-completed": lambda r: r.commitments.completed,
    "commitments-verified": lambda r: r.commitments.verified,
    "commitments-overdue": lambda r: r.commitments.overdue,
    "commitments-satisfaction": lambda r: r.commitments.satisfaction_rate,
    "appraisal-score": lambda r: r.appraisal.score,
    "appraisal-rank": lambda r: r.appraisal.rank,
    "deliverables-accepted": lambda r: r.deliverables.accepted,
    "deliverables-overdue": lambda r: r.deliverables.overdue,
}


def sort_rows(card, sort: str):
    """Sort the scorecard by one column; empty figures always last."""
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    getter = SORTS.get(name)
    if (
        getter is None
        or (name.startswith("commitments") and not card.has_commitments)
        or (name.startswith("appraisal") and not card.has_appraisal)
    ):
        return "office"
    present = [r for r in card.rows if getter(r) is not None]
    missing = [r for r in card.rows if getter(r) is None]
    present.sort(key=lambda r: (getter(r), r.office_name), reverse=descending)
    card.rows = present + missing
    return sort


@login_required
def dashboard(request):
    require_reads_all(request.user)
    campaign = get_current_campaign()
    if campaign is None:
        return render(request, "oversight/staff/no_campaign.html")
    today = timezone.localdate()
    reach = scope.offices(request.user)
    card = scorecard(campaign_id=campaign.pk, today=today, offices=reach)
    levels = None
    if request.GET.get("view") == rollup.VIEW:
        # Read at a level of government: each level below as one row (oversight/selectors/rollup.py).
        node = _level_in_reach(reach, request.GET.get("node", ""))
        url = reverse("oversight-staff:dashboard")
        levels = rollup.read_at(card, reach=reach, node=node, url=url, total_label=_("Total"))
        card = levels.card
    sort = sort_rows(card, request.GET.get("sort") or "office")
    trends = [complaint_trend(campaign, today)]
    if integrations.commitments_available():
        trends.append(integrations.commitment_trend(campaign, today))
    charts = {f"trend-{i}": trend.as_chart() for i, trend in enumerate(trends)}
    return render(
        request,
        "oversight/staff/dashboard.html",
        {
            "campaign": campaign,
            "today": today,
            "phases": phase_progress(campaign, today),
            "card": card,
            "sort": sort,
            "trends": list(enumerate(trends)),
            "charts": charts,
            "levels": levels,
            "level_query": _level_query(request),
            **table_context(card, request.user, sort, total=levels.total if levels else None),
        },
    )


def _level_in_reach(reach, value: str) -> Office | None:
    """The level of government ``?node=`` names, in the reader's reach; none: the top."""
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return get_object_or_404(reach.filter(GOVERNMENT_LEVELS), pk=int(value))


def _level_query(request) -> str:
    """What the table's sort links keep of the address: the campaign and the level read."""
    kept = {key: request.GET[key] for key in ("campaign", "view", "node") if request.GET.get(key)}
    return "".join(f"&{key}={quote(value)}" for key, value in kept.items())


@login_required
def office_dashboard(request):
    user = request.user
    requested = request.GET.get("office", "")
    if reads_all(user) and requested:
        if not requested.isdigit():
            raise Http404
        office = get_object_or_404(scope.offices(user), pk=int(requested))  # another level's: 404
    elif requested and requested != str(user.office_id):
        raise Http404  # another office's dashboard is not there for you
    elif user.office_id:
        office = user.office
    else:
        raise PermissionDenied
    campaign = get_current_campaign()
    if campaign is None:
        return render(request, "oversight/staff/no_campaign.html")
    today = timezone.localdate()
    card = scorecard(campaign_id=campaign.pk, today=today, office_ids=[office.pk])
    deliverables = needing_action(office_id=office.pk, campaign_id=campaign.pk, today=today)
    context = {
        "campaign": campaign,
        "today": today,
        "office": office,
        "card": card,
        "row": card.rows[0] if card.rows else None,
        "own": office.pk == user.office_id,
        "overdue_tasks": _overdue_tasks(office.pk, campaign.pk, today),
        "deliverables": deliverables,
        "complaints": _overdue_complaints(user, office.pk, today),
        "commitments": integrations.overdue_commitments(user, office.pk, campaign.pk, today)
        if integrations.commitments_available()
        else [],
        **table_context(card, user),
    }
    return render(request, "oversight/staff/office_dashboard.html", context)


def _overdue_tasks(office_id: int, campaign_id: int, today):
    return list(
        TaskAssignment.objects.filter(office_id=office_id, task__phase__campaign_id=campaign_id)
        .exclude(task__status=Task.Status.DONE)
        .filter(submitted_at__isnull=True, waived_at__isnull=True)
        .annotate(office_due=Coalesce("due_date", "task__deadline"))
        .filter(office_due__lt=today)
        .select_related("task", "task__phase")
        .order_by("office_due", "task__phase__order", "task__number")[:50]
    )


def _overdue_complaints(user, office_id: int, today, limit: int = 50):
    """Complaints the office handles (or is asked to take over) that wait past their time limit,
    among those the user may open, soonest due first.

    Three small queries instead of one: late acceptance and late completion each
    read their own partial index in due-date order and stop after ``limit`` rows
    (an office may hold thousands of open complaints at a million), and pending
    transfers are few."""
    from complaints.models import Complaint

    visible = Complaint.objects.visible_to(user).with_due(today).select_related("problem_type")
    # Each ordered by the real column, so the partial index gives the rows in order.
    late = [
        *visible.overdue_to_accept(today).filter(handling_office_id=office_id).order_by("accept_due", "pk")[:limit],
        *visible.overdue_to_complete(today).filter(handling_office_id=office_id).order_by("complete_due", "pk")[:limit],
        *visible.open()
        .filter(pending_transfer_to_id=office_id, is_overdue=True)
        .exclude(handling_office_id=office_id)
        .order_by("pk")[:limit],
    ]
    return sorted(late, key=lambda c: (c.current_due, c.pk))[:limit]
