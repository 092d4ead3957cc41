"""Setting up a survey and moving it along draft → open → closed → published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import AuditEvent, Campaign, Office

from ..models import Invitation, Option, Question, RespondentGroup, Survey
from .common import refuse_if_published, refuse_if_voting_began, require_manager

if TYPE_CHECKING:
    from campaigns.models import User

Status = Survey.Status
Kind = Question.Kind

#: The groups and weights a new survey starts from (edit them before opening).
STANDARD_GROUPS = [
    (gettext_lazy("Service recipients and enterprises"), 30, False),
    (gettext_lazy("Deputies and committee members"), 25, False),
    (gettext_lazy("Supervisors"), 20, False),
    (gettext_lazy("The public"), 15, True),
    (gettext_lazy("Government staff"), 10, False),
]
STANDARD_MATRIX = gettext_lazy(
    "Overall, how satisfied are you with how each of these offices has improved its conduct and efficiency?"
)
SURVEY_FIELDS = {
    "title",
    "intro",
    "opens_at",
    "closes_at",
    "score_satisfied",
    "score_basic",
    "score_dissatisfied",
    "min_valid_responses",
    "most_satisfactory_count",
    "lagging_count",
}
MAX_TEXT = 500


def _locked(survey_id: int) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey_id)


# --- Creating and editing ----------------------------------------------------------------
@transaction.atomic
def survey_create(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    intro: str = "",
    offices: Iterable[Office] = (),
    standard_ballot: bool = True,
    **fields: Any,
) -> Survey:
    """A draft survey; with ``standard_ballot`` it starts with the office matrix and the
    usual five respondent groups, to be adjusted before it opens."""
    require_manager(actor)
    unknown = set(fields) - SURVEY_FIELDS
    if unknown:
        raise TypeError(f"unknown survey fields: {sorted(unknown)}")
    survey = Survey(
        campaign=campaign,
        title=(title or "").strip(),
        intro=(intro or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        **fields,
    )
    survey.full_clean()
    survey.save()
    survey.offices.set(offices)
    if standard_ballot:
        Question.objects.create(survey=survey, order=1, text=str(STANDARD_MATRIX), kind=Kind.MATRIX, required=True)
        RespondentGroup.objects.bulk_create(
            RespondentGroup(survey=survey, name=str(name), weight=weight, order=index, open_link=open_link)
            for index, (name, weight, open_link) in enumerate(STANDARD_GROUPS, start=1)
        )
    AuditEvent.record(survey, actor, "survey.create", offices=sorted(o.pk for o in offices))
    return survey


@transaction.atomic
def survey_update(*, survey_id: int, actor: User, offices: Iterable[Office] | None = None, **changes: Any) -> Survey:
    """Change a survey's settings; its offices only until the first ballot."""
    require_manager(actor)
    unknown = set(changes) - SURVEY_FIELDS
    if unknown:
        raise TypeError(f"unknown survey fields: {sorted(unknown)}")
    survey = _locked(survey_id)
    refuse_if_published(survey)
    changed = {name for name, value in changes.items() if getattr(survey, name) != value}
    for name in changed:
        setattr(survey, name, changes[name])
    survey.full_clean()
    office_change = None
    if offices is not None:
        wanted = {o.pk for o in offices}
        current = set(survey.offices.values_list("pk", flat=True))
        if wanted != current:
            refuse_if_voting_began(survey, "offices")
            if survey.status in (Status.CLOSED, Status.PUBLISHED):
                raise ValidationError({"offices": _("The offices of a closed survey can no longer be changed.")})
            office_change = {"added": sorted(wanted - current), "removed": sorted(current - wanted)}
    if changed:
        survey.save(update_fields=[*sorted(changed), "updated_at"])
    if office_change and offices is not None:  # office_change: the offices were given
        survey.offices.set(offices)
    if changed or office_change:
        AuditEvent.record(survey, actor, "survey.update", fields=sorted(changed), offices=office_change)
    return survey


@dataclass(frozen=True)
class GroupSpec:
    name: str
    weight: int
    open_link: bool = False
    id: int | None = None


def group_errors(groups: list[GroupSpec]) -> list[str]:
    """Why a survey's set of groups can't be saved (empty if it can)."""
    errors = []
    if not groups:
        errors.append(_("A survey needs at least one respondent group."))
        return errors
    names = [g.name.strip() for g in groups]
    if any(not n for n in names):
        errors.append(_("Every group needs a name."))
    if len({n.casefold() for n in names}) != len(names):
        errors.append(_("Two groups have the same name."))
    if any(not 0 <= g.weight <= 100 for g in groups):
        errors.append(_("A weight is between 0 and 100."))
    total = sum(g.weight for g in groups)
    if total != 100:
        errors.append(_("The weights add up to %(total)s; they must add up to 100.") % {"total": total})
    return errors


