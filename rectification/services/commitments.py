"""Commitments (整改承诺): drafted in the plan, published when the campaign
office approves it, revised in public with reasons, reported on with evidence,
claimed complete, and verified or sent back by the campaign office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dispatch import after_commit

from .. import rules
from ..models import Commitment, CommitmentRevision, Plan, ProgressUpdate, RectificationSettings
from ..tasks import notify_staff
from .common import Errors, audit, clean_text, require, store_evidence, write_evidence

if TYPE_CHECKING:
    from campaigns.models import User

Status = Commitment.Status
Handling = Commitment.Handling
Scope = Commitment.Scope
# What the public reads as the commitment: every change to these keeps a revision.
REVISED_FIELDS = ["content", "measures", "goal", "deadline"]
OTHER_FIELDS = [
    "responsible_office",
    "responsible_person",
    "responsible_title",
    "handling",
    "explanation",
    "higher_office",
    "scope",
]


def _link(commitment: Commitment) -> str:
    return reverse("rectification-staff:commitment-detail", args=[commitment.pk])


def _locked(commitment_id: int) -> Commitment:
    commitment: Commitment = (
        Commitment.objects.select_for_update()
        .select_related("plan", "plan__office", "plan__campaign", "responsible_office")
        .get(pk=commitment_id)
    )
    return commitment


def _bad_status(commitment: Commitment) -> ValidationError:
    return ValidationError(
        _("This cannot be done while the commitment is “%(status)s”.") % {"status": commitment.get_status_display()},
        code="bad_transition",
    )


# --- The fields -----------------------------------------------------------------------
def validate_fields(data: dict[str, Any], plan: Plan, *, current: Commitment | None = None) -> Errors:
    """Every rule on a commitment's fields, for creating (``current`` None), editing a
    draft, or revising a published one. ``data`` holds cleaned values."""
    errors = Errors()
    today = timezone.localdate()
    for field, message in (
        ("content", _("Say what will be rectified.")),
        ("measures", _("Say which measures will be taken; a commitment without measures is not accepted.")),
        ("goal", _("Say what the rectification will achieve.")),
        ("responsible_person", _("Name the person responsible.")),
    ):
        if not data.get(field):
            errors.add(field, message)
    deadline = data.get("deadline")
    if deadline is None:
        errors.add("deadline", _("Give a deadline; every commitment has one."))
    elif deadline < today and (current is None or current.status == Status.DRAFT or deadline != current.deadline):
        errors.add("deadline", _("The deadline cannot be before today."))
    problems = data.get("problems") or []
    if not problems:
        errors.add("problems", _("Choose the problem or problems this commitment answers."))
    for problem in problems:
        if problem.office_id != plan.office_id or problem.campaign_id != plan.campaign_id:
            errors.add(
                "problems",
                _("Problem %(code)s is not one of this office's problems in this campaign.") % {"code": problem.code},
            )
    if data.get("responsible_office") is None:
        errors.add("responsible_office", _("Choose the responsible office."))
    handling = data.get("handling")
    if handling not in Handling.values:
        errors.add("handling", _("Choose how the problem will be handled."))
    if handling == Handling.GRADUAL and not data.get("explanation"):
        errors.add(
            "explanation",
            _(
                "A problem solved step by step needs a public explanation: "
                "why it cannot be fixed at once, and the steps."
            ),
        )
    if handling == Handling.UPWARD:
        higher = data.get("higher_office")
        if higher is None:
            errors.add("higher_office", _("Name the higher office asked to coordinate."))
        elif higher.pk in (plan.office_id, getattr(data.get("responsible_office"), "pk", None)):
            errors.add("higher_office", _("The higher office must be another office than the responsible one."))
    scope = data.get("scope")
    if scope not in Scope.values:
        errors.add("scope", _("Choose where the commitment is published."))
    elif (
        scope == Scope.PUBLIC
        and plan.office_id in RectificationSettings.for_campaign(plan.campaign_id).key_office_ids()
    ):
        errors.add(
            "scope",
            _(
                "%(office)s is a key department: its public commitments are published through the media as well. "
                "Choose “Public and through the media”, or “Internal”."
            )
            % {"office": plan.office.name},
        )
    if (
        current is not None
        and current.status != Status.DRAFT
        and scope in Scope.values
        and Commitment.SCOPE_ORDER[scope] < Commitment.SCOPE_ORDER[current.scope]
    ):
        errors.add("scope", _("A published commitment cannot be taken out of public view; its scope can only widen."))
    return errors


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: value for key, value in data.items() if key in REVISED_FIELDS + OTHER_FIELDS + ["problems"]}
    for key in ("content", "measures", "goal", "responsible_person", "responsible_title", "explanation"):
        if key in clean:
            clean[key] = clean_text(clean[key])
    # Only the handling that needs them keeps an explanation or a higher office.
    if clean.get("handling") != Handling.GRADUAL:
        clean["explanation"] = ""
    if clean.get("handling") != Handling.UPWARD:
        clean["higher_office"] = None
    return clean


# --- Writing the plan's commitments -----------------------------------------------------
@transaction.atomic
def commitment_create(*, actor: User, plan_id: int, **data: Any) -> Commitment:
    plan = Plan.objects.select_for_update().select_related("office", "campaign").get(pk=plan_id)
    require(rules.works_on(actor, plan.office_id), _("Only the office's own staff can write its commitments."))
    if not plan.accepts_commitments:
        raise ValidationError(
            _("The plan is with the campaign office for review; commitments can be added once it is back.")
        )
    data = _normalised(data)
    validate_fields(data, plan).raise_if_any()
    problems = data.pop("problems")
    number = (plan.commitments.aggregate(n=Max("number"))["n"] or 0) + 1
    commitment = Commitment(plan=plan, number=number, original_deadline=data["deadline"], created_by=actor, **data)
    commitment.full_clean(exclude=["problems"])
    commitment.save()
    commitment.problems.set(problems)
    audit(commitment, actor, "commitment.create", plan=plan.pk)
    return commitment


@transaction.atomic
def commitment_update(*, actor: User, commitment_id: int, reason: str = "", **data: Any) -> Commitment:
    """A draft is simply changed. A published commitment keeps a revision of its
    earlier text, with who, when and why, whenever its content, measures, goal or
    deadline change; a deadline moves only with a reason and the original stays."""
    commitment = _locked(commitment_id)
    plan = commitment.plan
    require(rules.can_edit_commitment(actor, commitment), _("Only the office's own staff can change its commitments."))
    if commitment.status == Status.DRAFT:
        if not plan.accepts_commitments:
            raise ValidationError(_("The plan is with the campaign office for review; it cannot be changed now."))
    elif commitment.status not in Commitment.OPEN_STATUSES:
        raise ValidationError(
            _("A commitment that is “%(status)s” cannot be changed. A look-back can reopen it.")
            % {"status": commitment.get_status_display()},
            code="bad_transition",
        )
    data = _normalised(data)
    errors = validate_fields(data, plan, current=commitment)
    problems = data.pop("problems")
    changed = [field for field in REVISED_FIELDS if getattr(commitment, field) != data[field]]
    reason = clean_text(reason)
    published = commitment.status != Status.DRAFT
    if published and changed and not reason:
        if "deadline" in changed and data["deadline"] > commitment.deadline:
            errors.add("reason", _("A deadline is extended only with a reason, which the public will read."))
        else:
            errors.add("reason", _("Say why the commitment is revised; the public will read the reason."))
    errors.raise_if_any()
    if published and changed:
        CommitmentRevision.objects.create(
            commitment=commitment,
            number=commitment.revisions.count() + 1,
            changed_fields=changed,
            content=commitment.content,
            measures=commitment.measures,
            goal=commitment.goal,
            deadline=commitment.deadline,
            new_deadline=data["deadline"],
            reason=reason,
            revised_by=actor,
            revised_at=timezone.now(),
        )
    other_changed = [field for field in OTHER_FIELDS if getattr(commitment, field) != data[field]]
    for field, value in data.items():
        setattr(commitment, field, value)
    if not published:
        commitment.original_deadline = commitment.deadline
    commitment.full_clean(exclude=["problems"])
    commitment.save()
    before = set(commitment.problems.values_list("pk", flat=True))
    commitment.problems.set(problems)
    audit(
        commitment,
        actor,
        "commitment.revise" if published else "commitment.update",
        changed=changed + other_changed + (["problems"] if before != {p.pk for p in problems} else []),
        reason=reason,
    )
    return commitment


@transaction.atomic
def commitment_delete(*, actor: User, commitment_id: int) -> None:
    commitment = _locked(commitment_id)
    require(rules.can_edit_commitment(actor, commitment), _("Only the office's own staff can change its commitments."))
    if commitment.status != Status.DRAFT:
        raise ValidationError(
            _("Only a draft commitment can be deleted; a published one stays on record."), code="bad_transition"
        )
    if not commitment.plan.accepts_commitments:
        raise ValidationError(_("The plan is with the campaign office for review; it cannot be changed now."))
    audit(commitment.plan, actor, "commitment.delete", commitment=commitment.pk, number=commitment.number)
    commitment.problems.clear()
    commitment.delete()


@transaction.atomic
def commitment_publish(*, actor: User, commitment_id: int) -> Commitment:
    """A draft added to a plan the campaign office already filed is published by the office."""
    commitment = _locked(commitment_id)
    require(rules.can_edit_commitment(actor, commitment), _("Only the office's own staff can publish its commitments."))
    if commitment.status != Status.DRAFT:
        raise _bad_status(commitment)
    if commitment.plan.status != Plan.Status.APPROVED:
        raise ValidationError(
            _("Commitments are published when the campaign office approves the plan. Submit the plan first."),
            code="bad_transition",
        )
    if commitment.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline has passed. Set a new one before publishing.")})
    commitment.status = Status.PUBLISHED
    commitment.published_at = timezone.now()
    commitment.original_deadline = commitment.deadline
    commitment.save(update_fields=["status", "published_at", "original_deadline", "updated_at"])
    audit(commitment, actor, "commitment.publish")
    return commitment


# --- Progress and completion --------------------------------------------------------------
def _check_report_date(commitment: Commitment, reported_on: dt.date, errors: Errors) -> None:
    today = timezone.localdate()
    if reported_on > today:
        errors.add("reported_on", _("The date cannot be in the future."))
    elif commitment.published_at and reported_on < timezone.localdate(commitment.published_at):
        errors.add("reported_on", _("The date cannot be before the commitment was published."))


@transaction.atomic
def progress_report(
    *,
    actor: User,
    commitment_id: int,
    percent: int | str | None,
    text: str,
    reported_on: dt.date | None = None,
    decrease_reason: str = "",
    evidence: Iterable[UploadedFile] = (),
) -> ProgressUpdate:
    commitment = _locked(commitment_id)
    require(rules.can_report_on(actor, commitment), _("Only the responsible offices can report progress."))
    if commitment.status not in Commitment.OPEN_STATUSES:
        raise _bad_status(commitment)
    reported_on = reported_on or timezone.localdate()
    errors = Errors()
    text, decrease_reason = clean_text(text), clean_text(decrease_reason)
    if percent is None or not 0 <= int(percent) <= 100:
        errors.add("percent", _("Progress is a percentage between 0 and 100."))
    elif int(percent) < commitment.progress and not decrease_reason:
        errors.add(
            "decrease_reason",
            _("Progress was %(before)d%%; say why it goes down to %(after)d%%.")
            % {"before": commitment.progress, "after": int(percent)},
        )
    if not text:
        errors.add("text", _("Say what was done."))
    _check_report_date(commitment, reported_on, errors)
    cleaned = store_evidence(None, evidence, errors)
    errors.raise_if_any()
    assert percent is not None  # refused above
    assert actor.office_id is not None  # rules.can_report_on: staff of an office
    update = ProgressUpdate.objects.create(
        commitment=commitment,
        kind=ProgressUpdate.Kind.PROGRESS,
        reported_on=reported_on,
        percent=int(percent),
        text=text,
        decrease_reason=decrease_reason if int(percent) < commitment.progress else "",
        author=actor,
        office_id=actor.office_id,
        created_at=timezone.now(),
    )
    write_evidence(update, cleaned)
    before = commitment.progress
    commitment.progress = int(percent)
    fields = ["progress", "updated_at"]
    if commitment.status == Status.PUBLISHED:
        commitment.status = Status.IN_PROGRESS
        fields.append("status")
    commitment.save(update_fields=fields)
    audit(commitment, actor, "commitment.progress", update=update.pk, before=before, after=int(percent))
    return update


@transaction.atomic
def commitment_claim_completion(
    *,
    actor: User,
    commitment_id: int,
    text: str,
    evidence: Iterable[UploadedFile] = (),
    reported_on: dt.date | None = None,
) -> ProgressUpdate:
    """The office says it is done, with evidence; the campaign office then verifies."""
    commitment = _locked(commitment_id)
    require(rules.can_report_on(actor, commitment), _("Only the responsible offices can claim completion."))
    if commitment.status not in Commitment.OPEN_STATUSES:
        raise _bad_status(commitment)
    reported_on = reported_on or timezone.localdate()
    errors = Errors()
    text = clean_text(text)
    if not text:
        errors.add("text", _("Say what was done and how the goal was reached."))
    evidence = list(evidence or [])
    if not evidence:
        errors.add("evidence", _("Completion is claimed with evidence: attach at least one document or photo."))
    _check_report_date(commitment, reported_on, errors)
    cleaned = store_evidence(None, evidence, errors)
    errors.raise_if_any()
    assert actor.office_id is not None  # rules.can_report_on: staff of an office
    update = ProgressUpdate.objects.create(
        commitment=commitment,
        kind=ProgressUpdate.Kind.COMPLETION,
        reported_on=reported_on,
        percent=100,
        text=text,
        author=actor,
        office_id=actor.office_id,
        created_at=timezone.now(),
    )
    write_evidence(update, cleaned)
    commitment.status = Status.COMPLETED
    commitment.progress = 100
    commitment.completed_at = timezone.now()
    commitment.claim_count += 1
    commitment.save(update_fields=["status", "progress", "completed_at", "claim_count", "updated_at"])
    event = audit(
        commitment,
        actor,
        "commitment.claim",
        update=update.pk,
        on_time=reported_on <= commitment.deadline,
        claim=commitment.claim_count,
    )
    after_commit(notify_staff, event.pk)
    return update


@transaction.atomic
def commitment_verify(*, actor: User, commitment_id: int) -> Commitment:
    require(rules.is_coordinator(actor), _("Only the campaign office can verify a commitment."))
    commitment = _locked(commitment_id)
    if commitment.status != Status.COMPLETED:
        raise ValidationError(
            _("Only a commitment whose completion was claimed can be verified (this one is “%(status)s”).")
            % {"status": commitment.get_status_display()},
            code="bad_transition",
        )
    commitment.status = Status.VERIFIED
    commitment.verified_at = timezone.now()
    commitment.verified_by = actor
    commitment.save(update_fields=["status", "verified_at", "verified_by", "updated_at"])
    event = audit(commitment, actor, "commitment.verify", claim=commitment.claim_count)
    after_commit(notify_staff, event.pk)
    return commitment


@transaction.atomic
def commitment_send_back(*, actor: User, commitment_id: int, reason: str) -> Commitment:
    require(rules.is_coordinator(actor), _("Only the campaign office can send a commitment back."))
    commitment = _locked(commitment_id)
    if commitment.status != Status.COMPLETED:
        raise ValidationError(
            _("Only a commitment whose completion was claimed can be sent back (this one is “%(status)s”).")
            % {"status": commitment.get_status_display()},
            code="bad_transition",
        )
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the commitment is sent back; the office reads it.")})
    commitment.status = Status.SENT_BACK
    commitment.send_back_reason = reason
    commitment.send_back_count += 1
    commitment.completed_at = None
    commitment.save(update_fields=["status", "send_back_reason", "send_back_count", "completed_at", "updated_at"])
    event = audit(commitment, actor, "commitment.send_back", reason=reason, sent_back=commitment.send_back_count)
    after_commit(notify_staff, event.pk)
    return commitment
