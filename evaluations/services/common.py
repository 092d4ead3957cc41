from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Ballot, Survey
from ..querysets import can_manage

if TYPE_CHECKING:
    from campaigns.models import User


def require_manager(actor: User) -> None:
    if actor is None or not can_manage(actor):
        raise PermissionDenied(_("Only the campaign office can run appraisals."))


def voting_has_begun(survey_id: int) -> bool:
    return Ballot.objects.filter(survey_id=survey_id).exists()


def refuse_if_voting_began(survey: Survey, field: str | None = None) -> None:
    """The ballot is frozen once anyone has answered: its offices, questions and groups
    would otherwise mean different things on different ballots."""
    if voting_has_begun(survey.pk):
        message = _("Voting has begun: the ballot (offices, questions, groups and weights) can no longer be changed.")
        raise ValidationError({field: message} if field else message, code="ballot_frozen")


def refuse_if_published(survey: Survey) -> None:
    if survey.status == Survey.Status.PUBLISHED:
        raise ValidationError(
            _("The results are published. Withdraw the publication before changing the survey."), code="published"
        )