@transaction.atomic
def groups_replace(*, survey_id: int, actor: User, groups: list[GroupSpec]) -> list[RespondentGroup]:
    """Save a survey's respondent groups as a whole, so the weights always add up to 100.

    Once voting has begun only names and the open link can change: groups can't be
    added or removed and weights can't move."""
    require_manager(actor)
    survey = _locked(survey_id)
    refuse_if_published(survey)
    errors = group_errors(groups)
    if errors:
        raise ValidationError(errors)
    existing: dict[int | None, RespondentGroup] = {g.pk: g for g in survey.groups.all()}
    keep_ids = {g.id for g in groups if g.id}
    if keep_ids - set(existing):
        raise ValidationError(_("A group of another survey was sent."))
    removed = [g for pk, g in existing.items() if pk not in keep_ids]
    weights_move = bool(removed) or any(g.id is None or existing[g.id].weight != g.weight for g in groups)
    if weights_move:
        refuse_if_voting_began(survey)
    issued = Invitation.objects.filter(group__in=removed).values_list("group__name", flat=True).distinct()
    if removed and issued:
        raise ValidationError(
            _("Invitations were issued for “%(group)s”: it cannot be removed.") % {"group": issued[0]}
        )
    for group in removed:
        group.delete()
    saved = []
    for order, spec in enumerate(groups, start=1):
        group = existing.get(spec.id) or RespondentGroup(survey=survey)
        group.name, group.weight, group.open_link, group.order = spec.name.strip(), spec.weight, spec.open_link, order
        saved.append(group)
    # Names may be swapped between groups: park the old ones first so the unique constraint holds.
    for group in saved:
        if group.pk:
            RespondentGroup.objects.filter(pk=group.pk).update(name=f"~{group.pk}~")
    for group in saved:
        group.full_clean(exclude=["survey"], validate_unique=False)
        group.save()
    AuditEvent.record(survey, actor, "survey.groups", groups=[[g.pk, g.name, g.weight, g.open_link] for g in saved])
    return saved


# --- Questions -----------------------------------------------------------------------------
def _clean_options(kind: str, options: Iterable[str] | None) -> list[str]:
    options = [o.strip() for o in options or [] if o and o.strip()]
    if kind not in Question.CHOICE_KINDS:
        return []
    if len(options) < 2:
        raise ValidationError({"options": _("A choice question needs at least two options, one per line.")})
    if len({o.casefold() for o in options}) != len(options):
        raise ValidationError({"options": _("Two options are the same.")})
    if any(len(o) > 200 for o in options):
        raise ValidationError({"options": _("An option may have at most 200 characters.")})
    return options


@transaction.atomic
def question_save(
    *,
    survey_id: int,
    actor: User,
    text: str,
    kind: str,
    required: bool = True,
    options: Iterable[str] | None = (),
    question_id: int | None = None,
) -> Question:
    """Add a question at the end of the survey, or change one; refused once voting has begun."""
    require_manager(actor)
    survey = _locked(survey_id)
    refuse_if_published(survey)
    refuse_if_voting_began(survey)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Write the question.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("A question may have at most %(n)d characters.") % {"n": MAX_TEXT}
    if kind not in Kind.values:
        errors["kind"] = _("Choose a kind of question.")
    elif kind == Kind.MATRIX and survey.questions.filter(kind=Kind.MATRIX).exclude(pk=question_id).exists():  # type: ignore[misc]  # pk=None excludes nothing
        errors["kind"] = _("The survey already has an office rating matrix; a survey has one.")
    if errors:
        raise ValidationError(errors)
    options = _clean_options(kind, options)
    if question_id:
        question = survey.questions.select_for_update().get(pk=question_id)
        question.text, question.kind, question.required = text, kind, required
        question.save(update_fields=["text", "kind", "required"])
        question.options.all().delete()
        verb = "question.update"
    else:
        order = (survey.questions.aggregate(m=Max("order"))["m"] or 0) + 1
        question = Question.objects.create(survey=survey, order=order, text=text, kind=kind, required=required)
        verb = "question.create"
    Option.objects.bulk_create(Option(question=question, order=i, text=t) for i, t in enumerate(options, start=1))
    AuditEvent.record(survey, actor, verb, question=question.pk, kind=kind)
    return question


@transaction.atomic
def question_delete(*, question_id: int, actor: User) -> None:
    require_manager(actor)
    question = Question.objects.select_related("survey").get(pk=question_id)
    survey = _locked(question.survey_id)
    refuse_if_published(survey)
    refuse_if_voting_began(survey)
    question.delete()
    AuditEvent.record(survey, actor, "question.delete", question=question_id, text=question.text)


