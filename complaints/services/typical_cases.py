"""Typical cases (典型案例): a closed complaint published as an example."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import redaction, rules
from ..models import ComplainantIdentity, ComplaintEvent, TypicalCase
from .common import Kind, locked, require_permitted

if TYPE_CHECKING:
    from campaigns.models import User


@transaction.atomic
def typical_case_publish(
    *, complaint_id: int, actor: User, kind: str, title: str, summary: str, allow_corruption: bool = False
) -> TypicalCase:
    complaint = locked(complaint_id)
    require_permitted(complaint, actor, "publish")
    if complaint.status not in rules.STEP_STATUSES["publish"]:
        raise ValidationError(_("Only a closed complaint can be published as a typical case."))
    if complaint.problem_type.is_corruption and not (allow_corruption or complaint.publish_allowed):
        raise ValidationError(
            _("Complaints about corruption are not published unless the centre decides so explicitly.")
        )
    errors = {}
    if kind not in TypicalCase.Kind.values:
        errors["kind"] = _("Choose positive or negative.")
    if not (title or "").strip():
        errors["title"] = _("This field is required.")
    if len((summary or "").strip()) < 20:
        errors["summary"] = _("Write a summary of at least 20 characters.")
    identity = ComplainantIdentity.objects.filter(complaint=complaint).first()
    if not errors and redaction.personal_data(f"{title} {summary}", identity):
        errors["summary"] = _("The summary contains a name, phone number, ID number or e-mail address. Remove it.")
    if errors:
        raise ValidationError(errors)
    if allow_corruption and not complaint.publish_allowed:
        complaint.publish_allowed = True
        complaint.save(update_fields=["publish_allowed", "updated_at"])
    case = TypicalCase.objects.create(
        complaint=complaint, kind=kind, title=title.strip(), summary=summary.strip(), published_by=actor
    )
    ComplaintEvent.record(complaint, actor, Kind.PUBLISHED, case=case.pk)
    return case
