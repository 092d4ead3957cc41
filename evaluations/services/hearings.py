"""Hearings (听证质询): the panel, the questions and answers, the panel's opinion
poll (民意测评) and the published summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import AuditEvent, Campaign, Office

from ..models import Hearing, HearingQuestion, Invitation, InvitationBatch, Panelist, Question, RespondentGroup, Survey
from ..tokens import new_token
from .common import require_manager
from .surveys import STANDARD_MATRIX

if TYPE_CHECKING:
    from campaigns.models import User

HEARING_FIELDS = {"title", "date", "place", "summary"}


def _locked(hearing_id: int) -> Hearing:
    return Hearing.objects.select_for_update().get(pk=hearing_id)


def _hearing_errors(hearing: Hearing, offices: Iterable[Office] | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not hearing.title.strip():
        errors["title"] = _("Give the hearing a title.")
    if not hearing.place.strip():
        errors["place"] = _("Say where the hearing takes place.")
    if offices is not None and not list(offices):
        errors["offices"] = _("Choose at least one office to examine.")
    return errors


@transaction.atomic
def hearing_create(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    date: dt.date,
    place: str,
    offices: Iterable[Office],
    summary: str = "",
) -> Hearing:
    require_manager(actor)
    offices = list(offices)
    hearing = Hearing(
        campaign=campaign,
        title=(title or "").strip(),
        date=date,
        place=(place or "").strip(),
        summary=(summary or "").strip(),
    )
    errors = _hearing_errors(hearing, offices)
    if errors:
        raise ValidationError(errors)
    hearing.full_clean()
    hearing.save()
    hearing.offices.set(offices)
    AuditEvent.record(hearing, actor, "hearing.create", offices=sorted(o.pk for o in offices))
    return hearing


@transaction.atomic
def hearing_update(*, hearing_id: int, actor: User, offices: Iterable[Office] | None = None, **changes: Any) -> Hearing:
    """Edit the record of a hearing. The offices examined are fixed once its poll exists
    (the poll's ballot lists them)."""
    require_manager(actor)
    unknown = set(changes) - HEARING_FIELDS
    if unknown:
        raise TypeError(f"unknown hearing fields: {sorted(unknown)}")
    hearing = _locked(hearing_id)
    for name, value in changes.items():
        setattr(hearing, name, value.strip() if isinstance(value, str) else value)
    errors = _hearing_errors(hearing, offices)
    if hearing.is_published and not hearing.summary:
        errors["summary"] = _("A published hearing keeps its summary; withdraw the publication first.")
    if offices is not None:
        wanted = {o.pk for o in offices}
        if wanted != set(hearing.offices.values_list("pk", flat=True)):
            if hearing.poll_id:
                errors["offices"] = _("The opinion poll lists the offices already: they can no longer be changed.")
            elif hearing.questions.exclude(office__in=wanted).exists():
                errors["offices"] = _("Questions were put to an office you removed: delete those questions first.")
    if errors:
        raise ValidationError(errors)
    hearing.full_clean()
    hearing.save()
    if offices is not None:
        hearing.offices.set(offices)
    AuditEvent.record(hearing, actor, "hearing.update", fields=sorted(changes))
    return hearing


# --- The panel ----------------------------------------------------------------------------------
def _group_for(hearing: Hearing, kind: str) -> RespondentGroup | None:
    """The poll's group for this kind of panel member: the one their colleagues were invited in."""
    invitation = (
        Invitation.objects.filter(panelist__hearing=hearing, panelist__kind=kind, group__survey_id=hearing.poll_id)  # type: ignore[misc]
        .select_related("group")
        .first()
    )
    return invitation.group if invitation else None


def _invite(panelist: Panelist, group: RespondentGroup, actor: User) -> Invitation:
    batch = InvitationBatch.objects.create(group=group, label=_("Hearing panel"), size=1, created_by=actor)
    invitation = Invitation.objects.create(batch=batch, group=group, number=1, token=new_token(), note=panelist.name)
    panelist.invitation = invitation
    panelist.save(update_fields=["invitation"])
    return invitation


@transaction.atomic
def panelist_add(*, hearing_id: int, actor: User, name: str, kind: str, affiliation: str = "") -> Panelist:
    """Add a panel member. Once the poll exists, they get their invitation at once."""
    require_manager(actor)
    hearing = _locked(hearing_id)
    name, affiliation = (name or "").strip(), (affiliation or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the panel member's name.")
    elif hearing.panel.filter(name=name).exists():
        errors["name"] = _("This person is on the panel already.")
    if kind not in Panelist.Kind.values:
        errors["kind"] = _("Choose the group the panel member belongs to.")
    group = None
    if not errors and hearing.poll:
        poll = hearing.poll
        group = _group_for(hearing, kind)
        if poll.status not in (Survey.Status.DRAFT, Survey.Status.OPEN):
            errors["__all__"] = _("The opinion poll is closed: the panel can no longer change.")
        elif group is None:
            errors["kind"] = _("The opinion poll has no group for these panel members; it was created without them.")
    if errors:
        raise ValidationError(errors)
    panelist = Panelist(hearing=hearing, name=name, kind=kind, affiliation=affiliation)
    panelist.full_clean(exclude=["invitation"])
    panelist.save()
    if group is not None:
        _invite(panelist, group, actor)
    AuditEvent.record(hearing, actor, "hearing.panelist_add", panelist=panelist.pk, kind=kind)
    return panelist


@transaction.atomic
def panelist_remove(*, panelist_id: int, actor: User) -> None:
    require_manager(actor)
    panelist = Panelist.objects.select_related("invitation").get(pk=panelist_id)
    hearing = _locked(panelist.hearing_id)
    invitation = panelist.invitation
    if invitation is not None and invitation.used_at:
        raise ValidationError(
            _("This panel member has answered the opinion poll and stays on the panel."), code="bad_transition"
        )
    if invitation is not None and not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    panelist.delete()
    AuditEvent.record(hearing, actor, "hearing.panelist_remove", panelist=panelist_id)


# --- Questions and answers ------------------------------------------------------------------------
@transaction.atomic
def hearing_question_save(
    *,
    hearing_id: int,
    actor: User,
    office: Office,
    question: str,
    answer: str = "",
    asked_by: Panelist | None = None,
    question_id: int | None = None,
) -> HearingQuestion:
    require_manager(actor)
    hearing = _locked(hearing_id)
    question, answer = (question or "").strip(), (answer or "").strip()
    errors = {}
    if office is None or not hearing.offices.filter(pk=office.pk).exists():
        errors["office"] = _("Choose one of the offices examined at this hearing.")
    if asked_by is not None and asked_by.hearing_id != hearing.pk:
        errors["asked_by"] = _("Choose a member of this hearing's panel.")
    if not question:
        errors["question"] = _("Write down the question raised.")
    if errors:
        raise ValidationError(errors)
    if question_id:
        item = hearing.questions.get(pk=question_id)
    else:
        last = hearing.questions.order_by("-order").values_list("order", flat=True).first() or 0
        item = HearingQuestion(hearing=hearing, order=last + 1)
    item.office, item.asked_by, item.question, item.answer = office, asked_by, question, answer
    item.save()
    AuditEvent.record(hearing, actor, "hearing.question", question=item.pk, office=office.pk)
    return item


@transaction.atomic
def hearing_question_delete(*, question_id: int, actor: User) -> None:
    require_manager(actor)
    item = HearingQuestion.objects.get(pk=question_id)
    hearing = _locked(item.hearing_id)
    item.delete()
    AuditEvent.record(hearing, actor, "hearing.question_delete", question=question_id)


# --- The opinion poll ------------------------------------------------------------------------------
def split_weights(n: int) -> list[int]:
    """100 split as evenly as whole numbers allow, the remainder to the first groups."""
    base, extra = divmod(100, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


@transaction.atomic
def hearing_poll_create(*, hearing_id: int, actor: User, opens_at: dt.datetime, closes_at: dt.datetime) -> Survey:
    """The panel's opinion poll: a draft survey of the offices examined, one respondent
    group per kind of panel member present (equal weights, editable before it opens),
    and one invitation per panel member, noted with their name."""
    require_manager(actor)
    hearing = _locked(hearing_id)
    if hearing.poll_id:
        raise ValidationError(_("This hearing has its opinion poll already."), code="exists")
    offices = list(hearing.offices.all())
    panel = list(hearing.panel.all())
    errors = []
    if not offices:
        errors.append(_("Choose the offices examined first."))
    if not panel:
        errors.append(_("Add the panel members first: each gets an invitation."))
    if errors:
        raise ValidationError(errors)
    poll = Survey(
        campaign=hearing.campaign,
        title=_("Opinion poll: %(title)s") % {"title": hearing.title},
        intro=_("The hearing panel's opinion poll (民意测评) of the offices examined at “%(title)s”, %(place)s.")
        % {"title": hearing.title, "place": hearing.place},
        opens_at=opens_at,
        closes_at=closes_at,
        # A panel is small: every office with a rating is ranked, and no office is singled out by name.
        min_valid_responses=1,
        most_satisfactory_count=0,
        lagging_count=0,
    )
    poll.full_clean()
    poll.save()
    poll.offices.set(offices)
    Question.objects.create(survey=poll, order=1, text=str(STANDARD_MATRIX), kind=Question.Kind.MATRIX)
    kinds = [k for k in Panelist.Kind.values if any(p.kind == k for p in panel)]
    for order, (kind, weight) in enumerate(zip(kinds, split_weights(len(kinds)), strict=False), start=1):
        group = RespondentGroup.objects.create(
            survey=poll, name=str(Panelist.Kind(kind).label), weight=weight, order=order
        )
        members = [p for p in panel if p.kind == kind]
        batch = InvitationBatch.objects.create(
            group=group, label=_("Hearing panel"), size=len(members), created_by=actor
        )
        for number, member in enumerate(members, start=1):
            member.invitation = Invitation.objects.create(
                batch=batch, group=group, number=number, token=new_token(), note=member.name
            )
            member.save(update_fields=["invitation"])
    hearing.poll = poll
    hearing.save(update_fields=["poll", "updated_at"])
    AuditEvent.record(hearing, actor, "hearing.poll_create", survey=poll.pk)
    AuditEvent.record(poll, actor, "survey.create", hearing=hearing.pk)
    return poll


@transaction.atomic
def hearing_publish(*, hearing_id: int, actor: User) -> Hearing:
    require_manager(actor)
    hearing = _locked(hearing_id)
    if hearing.is_published:
        raise ValidationError(_("The summary is published already."), code="bad_transition")
    errors = []
    if hearing.date > timezone.localdate():
        errors.append(_("The hearing has not taken place yet: its summary is published afterwards."))
    if not hearing.summary.strip():
        errors.append(_("Write the summary before publishing it."))
    if errors:
        raise ValidationError(errors, code="not_ready")
    hearing.published_at, hearing.published_by = timezone.now(), actor
    hearing.save(update_fields=["published_at", "published_by", "updated_at"])
    AuditEvent.record(hearing, actor, "hearing.publish")
    return hearing


@transaction.atomic
def hearing_withdraw(*, hearing_id: int, actor: User, reason: str) -> Hearing:
    require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the summary is withdrawn.")})
    hearing = _locked(hearing_id)
    if not hearing.is_published:
        raise ValidationError(_("Only a published summary can be withdrawn."), code="bad_transition")
    hearing.published_at, hearing.published_by = None, None
    hearing.save(update_fields=["published_at", "published_by", "updated_at"])
    AuditEvent.record(hearing, actor, "hearing.withdraw", reason=reason)
    return hearing
