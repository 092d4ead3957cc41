"""Casting a ballot: checked whole, then stored whole, once.

``answers`` maps a question's id to its answer:

* office rating matrix: ``{office_id: "satisfied" | "basic" | "dissatisfied" | "unknown"}``
* single choice: an option id (or None)
* multiple choice: a list of option ids
* 1–5 scale: an int (or None)
* free text: a string

Every refusal is either a ``ValidationError`` keyed by the ballot form's field names
(``q<question>`` or ``q<question>_o<office>``), shown next to the answer, or a
``BallotRefused`` with the reason the voter is told instead of the ballot.
Nothing is stored in either case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from campaigns.models import AuditEvent
from kernel.text import clean_text

from ..models import Answer, Ballot, Invitation, Option, Participation, Question, Rating, RespondentGroup, Survey
from ..selectors import BallotSpec, ballot_spec

if TYPE_CHECKING:
    from campaigns.models import User

#: A ballot's answers by question id, as the form or the demo sends them (checked here:
#: a matrix's ratings by office id, an option id or ids, a number, a text).
Answers: TypeAlias = Mapping[int, Any]

TEXT_MAX = 2000
Kind = Question.Kind


class BallotRefused(Exception):
    UNKNOWN = "unknown"
    USED = "used"
    REVOKED = "revoked"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    ALREADY_ANSWERED = "already_answered"
    NO_OPEN_LINK = "no_open_link"
    NO_COOKIE = "no_cookie"

    def __init__(self, reason: str, survey: Survey | None = None):
        super().__init__(reason)
        self.reason = reason
        self.survey = survey


def field_name(question_id: int, office_id: int | None = None) -> str:
    return f"q{question_id}" if office_id is None else f"q{question_id}_o{office_id}"


# --- When a ballot may be cast --------------------------------------------------------------
def voting_refusal(survey: Survey, now: dt.datetime | None = None) -> str | None:
    """Why no ballot can be cast in ``survey`` now (None when it can)."""
    now = now or timezone.now()
    if survey.status == Survey.Status.DRAFT or (survey.status == Survey.Status.OPEN and now < survey.opens_at):
        return BallotRefused.NOT_OPEN_YET
    if survey.status != Survey.Status.OPEN or now >= survey.closes_at:
        return BallotRefused.CLOSED
    return None


def invitation_refusal(invitation: Invitation | None, now: dt.datetime | None = None) -> str | None:
    if invitation is None:
        return BallotRefused.UNKNOWN
    if invitation.used_at:
        return BallotRefused.USED
    if invitation.revoked_at:
        return BallotRefused.REVOKED
    return voting_refusal(invitation.group.survey, now)


def browser_key_hash(survey_id: int, cookie: str) -> str:
    """What the register keeps of an open-link voter's browser cookie: a keyed hash, per survey."""
    return salted_hmac("evaluations.open-link", f"{survey_id}:{cookie}", algorithm="sha256").hexdigest()


