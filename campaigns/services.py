"""Business rules for campaigns and tasks.

Every write goes through one of these functions: each runs in one transaction,
checks the rule on the server whoever calls it (view, admin, task or shell), and
records an ``AuditEvent``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.dispatch import after_commit

from .models import AuditEvent, Campaign, Phase, Task, TaskAssignment, TaskComment, TaskReport
from .tasks import notify_staff

if TYPE_CHECKING:
    from campaigns.models import User


# --- Phases ---------------------------------------------------------------------
def phase_dates_errors(phase: Phase, campaign: Campaign, siblings: Iterable[Phase]) -> dict[str, str]:
    """Why ``phase``'s dates don't fit its campaign and ``siblings`` (empty if they do).

    Shared by the model's ``clean`` and the admin's inline formset, which has to
    check phases against each other before any of them is saved.
    """
    errors: dict[str, str] = {}
    if phase.end_date < phase.start_date:
        errors["end_date"] = _("A phase cannot end before it starts.")
        return errors
    if campaign.start_date and phase.start_date < campaign.start_date:
        errors["start_date"] = _("The phase starts before its campaign (campaign: %(start)s to %(end)s).") % {
            "start": campaign.start_date,
            "end": campaign.end_date,
        }
    if campaign.end_date and phase.end_date > campaign.end_date:
        errors["end_date"] = _("The phase ends after its campaign (campaign: %(start)s to %(end)s).") % {
            "start": campaign.start_date,
            "end": campaign.end_date,
        }
    for other in siblings:
        if other.start_date <= phase.end_date and phase.start_date <= other.end_date:
            errors.setdefault(
                "start_date",
                _("The phase overlaps “%(name)s” (%(start)s to %(end)s).")
                % {"name": other.name, "start": other.start_date, "end": other.end_date},
            )
            break
    # The order is the order of the dates: a phase numbered before another runs before it.
    if phase.order is not None and "start_date" not in errors:
        for other in siblings:
            if other.order is None or other.order == phase.order:
                continue
            if (other.order < phase.order) != (other.start_date < phase.start_date):
                if other.start_date > phase.start_date:
                    message = _(
                        "Phase %(order)s “%(name)s” runs after this one: number the phases in the order of their dates."
                    )
                else:
                    message = _(
                        "Phase %(order)s “%(name)s” runs before this one: "
                        "number the phases in the order of their dates."
                    )
                errors["order"] = message % {"order": other.order, "name": other.name}
                break
    return errors


def campaign_status_errors(campaign: Campaign) -> dict[str, str]:
    """A draft is not shown to the public, so it cannot be the current campaign."""
    if campaign.is_current and campaign.status == campaign.Status.DRAFT:
        return {"is_current": _("A draft campaign cannot be current: set it to running first.")}
    return {}


# --- Campaigns ------------------------------------------------------------------
#: A campaign the user reads but does not plan (``Campaign.objects.planned_by``).
NOT_PLANNED_HERE = gettext_lazy("“%(name)s” is planned at another level of government: you can read it, not change it.")


@transaction.atomic
def campaign_make_current(*, campaign_id: int, actor: User) -> Campaign:
    """Make one campaign the public site's current one (shown first), clearing the
    previous: only by a campaign office that plans both (a district never displaces
    the city's campaign, nor puts its own in front of another level's)."""
    if not actor.has_perm("campaigns.coordinate_campaign"):
        raise PermissionDenied
    planned = Campaign.objects.planned_by(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.status == Campaign.Status.DRAFT:
        raise ValidationError(_("A draft campaign cannot be current: set it to running first."))
    previous = list(Campaign.objects.select_for_update().filter(is_current=True).exclude(pk=campaign.pk))
    for other in [campaign, *previous]:
        if not planned.filter(pk=other.pk).exists():
            raise PermissionDenied(NOT_PLANNED_HERE % {"name": other.name})
    for other in previous:
        other.is_current = False
        other.save(update_fields=["is_current", "updated_at"])
    campaign.is_current = True
    campaign.save(update_fields=["is_current", "updated_at"])
    AuditEvent.record(campaign, actor, "campaign.make_current", previous=[c.pk for c in previous])
    return campaign


# --- Tasks ----------------------------------------------------------------------
def _assignment_for(task: Task, user: User) -> TaskAssignment | None:
    if not user.office_id:
        return None
    return next((a for a in task.assignments.all() if a.office_id == user.office_id), None)


def can_report(user: User, task: Task) -> bool:
    return (
        user.has_perm("campaigns.report_on_task")
        and task.status != Task.Status.DONE
        and _assignment_for(task, user) is not None
    )


def can_complete(user: User, task: Task) -> bool:
    assignment = _assignment_for(task, user)
    return (
        user.has_perm("campaigns.report_on_task")
        and task.status != Task.Status.DONE
        and assignment is not None
        and assignment.role == TaskAssignment.Role.LEAD
    )


def can_coordinate(user: User) -> bool:
    return user.has_perm("campaigns.coordinate_campaign")


def can_comment(user: User) -> bool:
    return user.has_perm("campaigns.comment_on_task")


@transaction.atomic
def task_report_create(
    *,
    task_id: int,
    actor: User,
    text: str,
    progress: int,
    contribution_complete: bool = False,
    attachment: UploadedFile | None = None,
    report_date: dt.date | None = None,
) -> TaskReport:
    """File a progress report for the actor's office on a task it is assigned to.

    The lead office's report moves the task's progress; a co-office's report
    marked complete is that office's submission.
    """
    task = Task.objects.select_for_update().get(pk=task_id)
    office_id = actor.office_id
    assignment = None if office_id is None else TaskAssignment.objects.filter(task=task, office_id=office_id).first()
    if assignment is None or not actor.has_perm("campaigns.report_on_task"):
        raise PermissionDenied(_("Only the offices assigned to a task can report on it."))
    if task.status == Task.Status.DONE:
        raise ValidationError(_("This task is done. Ask the campaign office to reopen it before reporting."))
    report = TaskReport(
        task=task,
        office_id=assignment.office_id,
        author=actor,
        text=text,
        progress=progress,
        contribution_complete=contribution_complete and assignment.role == TaskAssignment.Role.CO,
        report_date=report_date or timezone.localdate(),
    )
    if attachment is not None:
        report.attachment = attachment
        report.attachment_name = (attachment.name or "")[:255]
    report.full_clean()
    report.save()

    fields = []
    if task.status == Task.Status.NOT_STARTED:
        task.status = Task.Status.IN_PROGRESS
        fields.append("status")
    if assignment.role == TaskAssignment.Role.LEAD:
        task.progress = progress
        fields.append("progress")
    if fields:
        task.save(update_fields=[*fields, "updated_at"])
    if report.contribution_complete and assignment.submitted_at is None:
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at", "updated_at"])
    AuditEvent.record(
        task,
        actor,
        "task.report",
        report=report.pk,
        progress=progress,
        contribution_complete=report.contribution_complete,
    )
    return report


@transaction.atomic
def task_complete(*, task_id: int, actor: User) -> Task:
    """The lead office marks the task done, once every co-office has submitted
    its contribution or been waived by the campaign office."""
    task = Task.objects.select_for_update().get(pk=task_id)
    assignments = list(task.assignments.select_related("office"))
    lead = next((a for a in assignments if a.role == TaskAssignment.Role.LEAD), None)
    if lead is None or lead.office_id != actor.office_id or not actor.has_perm("campaigns.report_on_task"):
        raise PermissionDenied(_("Only the lead office can mark a task as done."))
    if task.status == Task.Status.DONE:
        raise ValidationError(_("This task is already done."))
    pending = [a.office.name for a in assignments if a.role == TaskAssignment.Role.CO and not a.is_settled]
    if pending:
        raise ValidationError(
            _("These co-offices have not submitted their contribution yet: %(offices)s.")
            % {"offices": "、".join(pending)}
        )
    task.status = Task.Status.DONE
    task.progress = 100
    task.completed_at = timezone.now()
    task.save(update_fields=["status", "progress", "completed_at", "updated_at"])
    AuditEvent.record(task, actor, "task.complete", on_time=task.completed_at.date() <= task.deadline)
    return task


@transaction.atomic
def task_reopen(*, task_id: int, actor: User, reason: str) -> Task:
    if not can_coordinate(actor):
        raise PermissionDenied(_("Only the campaign office can reopen a task."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the task is reopened.")})
    task = Task.objects.select_for_update().get(pk=task_id)
    if task.status != Task.Status.DONE:
        raise ValidationError(_("Only a task that is done can be reopened."))
    task.status = Task.Status.IN_PROGRESS
    task.completed_at = None
    task.save(update_fields=["status", "completed_at", "updated_at"])
    event = AuditEvent.record(task, actor, "task.reopen", reason=reason)
    after_commit(notify_staff, event.pk)
    return task


@transaction.atomic
def assignment_waive(*, assignment_id: int, actor: User, reason: str) -> TaskAssignment:
    """The campaign office releases a co-office from submitting its contribution."""
    if not can_coordinate(actor):
        raise PermissionDenied(_("Only the campaign office can waive a co-office's contribution."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A waiver needs a reason.")})
    assignment = TaskAssignment.objects.select_for_update().get(pk=assignment_id)
    if assignment.role != TaskAssignment.Role.CO:
        raise ValidationError(_("Only a co-office's contribution can be waived."))
    if assignment.is_settled:
        raise ValidationError(_("This contribution is already submitted or waived."))
    assignment.waived_at = timezone.now()
    assignment.waived_by = actor
    assignment.waiver_reason = reason
    assignment.save(update_fields=["waived_at", "waived_by", "waiver_reason", "updated_at"])
    AuditEvent.record(assignment.task, actor, "assignment.waive", office=assignment.office_id, reason=reason)
    return assignment


@transaction.atomic
def task_comment_create(*, task_id: int, actor: User, text: str) -> TaskComment:
    if not can_comment(actor):
        raise PermissionDenied(_("You cannot comment on tasks."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The comment is empty.")})
    task = Task.objects.get(pk=task_id)
    comment = TaskComment.objects.create(task=task, author=actor, text=text)
    AuditEvent.record(task, actor, "task.comment", comment=comment.pk)
    return comment
