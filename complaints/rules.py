"""The complaint rules that more than one place needs, each written once here:
which statuses count as open, handling, completing and final; the review window
(10 working days from the reply, on the work calendar) and what the complainant
may still do (add information, rate, ask for a review); who may take which
workflow step (``permitted_actions``) and in which statuses each step can be
taken (``STEP_STATUSES``).

The services enforce these before they change anything, so a forged request meets
the same refusal as a hidden button; views ask them which forms to offer, and
templates only read the answers the views give them.

"Overdue" is a query, because the queue filters and sorts on it: it lives on the
queryset (``ComplaintQuerySet.with_due``, ``overdue``, ``overdue_to_accept``,
``overdue_to_complete``), built on these statuses."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Length
from django.db.models.lookups import StartsWith
from django.utils import timezone

from kernel.workcalendar import WorkCalendar, calendar_for

from .models import Complaint

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from campaigns.models import Office, User

Status = Complaint.Status
Rating = Complaint.Rating

# --- Statuses ------------------------------------------------------------------------
#: Not finished: something may still happen to it (a replied complaint may yet be
#: rated, reviewed or closed).
OPEN = (Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATING, Status.REPLIED)
#: Finished: nothing more happens to it.
FINAL = (Status.CLOSED, Status.NOT_ACCEPTED)
#: Not replied yet: the handling side owes an answer and the time limits run.
HANDLING = (Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATING)
#: Accepted and not replied yet: the completion limit is the date it waits for.
COMPLETING = (Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATING)

#: Ratings that count as satisfied: the complaint may be closed at once.
SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASICALLY)

#: Working days after the reply in which a dissatisfied complainant may ask for a
#: review; when they have passed, a complaint nobody rated satisfied is closed.
REVIEW_WORKING_DAYS = 10


# --- The complainant ---------------------------------------------------------------------
def working_days_since_reply(complaint: Complaint, today: dt.date, calendar: WorkCalendar | None = None) -> int:
    return (calendar or calendar_for(today)).working_days_between(timezone.localdate(complaint.replied_at), today)


def review_window_open(complaint: Complaint, today: dt.date, calendar: WorkCalendar | None = None) -> bool:
    """Within ``REVIEW_WORKING_DAYS`` working days of the reply."""
    return working_days_since_reply(complaint, today, calendar) <= REVIEW_WORKING_DAYS


def rating_window_over(complaint: Complaint, today: dt.date, calendar: WorkCalendar | None = None) -> bool:
    """``REVIEW_WORKING_DAYS`` working days have passed since the reply: a complaint
    nobody rated satisfied may be closed without waiting any longer."""
    return working_days_since_reply(complaint, today, calendar) >= REVIEW_WORKING_DAYS


def may_add_info(complaint: Complaint) -> bool:
    """While the complaint is being handled (not once replied or finished)."""
    return complaint.status in HANDLING


def rated_this_reply(complaint: Complaint) -> bool:
    return bool(
        complaint.rating and complaint.rated_at and complaint.replied_at and complaint.rated_at >= complaint.replied_at
    )


def may_rate(complaint: Complaint) -> bool:
    """Once per reply."""
    return complaint.status == Status.REPLIED and not rated_this_reply(complaint)


def may_request_review(complaint: Complaint, today: dt.date, calendar: WorkCalendar | None = None) -> bool:
    """Once, after rating the reply as dissatisfied, within the review window."""
    return (
        complaint.status == Status.REPLIED
        and complaint.rating == Rating.DISSATISFIED
        and complaint.review_count == 0
        and review_window_open(complaint, today, calendar)
    )


# --- Who may do what ----------------------------------------------------------------------
# Three ways to see complaints:
# - the complaint centre (``handle_complaints``) sees every complaint, takes the
#   centre's steps, and, with ``view_complainant_identity``, may look up who
#   complained (every look logged);
# - readers of every complaint (``view_all_complaints``: the campaign office and
#   supervisors) read the queue, every complaint, the accountability cases and the
#   exports, never the complainant's identity, and take no step: ``permitted_actions``
#   gives them none, as it gives none to anyone who neither is the centre nor
#   handles, nor is asked to take over, the complaint;
# - office staff see what their office handles or is asked to take over, and what
#   they registered themselves (``querysets.visible_to``), and take its steps.
# Nobody sees complaints about their own office.
def is_centre(user: User | AnonymousUser) -> bool:
    """Works as the complaint centre: every complaint, every centre step."""
    return user.is_authenticated and user.has_perm("complaints.handle_complaints")


def can_view_identity(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("complaints.view_complainant_identity")


def reads_all_complaints(user: User | AnonymousUser) -> bool:
    """The centre and readers of all complaints (their own office's excepted)."""
    return user.is_authenticated and (is_centre(user) or user.has_perm("complaints.view_all_complaints"))


def may_open_complaint_pages(user: User | AnonymousUser) -> bool:
    """Those ``visible_to`` can show something: the centre, readers of all
    complaints (the campaign office, supervisors) and office staff. A user with
    neither an office nor a complaint permission would only ever see an empty list."""
    return reads_all_complaints(user) or (user.is_authenticated and user.office_id is not None)


def is_subject_staff(user: User, complaint: Complaint) -> bool:
    """Staff of the office complained about: they never handle the complaint."""
    return bool(complaint.office_id and user.office_id == complaint.office_id)


def handles(user: User, complaint: Complaint) -> bool:
    """The handling office's staff, or the centre while it holds the complaint itself."""
    if complaint.handling_office_id:
        return user.office_id == complaint.handling_office_id
    return is_complaints_centre(user, complaint)


# --- Complaint centres at each level -------------------------------------------------------
# Each level of government may have its complaint centre (an office marked
# ``is_complaint_centre``); a complaint goes to the nearest centre at or above the
# office complained about, except the office itself and its parent (a centre never
# judges its own office nor the government it belongs to: a complaint about
# 纪工委办, the zone's centre, or about 高新区管委会 goes to the city's centre). A
# centre may hand a complaint up to the centre above (escalate), and a centre above
# may take one over from a centre below it.
def _centres() -> QuerySet[Office]:
    from campaigns.models import Office

    return Office.objects.filter(is_complaint_centre=True, is_active=True)


def centre_for(office: Office | None) -> Office | None:
    """The centre a complaint about ``office`` goes to (None: no centre is set up)."""
    centres = _centres().annotate(reach=Length("level_path"))
    if office is None:
        return centres.order_by("reach", "pk").first()
    above = centres.filter(StartsWith(Value(office.path), F("level_path")))
    chosen = above.exclude(pk=office.pk).exclude(parent_id=office.pk).order_by("-reach", "pk").first()
    # The top of the tree has no centre above it: its own centre is the best there is.
    return chosen or above.exclude(pk=office.pk).order_by("reach", "pk").first()


def centre_above(centre: Office | None) -> Office | None:
    """The nearest centre of a level strictly above ``centre``'s, or None."""
    if centre is None or not centre.level_path:
        return None
    return (
        _centres()
        .annotate(reach=Length("level_path"))
        .filter(StartsWith(Value(centre.level_path), F("level_path")), reach__lt=len(centre.level_path))
        .order_by("-reach", "pk")
        .first()
    )


def is_complaints_centre(user: User, complaint: Complaint) -> bool:
    """``user`` works at the centre the complaint is with (any centre that sees it
    while it has none: no centre set up for its office)."""
    if not is_centre(user):
        return False
    return complaint.centre_id is None or complaint.centre_id == user.office_id


def is_centre_above(user: User, complaint: Complaint) -> bool:
    """``user`` works at a centre of a level above the complaint's centre (it may take it over)."""
    if not (is_centre(user) and complaint.centre_id and user.office_id and complaint.centre_id != user.office_id):
        return False
    assert complaint.centre is not None  # complaint.centre_id is set
    assert user.office is not None  # user.office_id is set
    own, theirs = user.office.level_path, complaint.centre.level_path
    return len(own) < len(theirs) and theirs.startswith(own)


def receives_transfer(user: User, complaint: Complaint) -> bool:
    return bool(complaint.pending_transfer_to_id and user.office_id == complaint.pending_transfer_to_id)


CENTRE_STEPS = frozenset({"accept", "not_accept", "callback", "close", "publish", "decide_case", "escalate"})
HANDLER_STEPS = frozenset({"transfer", "start", "request_info", "reply"})
RECEIVER_STEPS = frozenset({"transfer_accept", "transfer_refuse"})

#: The statuses in which each step can be taken; answering a transfer depends on
#: the transfer waiting, not on the status.
STEP_STATUSES = {
    "accept": (Status.REGISTERED,),
    "not_accept": (Status.REGISTERED,),
    "transfer": COMPLETING,
    "start": (Status.ACCEPTED, Status.ASSIGNED),
    "request_info": COMPLETING,
    "reply": (Status.INVESTIGATING,),
    "callback": (Status.REPLIED,),
    "close": (Status.REPLIED,),
    "publish": (Status.CLOSED,),
    "escalate": OPEN,
    "take_over": OPEN,
}


def permitted_actions(user: User, complaint: Complaint) -> set[str]:
    """The steps ``user`` may take on ``complaint`` (who, not when)."""
    if is_subject_staff(user, complaint):
        return set()
    actions: set[str] = set()
    if is_complaints_centre(user, complaint):
        actions |= CENTRE_STEPS
    if is_centre_above(user, complaint):
        actions.add("take_over")
    if handles(user, complaint):
        actions |= HANDLER_STEPS
    if receives_transfer(user, complaint):
        actions |= RECEIVER_STEPS
    return actions


def possible_actions(complaint: Complaint, *, has_typical_case: bool) -> set[str]:
    """The steps the complaint's state allows now (when, not who)."""
    possible = {step for step, statuses in STEP_STATUSES.items() if complaint.status in statuses}
    if complaint.pending_transfer_to_id:
        possible = (possible - {"transfer"}) | RECEIVER_STEPS
    if complaint.is_paused:
        possible.discard("request_info")
    if has_typical_case:
        possible.discard("publish")
    return possible


def offered_actions(user: User, complaint: Complaint, *, has_typical_case: bool) -> set[str]:
    """The steps to show a form for: permitted, and possible now (escalating only
    where there is a centre above)."""
    offered = permitted_actions(user, complaint) & possible_actions(complaint, has_typical_case=has_typical_case)
    if "escalate" in offered and (complaint.centre_id is None or centre_above(complaint.centre) is None):
        offered.discard("escalate")
    return offered