# --- Checking the answers ----------------------------------------------------------------------
def _as_int(value: object) -> int | None:
    """An int, or a string of digits as a form sends it; anything else (4.5, True) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def clean_answers(spec: BallotSpec, answers: Answers) -> list[Answer]:
    """The ballot's ``Answer`` rows (unsaved), or a ``ValidationError`` listing every mistake."""
    errors: dict[str, list[str]] = {}
    rows: list[Answer] = []

    def error(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    known = {q.pk for q in spec.questions}
    if set(answers) - known:
        raise ValidationError(_("The ballot answers a question that is not on it."), code="forged")
    for question in spec.questions:
        key = field_name(question.pk)
        value = answers.get(question.pk)
        if question.kind == Kind.MATRIX:
            value = value or {}
            if not isinstance(value, Mapping):
                error(key, _("Rate the offices one by one."))
                continue
            ratings = {_as_int(k): v for k, v in value.items()}
            if set(ratings) - set(spec.office_ids):
                error(key, _("The ballot rates an office that is not being appraised. Reload the page and try again."))
                continue
            for office in spec.offices:
                rating = ratings.get(office.pk)
                if rating in (None, ""):
                    if question.required:
                        error(
                            field_name(question.pk, office.pk),
                            _("Rate this office (choose “don't know” if you can't say)."),
                        )
                elif rating not in Rating.values:
                    error(field_name(question.pk, office.pk), _("Choose one of the four answers."))
                else:
                    rows.append(Answer(question=question, office=office, rating=rating))
        elif question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            option_ids: dict[int | None, Option] = {o.pk: o for o in question.options.all()}
            chosen = value if question.kind == Kind.MULTIPLE else ([] if value in (None, "") else [value])
            if not isinstance(chosen, (list, tuple)):
                error(key, _("Choose from the options given."))
                continue
            ids = [_as_int(v) for v in chosen if v not in (None, "")]
            if any(i not in option_ids for i in ids) or len(set(ids)) != len(ids):
                error(key, _("Choose from the options given."))
            elif question.kind == Kind.SINGLE and len(ids) > 1:
                error(key, _("Choose one option."))
            elif not ids and question.required:
                error(key, _("Choose an option.") if question.kind == Kind.SINGLE else _("Choose at least one option."))
            else:
                rows.extend(Answer(question=question, option=option_ids[i]) for i in ids)
        elif question.kind == Kind.SCALE:
            if value in (None, ""):
                if question.required:
                    error(key, _("Choose a value from 1 to 5."))
                continue
            number = _as_int(value)
            if number is None or not 1 <= number <= 5:
                error(key, _("Choose a value from 1 to 5."))
            else:
                rows.append(Answer(question=question, scale=number))
        else:
            # Pasted text's control characters go for every channel (the form, the open link, bulk entry).
            text = clean_text(value or "").strip() if isinstance(value, str) else None
            if text is None:
                error(key, _("Write your answer as text."))
            elif len(text) > TEXT_MAX:
                error(key, _("Please keep your answer under %(n)d characters.") % {"n": TEXT_MAX})
            elif text:
                rows.append(Answer(question=question, text=text))
            elif question.required:
                error(key, _("Write your answer."))
    if errors:
        raise ValidationError(errors)
    return rows


def _store(spec: BallotSpec, group: RespondentGroup, channel: str, rows: list[Answer]) -> Ballot:
    ballot = Ballot.objects.create(survey=spec.survey, group=group, channel=channel, submitted_on=timezone.localdate())
    for row in rows:
        row.ballot = ballot
    Answer.objects.bulk_create(rows)
    return ballot


# --- Casting ----------------------------------------------------------------------------------
@transaction.atomic
def ballot_submit_invitation(*, token: str, answers: Answers) -> Ballot:
    """Cast the one ballot of an invitation. Of two submissions at the same moment one
    wins; the other waits for the row lock, then finds the invitation used."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("group", "group__survey")
        .filter(token=token)
        .first()
    )
    refusal = invitation_refusal(invitation)
    if refusal:
        raise BallotRefused(refusal, invitation.group.survey if invitation else None)
    assert invitation is not None  # invitation_refusal refuses a missing invitation
    survey = invitation.group.survey
    spec = ballot_spec(survey)
    rows = clean_answers(spec, answers)
    now = timezone.now()
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True).update(
        used_at=now
    )
    if claimed != 1:
        raise BallotRefused(BallotRefused.USED, survey)
    try:
        with transaction.atomic():
            Participation.objects.create(survey=survey, group=invitation.group, invitation=invitation)
    except IntegrityError as exc:
        raise BallotRefused(BallotRefused.USED, survey) from exc
    ballot = _store(spec, invitation.group, Ballot.Channel.INVITATION, rows)
    # On the invitation, never the ballot: the trail must not join the two.
    AuditEvent.record(invitation, None, "invitation.used")
    return ballot


@transaction.atomic
def ballot_submit_open(*, survey_id: int, group_id: int, browser_cookie: str, answers: Answers) -> Ballot:
    """Cast a ballot through a group's open public link: one per browser and survey."""
    group = RespondentGroup.objects.select_related("survey").filter(pk=group_id, survey_id=survey_id).first()
    if group is None or not group.open_link:
        raise BallotRefused(BallotRefused.NO_OPEN_LINK, group.survey if group else None)
    survey = group.survey
    refusal = voting_refusal(survey)
    if refusal:
        raise BallotRefused(refusal, survey)
    if not browser_cookie:
        raise BallotRefused(BallotRefused.NO_COOKIE, survey)
    spec = ballot_spec(survey)
    rows = clean_answers(spec, answers)
    try:
        with transaction.atomic():
            Participation.objects.create(
                survey=survey, group=group, browser_key=browser_key_hash(survey.pk, browser_cookie)
            )
    except IntegrityError as exc:
        raise BallotRefused(BallotRefused.ALREADY_ANSWERED, survey) from exc
    return _store(spec, group, Ballot.Channel.OPEN_LINK, rows)


def has_answered_open(survey_id: int, browser_cookie: str) -> bool:
    return (
        bool(browser_cookie)
        and Participation.objects.filter(
            survey_id=survey_id, browser_key=browser_key_hash(survey_id, browser_cookie)
        ).exists()
    )


@transaction.atomic
def ballots_submit_bulk(*, survey_id: int, entries: Iterable[tuple[str, Answers]], actor: User | None = None) -> int:
    """Many invitation ballots at once (paper ballots keyed in, the demo): the same checks
    as one by one, all or nothing, in a handful of queries."""
    entries = list(entries)
    survey = Survey.objects.get(pk=survey_id)
    refusal = voting_refusal(survey)
    if refusal:
        raise BallotRefused(refusal, survey)
    spec = ballot_spec(survey)
    tokens = [token for token, _answers in entries]
    if len(set(tokens)) != len(tokens):
        raise BallotRefused(BallotRefused.USED, survey)
    invitations = {
        i.token: i
        for i in Invitation.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(token__in=tokens, group__survey_id=survey_id)
    }
    cleaned = []
    for index, (token, answers) in enumerate(entries):
        invitation = invitations.get(token)
        if invitation is None or invitation.used_at or invitation.revoked_at:
            raise BallotRefused(BallotRefused.UNKNOWN if invitation is None else BallotRefused.USED, survey)
        try:
            cleaned.append((invitation, clean_answers(spec, answers)))
        except ValidationError as exc:
            raise ValidationError(
                _("Ballot %(n)d: %(errors)s") % {"n": index + 1, "errors": "; ".join(exc.messages)}
            ) from exc
    claimed = Invitation.objects.filter(
        pk__in=[i.pk for i, _rows in cleaned], used_at__isnull=True, revoked_at__isnull=True
    ).update(used_at=timezone.now())
    if claimed != len(cleaned):
        raise BallotRefused(BallotRefused.USED, survey)
    Participation.objects.bulk_create(
        Participation(survey=survey, group=invitation.group, invitation=invitation) for invitation, _rows in cleaned
    )
    today = timezone.localdate()
    ballots = Ballot.objects.bulk_create(
        Ballot(survey=survey, group=invitation.group, channel=Ballot.Channel.INVITATION, submitted_on=today)
        for invitation, _rows in cleaned
    )
    answer_rows = []
    for ballot, (_invitation, rows) in zip(ballots, cleaned, strict=False):
        for row in rows:
            row.ballot = ballot
            answer_rows.append(row)
    Answer.objects.bulk_create(answer_rows, batch_size=2000)
    AuditEvent.record(survey, actor, "ballots.bulk", count=len(ballots))
    return len(ballots)
