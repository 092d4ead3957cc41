"""The plan (整改方案): written by the office, approved by its leadership
collectively, submitted to the campaign office and filed (approved) or returned
with comments. Approval publishes the plan's draft commitments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notices, rules
from ..models import Commitment, Plan
from .common import Errors, audit, clean_text, current_campaign_or_error, require

Status = Plan.Status


def _locked(plan_id: int) -> Plan:
    return Plan.objects.select_for_update().select_related("office", "campaign").get(pk=plan_id)


def _check_text(summary: str, approved_on, errors: Errors, *, for_submission: bool) -> None:
    today = timezone.localdate()
    if approved_on and approved_on > today:
        errors.add("approved_collectively_on", _("The date cannot be in the future."))
    if for_submission:
        if not summary:
            errors.add("summary", _("Write the plan's summary before submitting it."))
        if not approved_on:
            errors.add(
                "approved_collectively_on",
                _("Give the date the office's leadership approved the plan collectively; "
                  "a plan is submitted only after that."),
            )


@transaction.atomic
def plan_save(*, actor, summary: str, approved_collectively_on=None, plan_id: int | None = None) -> Plan:
    """Start the actor's office's plan for the current campaign, or change its text."""
    summary = clean_text(summary)
    errors = Errors()
    _check_text(summary, approved_collectively_on, errors, for_submission=False)
    if plan_id is None:
        require(rules.works_on(actor), _("Only office staff can write their office's plan."))
        campaign = current_campaign_or_error()
        errors.raise_if_any()
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    campaign=campaign, office_id=actor.office_id, summary=summary,
                    approved_collectively_on=approved_collectively_on,
                )
        except IntegrityError as exc:
            raise ValidationError(_("Your office already has a plan for this campaign.")) from exc
        audit(plan, actor, "plan.create")
        return plan
    plan = _locked(plan_id)
    require(rules.works_on(actor, plan.office_id), _("Only the office's own staff can change its plan."))
    if not plan.text_editable:
        raise ValidationError(_("The plan cannot be changed while it is “%(status)s”.") % {"status": plan.get_status_display()})
    errors.raise_if_any()
    plan.summary = summary
    plan.approved_collectively_on = approved_collectively_on
    plan.save(update_fields=["summary", "approved_collectively_on", "updated_at"])
    audit(plan, actor, "plan.update")
    return plan


@transaction.atomic
def plan_submit(*, actor, plan_id: int) -> Plan:
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
    audit(plan, actor, "plan.submit", submission=plan.submission_count)

    def message():
        return (
            _("Plan submitted for review: %(office)s") % {"office": plan.office.name},
            _("%(office)s submitted its rectification plan. Please approve it or return it with comments.")
            % {"office": plan.office.name},
        )

    notices.notify(
        notices.campaign_office_staff(), target=plan, step=f"plan-submitted-{plan.submission_count}",
        day=timezone.localdate(plan.submitted_at), link=reverse("rectification-staff:plan-detail", args=[plan.pk]),
        message=message,
    )
    return plan


@transaction.atomic
def plan_approve(*, actor, plan_id: int, comments: str = "") -> Plan:
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
            _("The deadline of commitment %(numbers)s has already passed. Return the plan so the office can set a new one.")
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
    audit(plan, actor, "plan.approve", published=[c.pk for c in drafts])

    def message():
        return (
            _("Plan approved: %(office)s") % {"office": plan.office.name},
            _("The campaign office filed your rectification plan; its commitments are now published.")
            + (f"\n\n{plan.review_comments}" if plan.review_comments else ""),
        )

    notices.notify(
        notices.office_staff(plan.office_id), target=plan, step=f"plan-approved-{plan.submission_count}",
        day=timezone.localdate(now), link=reverse("rectification-staff:plan-detail", args=[plan.pk]), message=message,
    )
    return plan


@transaction.atomic
def plan_return(*, actor, plan_id: int, comments: str) -> Plan:
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
    audit(plan, actor, "plan.return", comments=comments)

    def message():
        return (
            _("Plan returned with comments: %(office)s") % {"office": plan.office.name},
            _("The campaign office returned your rectification plan with these comments:") + f"\n\n{comments}",
        )

    notices.notify(
        notices.office_staff(plan.office_id), target=plan, step=f"plan-returned-{plan.return_count}",
        day=timezone.localdate(now), link=reverse("rectification-staff:plan-detail", args=[plan.pk]), message=message,
    )
    return plan
