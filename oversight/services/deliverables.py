"""Uploading versions of a deliverable and reviewing them."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import AuditEvent
from kernel.dispatch import after_commit
from kernel.text import single_line
from kernel.validators import validate_attachment

from ..models import Deliverable, Submission
from ..tasks import notify_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from campaigns.models import User

Status = Submission.Status


def can_submit(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.office_id is not None and user.has_perm("oversight.submit_deliverables")


def can_review(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("oversight.review_deliverables")


def applies_to(deliverable: Deliverable, office_id: int | None) -> bool:
    return office_id is not None and deliverable.offices.filter(pk=office_id).exists()


@transaction.atomic
def deliverable_submit(*, deliverable_id: int, actor: User, file: UploadedFile | None, note: str = "") -> Submission:
    """The actor's office hands in a new version. Refused when the deliverable does
    not apply to that office, when its current version is accepted, or when the
    file is of the wrong type or size. The previous version waiting for review is
    replaced by this one."""
    if not can_submit(actor):
        raise PermissionDenied(_("Only office staff can hand in deliverables."))
    assert actor.office_id is not None  # can_submit: staff of an office
    deliverable = Deliverable.objects.select_related("phase").get(pk=deliverable_id)
    if not applies_to(deliverable, actor.office_id):
        assert actor.office is not None  # can_submit: staff of an office
        raise ValidationError(
            {
                "file": _("“%(title)s” does not apply to your office (%(office)s), so it cannot be handed in.")
                % {"title": deliverable.title, "office": actor.office.name}
            },
            code="not_applicable",
        )
    if file is None:
        raise ValidationError({"file": _("Choose the file to hand in.")}, code="required")
    try:
        validate_attachment(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}, code="bad_file") from exc
    assert file.size is not None  # validate_attachment compared it with the limit
    # Lock this office's versions of the deliverable so two uploads never take the same number.
    versions = list(
        Submission.objects.select_for_update()
        .filter(deliverable=deliverable, office_id=actor.office_id)
        .order_by("-version")
    )
    latest = versions[0] if versions else None
    if latest is not None and latest.status == Status.ACCEPTED:
        raise ValidationError(
            {
                "file": _("This deliverable was accepted on %(date)s; no new version can be handed in.")
                % {"date": timezone.localdate(latest.reviewed_at).isoformat()}
            },
            code="already_accepted",
        )
    if latest is not None and latest.status == Status.SUBMITTED:
        latest.status = Status.SUPERSEDED
        latest.save(update_fields=["status"])
    version = (
        Submission.objects.filter(deliverable=deliverable, office_id=actor.office_id).aggregate(m=Max("version"))["m"]
        or 0
    ) + 1
    name = single_line(PurePath(file.name or "").name)[:255] or "document"
    submission = Submission(
        deliverable=deliverable,
        office_id=actor.office_id,
        version=version,
        original_name=name,
        size=file.size,
        note=(note or "").strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    file.seek(0)
    submission.file.save(name, file, save=False)
    try:
        submission.save()
    except Exception:
        # Nothing half-saved: no row, so no file either.
        submission.file.delete(save=False)
        raise
    event = AuditEvent.record(
        deliverable,
        actor,
        "deliverable.submit",
        office=actor.office_id,
        version=version,
        submission=submission.pk,
        note=submission.note,
    )
    after_commit(notify_staff, event.pk)
    return submission


def _review(submission_id: int, actor: User, status: str, comment: str) -> Submission:
    if not can_review(actor):
        raise PermissionDenied(_("Only the campaign office can accept or return deliverables."))
    submission = Submission.objects.select_for_update().select_related("deliverable").get(pk=submission_id)
    if submission.status != Status.SUBMITTED:
        raise ValidationError(
            _("Version %(version)d is “%(status)s”; only a version awaiting review can be accepted or returned.")
            % {"version": submission.version, "status": submission.get_status_display()},
            code="bad_transition",
        )
    comment = (comment or "").strip()
    if status == Status.RETURNED and not comment:
        raise ValidationError(
            {"comment": _("Say what must change before the deliverable can be accepted.")}, code="required"
        )
    submission.status = status
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    event = AuditEvent.record(
        submission.deliverable,
        actor,
        f"deliverable.{status}",
        office=submission.office_id,
        version=submission.version,
        comment=comment,
    )
    after_commit(notify_staff, event.pk)
    return submission


@transaction.atomic
def submission_accept(*, submission_id: int, actor: User, comment: str = "") -> Submission:
    return _review(submission_id, actor, Status.ACCEPTED, comment)


@transaction.atomic
def submission_return(*, submission_id: int, actor: User, comment: str) -> Submission:
    return _review(submission_id, actor, Status.RETURNED, comment)
