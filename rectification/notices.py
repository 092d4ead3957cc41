"""Notices to staff about rectification, when work comes to them:

- a plan submitted → the campaign office, to approve or return it;
- a plan approved or returned → the office's staff and head;
- a completion claimed → the campaign office, to verify it or send it back;
- a commitment verified or sent back → the offices carrying it out;
- a commitment reopened by a look-back → the same offices;
- a supervisor's flag → the campaign office, whose look-back queue it joins;
- a hotspot raised → the office and the campaign office.

The service records the step's ``AuditEvent`` and queues ``tasks.notify_staff``
with it once the step commits; the task writes one notice per person, keyed by
the step ("plan-returned-2", "lookback-1"), so telling the same step again adds
nothing (notifications.notices.hand_over). Each notice is in the inbox in the
reader's language and goes by e-mail or SMS as the person chose; the deadline
reminders come from the reminder sweep (``reminders.py``)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_noop

from campaigns.models import AuditEvent
from notifications.notices import HandOver, campaign_office_for, office_staff, tell_step
from notifications.texts import Localized, Text

from . import rules

KIND = "rectification"


def campaign_office_staff(office) -> list:
    """The campaign office answering for ``office`` (its level's; never another district's)."""
    return campaign_office_for(office)


def _plan_link(plan) -> str:
    return reverse("rectification-staff:plan-detail", args=[plan.pk])


def _commitment_link(commitment) -> str:
    return reverse("rectification-staff:commitment-detail", args=[commitment.pk])


def _plan(event: AuditEvent):
    from .models import Plan

    return Plan.objects.select_related("office").get(pk=event.target_id)


def _commitment(event: AuditEvent):
    from .models import Commitment

    return Commitment.objects.select_related("plan__office").get(pk=event.target_id)


def _plan_submitted(event: AuditEvent) -> HandOver:
    plan = _plan(event)
    return HandOver(
        campaign_office_staff(plan.office),
        plan,
        f"plan-submitted-{event.data.get('submission', 1)}",
        _plan_link(plan),
        Text(gettext_noop("Plan submitted for review: %(office)s"), {"office": plan.office.name}),
        Text(
            gettext_noop("%(office)s submitted its rectification plan. Please approve it or return it with comments."),
            {"office": plan.office.name},
        ),
    )


def _plan_approved(event: AuditEvent) -> HandOver:
    plan = _plan(event)
    return HandOver(
        office_staff(plan.office_id),
        plan,
        f"plan-approved-{event.data.get('submission', plan.submission_count)}",
        _plan_link(plan),
        Text(gettext_noop("Plan approved: %(office)s"), {"office": plan.office.name}),
        Text(gettext_noop("The campaign office filed your rectification plan; its commitments are now published.")),
        event.data.get("comments", ""),
    )


def _plan_returned(event: AuditEvent) -> HandOver:
    plan = _plan(event)
    return HandOver(
        office_staff(plan.office_id),
        plan,
        f"plan-returned-{event.data.get('returned', plan.return_count)}",
        _plan_link(plan),
        Text(gettext_noop("Plan returned with comments: %(office)s"), {"office": plan.office.name}),
        Text(gettext_noop("The campaign office returned your rectification plan: change it and submit it again.")),
        event.data.get("comments", ""),
    )


def _claimed(event: AuditEvent) -> HandOver:
    commitment = _commitment(event)
    params = {"office": commitment.plan.office.name, "code": commitment.code}
    return HandOver(
        campaign_office_staff(commitment.plan.office),
        commitment,
        f"claimed-{event.data.get('claim', commitment.claim_count)}",
        _commitment_link(commitment),
        Text(gettext_noop("Completion to verify: %(code)s"), params),
        Text(
            gettext_noop(
                "%(office)s says commitment %(code)s is complete and attached its evidence. "
                "Please verify it or send it back."
            ),
            params,
        ),
    )


def _verified(event: AuditEvent) -> HandOver:
    commitment = _commitment(event)
    params = {"code": commitment.code}
    return HandOver(
        office_staff(*rules.commitment_offices(commitment)),
        commitment,
        f"verified-{event.data.get('claim', commitment.claim_count)}",
        _commitment_link(commitment),
        Text(gettext_noop("Commitment verified: %(code)s"), params),
        Text(gettext_noop("The campaign office verified that commitment %(code)s is complete."), params),
    )


def _sent_back(event: AuditEvent) -> HandOver:
    commitment = _commitment(event)
    params = {"code": commitment.code}
    return HandOver(
        office_staff(*rules.commitment_offices(commitment)),
        commitment,
        f"sent-back-{event.data.get('sent_back', commitment.send_back_count)}",
        _commitment_link(commitment),
        Text(gettext_noop("Commitment sent back: %(code)s"), params),
        Text(
            gettext_noop("The campaign office did not accept the completion of commitment %(code)s: carry on with it."),
            params,
        ),
        event.data.get("reason", ""),
    )


def _reopened(event: AuditEvent) -> HandOver:
    commitment = _commitment(event)
    params = {"code": commitment.code}
    return HandOver(
        office_staff(*rules.commitment_offices(commitment)),
        commitment,
        f"lookback-{event.data.get('number', commitment.lookback_count)}",
        _commitment_link(commitment),
        Text(gettext_noop("Look-back: commitment %(code)s reopened"), params),
        Text(gettext_noop("The campaign office reopened commitment %(code)s after a look-back (回头看)."), params),
        event.data.get("reason", ""),
    )


def _flagged(event: AuditEvent) -> HandOver:
    commitment = _commitment(event)
    params = {"code": commitment.code}
    return HandOver(
        campaign_office_staff(commitment.plan.office),
        commitment,
        f"flag-{event.data.get('flag')}",
        reverse("rectification-staff:lookback"),
        Text(gettext_noop("A supervisor flagged commitment %(code)s"), params),
        Text(
            gettext_noop("A supervisor asks for a look-back at commitment %(code)s; it is in the look-back queue."),
            params,
        ),
    )


def _hotspot(event: AuditEvent) -> HandOver:
    from complaints.models import ProblemType

    from .models import Problem

    problem = Problem.objects.select_related("office").get(pk=event.target_id)
    kind = ProblemType.objects.get(code=event.data.get("problem_type"))
    params = {
        "office": problem.office.name,
        "type": Localized({"zh-hans": kind.name, "zh-hant": kind.name_zh_hant, "en": kind.name_en}),
        "n": len(event.data.get("complaints", [])),
    }
    return HandOver(
        [*office_staff(problem.office_id), *campaign_office_staff(problem.office)],
        problem,
        f"hotspot-{problem.pk}",
        reverse("rectification-staff:problem-detail", args=[problem.pk]),
        Text(gettext_noop("Hotspot: %(office)s, %(type)s"), params),
        Text(
            gettext_noop(
                "%(n)s substantiated complaints of the type “%(type)s” about %(office)s came in within a short "
                "time: a problem was recorded for the office to answer with a commitment."
            ),
            params,
        ),
    )


#: The audit verbs that hand work to someone, and the notice each calls for.
NOTICES: dict[str, Callable[[AuditEvent], HandOver]] = {
    "rectification.plan.submit": _plan_submitted,
    "rectification.plan.approve": _plan_approved,
    "rectification.plan.return": _plan_returned,
    "rectification.commitment.claim": _claimed,
    "rectification.commitment.verify": _verified,
    "rectification.commitment.send_back": _sent_back,
    "rectification.lookback.reopened": _reopened,
    "rectification.commitment.flag": _flagged,
    "rectification.hotspot.raised": _hotspot,
}


def tell(event: AuditEvent) -> int:
    """Write the notices of one step, each once; returns how many were new."""
    build = NOTICES.get(event.verb)
    return tell_step(build(event) if build else None, kind=KIND, actor_id=event.actor_id, at=event.created_at)
