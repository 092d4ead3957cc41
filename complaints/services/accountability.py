"""Accountability cases (责任追究): opened once per complaint and reason, decided
by the centre with its reasoning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AccountabilityCase, Complaint, ComplaintEvent
from .common import Kind, require_permitted

if TYPE_CHECKING:
    from campaigns.models import Office, User


def open_case(complaint: Complaint, reason: str, office: Office | None, person: str = "") -> AccountabilityCase | None:
    """Open the case for (complaint, reason) exactly once; the unique constraint decides races."""
    with transaction.atomic():
        case, created = AccountabilityCase.objects.get_or_create(
            complaint=complaint, reason=reason, defaults={"office": office, "person": person}
        )
    if created:
        ComplaintEvent.record(complaint, None, Kind.CASE_OPENED, reason=reason, case=case.pk)
        return case
    return None


@transaction.atomic
def case_decide(*, case_id: int, actor: User, decision: str, reasoning: str, person: str = "") -> AccountabilityCase:
    case = AccountabilityCase.objects.select_for_update().select_related("complaint").get(pk=case_id)
    require_permitted(case.complaint, actor, "decide_case")
    if case.decision != AccountabilityCase.Decision.PENDING:
        raise ValidationError(_("This case has already been decided."))
    errors = {}
    if decision not in AccountabilityCase.Decision.values or decision == AccountabilityCase.Decision.PENDING:
        errors["decision"] = _("Choose a decision.")
    if not (reasoning or "").strip():
        errors["reasoning"] = _("Give the reasoning for the decision.")
    if errors:
        raise ValidationError(errors)
    case.decision = decision
    case.reasoning = reasoning.strip()
    case.decided_on = timezone.localdate()
    case.decided_by = actor
    if person:
        case.person = person.strip()
    case.save()
    ComplaintEvent.record(case.complaint, actor, Kind.NOTE, internal_note=f"case {case.pk}: {decision}")
    return case
