"""The complaints' part of the staff home (campaigns/home.py): the complaint
centre's intake, an office's complaints, and for those who read every complaint,
how many are late. Every count is a queryset of ``querysets.py`` under the rules
of ``rules.py``, and links to the queue filtered to exactly those."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.home import ROWS, Panel, count

from . import rules
from .models import AccountabilityCase, Complaint

Status = Complaint.Status


def queue_url(**filters) -> str:
    return f"{reverse('complaints-staff:queue')}?{urlencode(filters)}"


def centre(user, today: dt.date) -> Panel | None:
    """What waits for the complaint centre: complaints to accept (the most urgent
    listed), those accepted and not yet with an office, the late ones, transfers
    waiting for an answer, replies to call back on and close, cases to decide."""
    if not rules.is_centre(user):
        return None
    visible = Complaint.objects.visible_to(user)
    intake = (
        visible.filter(status=Status.REGISTERED)
        .with_due(today)
        .select_related("problem_type", "office")
        .order_by("accept_due", "pk")
    )
    cases = AccountabilityCase.objects.filter(complaint__in=visible, decision=AccountabilityCase.Decision.PENDING)
    return Panel(
        "centre",
        10,
        _("Complaint centre"),
        [
            count("to-accept", _("Waiting for acceptance"), intake, queue_url(status=Status.REGISTERED, sort="due")),
            count(
                "with-centre",
                _("Accepted, not yet with an office"),
                visible.filter(status=Status.ACCEPTED, handling_office__isnull=True),
                queue_url(status=Status.ACCEPTED, handling_office="none", sort="due"),
            ),
            count("overdue", _("Overdue"), visible.overdue(today), queue_url(overdue="on", sort="due"), late=True),
            count(
                "transfers",
                _("Transfers waiting for an answer"),
                visible.open().filter(pending_transfer_to__isnull=False),
                queue_url(status="open", transfer_to="any"),
            ),
            count(
                "to-close",
                _("Replied: call back and close"),
                visible.filter(status=Status.REPLIED),
                queue_url(status=Status.REPLIED, sort="due"),
            ),
            count(
                "cases",
                _("Accountability cases to decide"),
                cases,
                f"{reverse('complaints-staff:cases')}?state=pending",
            ),
        ],
        [("complaints/home/intake.html", list(intake[:ROWS]))],
        (_("The complaint queue"), reverse("complaints-staff:queue")),
    )


def office(user, today: dt.date) -> Panel | None:
    """The complaints the user's office handles, the late ones, and transfers
    offered to it; those waiting longest listed first."""
    if user.office_id is None or rules.is_centre(user) or not rules.may_open_complaint_pages(user):
        return None
    office_id = user.office_id
    visible = Complaint.objects.visible_to(user)
    handled = visible.open().filter(handling_office_id=office_id)
    offered = visible.open().filter(pending_transfer_to_id=office_id)
    rows = list(
        (visible.open().filter(handling_office_id=office_id) | offered)
        .with_due(today)
        .select_related("problem_type", "handling_office", "pending_transfer_to")
        .order_by(F("current_due").asc(nulls_last=True), "pk")[:ROWS]
    )
    return Panel(
        "complaints",
        21,
        _("Your office's complaints"),
        [
            count(
                "office-complaints", _("Being handled"), handled, queue_url(handling_office=office_id, status="open")
            ),
            count(
                "office-overdue",
                _("Overdue"),
                visible.overdue(today).filter(handling_office_id=office_id),
                queue_url(handling_office=office_id, overdue="on", sort="due"),
                late=True,
            ),
            count("offered", _("Transfers to accept or refuse"), offered, queue_url(transfer_to=office_id)),
        ],
        [("complaints/home/office.html", rows)],
        (_("The complaint queue"), reverse("complaints-staff:queue")),
    )


def late(user, today: dt.date) -> Panel | None:
    """For those who read every complaint and are not the centre (the campaign office,
    supervisors): how many are overdue."""
    if rules.is_centre(user) or not rules.reads_all_complaints(user):
        return None
    return Panel(
        "late",
        40,
        _("Late across the campaign"),
        [
            count(
                "late-complaints",
                _("Complaints overdue"),
                Complaint.objects.visible_to(user).overdue(today),
                queue_url(overdue="on", sort="due"),
                late=True,
            )
        ],
    )


PANELS = [centre, office, late]