@transaction.atomic
def question_move(*, question_id: int, actor: User, up: bool) -> None:
    """Swap a question with the one before (``up``) or after it."""
    require_manager(actor)
    question = Question.objects.get(pk=question_id)
    survey = _locked(question.survey_id)
    refuse_if_published(survey)
    refuse_if_voting_began(survey)
    siblings = (
        survey.questions.filter(order__lt=question.order) if up else survey.questions.filter(order__gt=question.order)
    )
    other = siblings.order_by("-order" if up else "order").first()
    if other is None:
        return
    a, b = question.order, other.order
    parked = (survey.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    Question.objects.filter(pk=question.pk).update(order=parked)
    Question.objects.filter(pk=other.pk).update(order=a)
    Question.objects.filter(pk=question.pk).update(order=b)
    AuditEvent.record(survey, actor, "question.move", question=question.pk, order=b)


# --- The life of a survey -------------------------------------------------------------------
def readiness_errors(survey: Survey, now: dt.datetime | None = None) -> list[str]:
    """What stops a draft survey from opening (empty when it can open)."""
    now = now or timezone.now()
    errors = []
    questions = list(survey.questions.prefetch_related("options"))
    groups = list(survey.groups.all())
    has_offices = survey.offices.exists()
    has_matrix = any(q.kind == Kind.MATRIX for q in questions)
    if not questions:
        errors.append(_("Add at least one question."))
    if has_matrix and not has_offices:
        errors.append(_("Choose the offices to be appraised in the office rating matrix."))
    if has_offices and not has_matrix:
        errors.append(_("Offices are chosen but no question rates them: add the office rating matrix."))
    for q in questions:
        if q.has_options and len(q.options.all()) < 2:
            errors.append(_("Question %(n)d needs at least two options.") % {"n": q.order})
    errors.extend(group_errors([GroupSpec(g.name, g.weight, g.open_link, g.pk) for g in groups]))
    if survey.closes_at <= now:
        errors.append(_("The closing time has passed: set a later one."))
    return errors


@transaction.atomic
def survey_open(*, survey_id: int, actor: User) -> Survey:
    require_manager(actor)
    survey = _locked(survey_id)
    if survey.status != Status.DRAFT:
        raise ValidationError(_("Only a draft survey can be opened."), code="bad_transition")
    errors = readiness_errors(survey)
    if errors:
        raise ValidationError(errors, code="not_ready")
    survey.status, survey.opened_at = Status.OPEN, timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    AuditEvent.record(survey, actor, "survey.open")
    return survey


@transaction.atomic
def survey_close(*, survey_id: int, actor: User) -> Survey:
    require_manager(actor)
    survey = _locked(survey_id)
    if survey.status != Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."), code="bad_transition")
    survey.status, survey.closed_at = Status.CLOSED, timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    AuditEvent.record(survey, actor, "survey.close", early=survey.closed_at < survey.closes_at)
    return survey


@transaction.atomic
def survey_reopen(*, survey_id: int, actor: User) -> Survey:
    """Take a closed (unpublished) survey back to voting, e.g. after extending its closing time."""
    require_manager(actor)
    survey = _locked(survey_id)
    if survey.status != Status.CLOSED:
        raise ValidationError(
            _("Only a closed survey whose results are not published can be reopened."), code="bad_transition"
        )
    if survey.closes_at <= timezone.now():
        raise ValidationError(_("The closing time has passed: set a later one first."), code="not_ready")
    survey.status, survey.closed_at = Status.OPEN, None
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    AuditEvent.record(survey, actor, "survey.reopen")
    return survey


@transaction.atomic
def survey_publish(*, survey_id: int, actor: User) -> Survey:
    """Make the results public. A survey still open past its closing time is closed first."""
    from ..selectors import survey_results

    require_manager(actor)
    survey = _locked(survey_id)
    now = timezone.now()
    if survey.status == Status.OPEN and survey.closes_at <= now:
        survey.status, survey.closed_at = Status.CLOSED, now
        AuditEvent.record(survey, actor, "survey.close", early=False)
    if survey.status != Status.CLOSED:
        raise ValidationError(
            _("Results can be published only once the survey is closed, and only once."), code="bad_transition"
        )
    survey.status, survey.published_at, survey.published_by = Status.PUBLISHED, now, actor
    survey.save(update_fields=["status", "closed_at", "published_at", "published_by", "updated_at"])
    results = survey_results(survey)
    # What was published, as it was: the audit trail keeps the figures.
    AuditEvent.record(
        survey,
        actor,
        "survey.publish",
        ranking=[
            [r.office.pk, r.rank, str(r.composite_score) if r.composite_score is not None else None, r.valid]
            for r in results.offices
        ],
        ballots=results.ballot_total,
    )
    return survey


@transaction.atomic
def survey_withdraw(*, survey_id: int, actor: User, reason: str) -> Survey:
    require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the publication is withdrawn.")})
    survey = _locked(survey_id)
    if survey.status != Status.PUBLISHED:
        raise ValidationError(_("Only published results can be withdrawn."), code="bad_transition")
    survey.status, survey.published_at, survey.published_by = Status.CLOSED, None, None
    survey.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    AuditEvent.record(survey, actor, "survey.withdraw", reason=reason)
    return survey
