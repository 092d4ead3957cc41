"""Oversight's part of the staff home (campaigns/home.py): the office's phase
deliverables that need it, the versions waiting for the campaign office's review,
and for those who read every office, the deliverables overdue and the offices
that are late (the scorecard's own "overdue" columns, oversight/selectors)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns import scope
from campaigns.current import current_campaign
from campaigns.home import ROWS, Count, Panel

from .querysets import reads_all
from .selectors.deliverables import State, needing_action, waiting_by_phase
from .selectors.scorecard import late_offices
from .services.deliverables import can_review, can_submit


def _mine(state: str) -> str:
    return f"{reverse('oversight-staff:deliverables-mine')}?state={state}"


def _matrix(phase, state: str) -> str:
    return f"{reverse('oversight-staff:deliverables')}?phase={phase.pk}&state={state}"


def office(user, today: dt.date) -> Panel | None:
    """The office's deliverables overdue, returned or due within two weeks."""
    if not can_submit(user):
        return None
    campaign = current_campaign()  # the header's cached summary: no query
    if campaign is None:
        return None
    cells = needing_action(office_id=user.office_id, campaign_id=campaign.pk, today=today)
    due = [c for c in cells if c.state != State.SUBMITTED]

    def n(state):
        return sum(1 for c in cells if c.state == state)

    return Panel(
        "deliverables",
        23,
        _("Your office's deliverables"),
        [
            Count("deliverables-overdue", _("Deliverables overdue"), n(State.OVERDUE), _mine(State.OVERDUE), late=True),
            Count(
                "deliverables-returned", _("Returned for changes"), n(State.RETURNED), _mine(State.RETURNED), late=True
            ),
            Count("deliverables-due", _("To hand in within two weeks"), n(State.MISSING), _mine(State.MISSING)),
        ],
        [("oversight/home/deliverables.html", due[:ROWS])],
        (_("All your office's deliverables"), reverse("oversight-staff:deliverables-mine")),
    )


def review(user, today: dt.date) -> Panel | None:
    """Versions handed in and waiting for the campaign office, per phase."""
    if not can_review(user):
        return None
    campaign = current_campaign()  # the header's cached summary: no query
    if campaign is None:
        return None
    waiting = waiting_by_phase(campaign_id=campaign.pk, today=today, state=State.SUBMITTED)
    counts = [
        Count(
            f"deliverables-to-review-{phase.pk}",
            _("Deliverables to review: %(phase)s") % {"phase": phase.name},
            n,
            _matrix(phase, State.SUBMITTED),
        )
        for phase, n in waiting
    ] or [Count("deliverables-to-review", _("Deliverables to review"), 0, reverse("oversight-staff:deliverables"))]
    return Panel("review", 30, _("Waiting for your review"), counts)


def late(user, today: dt.date) -> Panel | None:
    """For those who read every office: deliverables overdue per phase, and the offices
    with anything overdue, each linking to its dashboard."""
    if not reads_all(user):
        return None
    campaign = current_campaign()  # the header's cached summary: no query
    if campaign is None:
        return None
    overdue = waiting_by_phase(campaign_id=campaign.pk, today=today, state=State.OVERDUE)
    counts = [
        Count(
            f"late-deliverables-{phase.pk}",
            _("Deliverables overdue: %(phase)s") % {"phase": phase.name},
            n,
            _matrix(phase, State.OVERDUE),
            late=True,
        )
        for phase, n in overdue
    ]
    offices = late_offices(campaign_id=campaign.pk, today=today, offices=scope.offices(user))
    counts.append(
        Count(
            "late-offices",
            _("Offices with something overdue"),
            len(offices),
            reverse("oversight-staff:dashboard") + "?sort=-tasks-overdue",
            late=True,
        )
    )
    return Panel(
        "late",
        40,
        _("Late across the campaign"),
        counts,
        [("oversight/home/late_offices.html", offices[:ROWS])],
        (_("Every office on the dashboard"), reverse("oversight-staff:dashboard")),
    )


PANELS = [office, review, late]
