"""The plan (整改方案): written by the office, approved by its leadership
collectively, submitted to the campaign office and filed (approved) or returned
with comments. Approval publishes the plan's draft commitments."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit

from .. import rules
from ..models import Commitment, Plan
from ..tasks import notify_staff
from .common import Errors, audit, clean_text, current_campaign_or_error, require

if TYPE_CHECKING:
    from campaigns.models import User

Status = Plan.Status


def _locked(plan_id: int) -> Plan:
    plan: Plan = Plan.objects.select_for_update().select_related("office", "campaign").get(pk=plan_id)
    return plan


def _check_text(summary: str, approved_on: dt.date | None, errors: Errors, *, for_submission: bool) -> None:
    today = timezone.localdate()
    if approved_on and approved_on > today:
        errors.add("approved_collectively_on", _("The date cannot be in the future."))
    if for_submission:
        if not summary:
            errors.add("summary", _("Write the plan's summary before submitting it."))
        if not approved_on:
            errors.add(
                "approved_collectively_on",
                _(
                    "Give the date the office's leadership approved the plan collectively; "
                    "a plan is submitted only after that."
                ),
            )


@transaction.atomic
def plan_save(
    *, actor: User, summary: str, approved_collectively_on: dt.date | None = None, plan_id: int | None = None
) -> Plan:
    """Start the actor's office's plan for the current campaign, or change its text."""
    summary = clean_text(summary)
    errors = Errors()
    _check_text(summary, approved_collectively_on, errors, for_submission=False)
    if plan_id is None:
        require(rules.works_on(actor), _("Only office staff can write their office's plan."))
        assert actor.office_id is not None  # rules.works_on: staff of an office
        campaign = current_campaign_or_error()
        errors.raise_if_any()
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    campaign=campaign,
                    office_id=actor.office_id,
                    summary=summary,
                    approved_collectively_on=approved_collectively_on,
                )
        except IntegrityError as exc:
            raise ValidationError(_("Your office already has a plan for this campaign.")) from exc
        audit(plan, actor, "plan.create")
        return plan
    plan = _locked(plan_id)
    require(rules.works_on(actor, plan.office_id), _("Only the office's own staff can change its plan."))
    if not plan.text_editable:
        raise ValidationError(
            _("The plan cannot be changed while it is “%(status)s”.") % {"status": plan.get_status_display()}
        )
    errors.raise_if_any()
    plan.summary = summary
    plan.approved_collectively_on = approved_collectively_on
    plan.save(update_fields=["summary", "approved_collectively_on", "updated_at"])
    audit(plan, actor, "plan.update")
    return plan


@transaction.atomic
def plan_submit(*, actor: User, plan_id: int) -> Plan:
    plan = _locked(plan_id)
    require(rules.works_on(actor, plan.office_id), _("Only the office's own staff can submit its plan."))
    if plan.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("Only a draft or returned plan can be submitted."), code="bad_transition")
    errors = Errors()
    _check_text(plan.summary, plan.approved_collectively_on, errors, for_submission=True)
    if not plan.commitments.exists():
        errors.add(None, _("Add at least one commitment before submitting the plan."))
    errors.raise_if_any()
    plan.status = Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = actor
    plan.submission_count += 1
    plan.save(update_fields=["status", "submitted_at", "submitted_by", "submission_count", "updated_at"])
    event = audit(plan, actor, "plan.submit", submission=plan.submission_count)
    after_commit(notify_staff, event.pk)
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan_id: int, comments: str = "") -> Plan:
    """File the plan; its draft commitments are published at the same moment."""
    require(rules.is_coordinator(actor), _("Only the campaign office can approve a plan."))
    plan = _locked(plan_id)
    if plan.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."), code="bad_transition")
    today = timezone.localdate()
    drafts = list(plan.commitments.select_for_update().filter(status=Commitment.Status.DRAFT).order_by("number"))
    late = [c for c in drafts if c.deadline < today]
    if late:
        raise ValidationError(
            _(
                "The deadline of commitment %(numbers)s has already passed. "
                "Return the plan so the office can set a new one."
            )
            % {"numbers": "、".join(f"{plan.office.display_name}-{c.number}" for c in late)}
        )
    now = timezone.now()
    plan.status = Status.APPROVED
    plan.reviewed_at = now
    plan.reviewed_by = actor
    plan.review_comments = clean_text(comments)
    plan.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comments", "updated_at"])
    for commitment in drafts:
        commitment.status = Commitment.Status.PUBLISHED
        commitment.published_at = now
        commitment.original_deadline = commitment.deadline
        commitment.save(update_fields=["status", "published_at", "original_deadline", "updated_at"])
    event = audit(
        plan,
        actor,
        "plan.approve",
        published=[c.pk for c in drafts],
        submission=plan.submission_count,
        comments=plan.review_comments,
    )
    after_commit(notify_staff, event.pk)
    return plan


@transaction.atomic
def plan_return(*, actor: User, plan_id: int, comments: str) -> Plan:
    require(rules.is_coordinator(actor), _("Only the campaign office can return a plan."))
    plan = _locked(plan_id)
    if plan.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be returned."), code="bad_transition")
    comments = clean_text(comments)
    if not comments:
        raise ValidationError({"comments": _("Say what the office should change; the comments go back with the plan.")})
    now = timezone.now()
    plan.status = Status.RETURNED
    plan.reviewed_at = now
    plan.reviewed_by = actor
    plan.review_comments = comments
    plan.return_count += 1
    plan.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comments", "return_count", "updated_at"])
    event = audit(plan, actor, "plan.return", comments=comments, returned=plan.return_count)
    after_commit(notify_staff, event.pk)
    return plan
