"""Surveys, groups, invitations and ballots for tests.

``make_survey`` builds a survey straight in the database (setting up is not what most
tests are about); ballots are cast through the services unless a test needs exact
counts quickly, where ``cast_counts`` writes them directly.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from campaigns.tests.factories import OfficeFactory
from evaluations import services
from evaluations.models import (
    Answer,
    Ballot,
    Hearing,
    HearingQuestion,
    Invitation,
    InvitationBatch,
    Option,
    Panelist,
    Question,
    Rating,
    RespondentGroup,
    Survey,
)

S, B, D, U = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED, Rating.UNKNOWN
_titles = itertools.count(1)


def make_survey(
    campaign,
    offices=None,
    *,
    groups=(("服务对象", 50), ("两代表一委员", 30), ("监督员", 20)),
    status=Survey.Status.OPEN,
    extra_questions=(),
    open_link_groups=(),
    **fields,
) -> Survey:
    """An open survey (voting now) of ``offices`` with the office matrix and ``groups``
    [(name, weight), ...]; ``extra_questions``: kinds to add after the matrix."""
    now = timezone.now()
    offices = list(offices) if offices is not None else [OfficeFactory() for _ in range(3)]
    defaults = {
        "title": f"民主评议测评 {next(_titles)}",
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=7),
        "status": status,
        "opened_at": None if status == Survey.Status.DRAFT else now - dt.timedelta(days=1),
    }
    defaults.update(fields)
    if status == Survey.Status.PUBLISHED:
        defaults.setdefault("published_at", now)
    survey = Survey.objects.create(campaign=campaign, **defaults)
    survey.offices.set(offices)
    Question.objects.create(survey=survey, order=1, kind=Question.Kind.MATRIX, text="总体评价", required=True)
    for order, kind in enumerate(extra_questions, start=2):
        question = Question.objects.create(
            survey=survey, order=order, kind=kind, text=f"问题 {order}", required=kind != Question.Kind.TEXT
        )
        if kind in Question.CHOICE_KINDS:
            Option.objects.bulk_create(
                Option(question=question, order=i, text=t) for i, t in enumerate(["窗口", "电话", "网上"], start=1)
            )
    for order, (name, weight) in enumerate(groups, start=1):
        RespondentGroup.objects.create(
            survey=survey, name=name, weight=weight, order=order, open_link=name in open_link_groups
        )
    return survey


def group(survey, name: str | None = None) -> RespondentGroup:
    groups = survey.groups.order_by("order")
    return groups.get(name=name) if name else groups.first()


def invite(group: RespondentGroup, n: int = 1, *, note: str = "") -> list[Invitation]:
    from campaigns.tests.factories import UserFactory
    from evaluations.tokens import new_token

    creator = UserFactory()
    batch = InvitationBatch.objects.create(group=group, size=n, created_by=creator, label="test")  # type: ignore[misc]
    return Invitation.objects.bulk_create(
        Invitation(batch=batch, group=group, number=i, token=new_token(), note=note) for i in range(1, n + 1)
    )


def matrix(survey) -> Question:
    return survey.questions.get(kind=Question.Kind.MATRIX)


def full_answers(survey, rating: str = S, overrides: dict | None = None) -> dict:
    """Every office rated ``rating`` and every other question answered."""
    answers: dict[int, object] = {}
    for question in survey.questions.prefetch_related("options"):
        if question.kind == Question.Kind.MATRIX:
            answers[question.pk] = {o.pk: rating for o in survey.offices.all()}
        elif question.kind == Question.Kind.SINGLE:
            answers[question.pk] = question.options.first().pk
        elif question.kind == Question.Kind.MULTIPLE:
            answers[question.pk] = [o.pk for o in question.options.all()[:2]]
        elif question.kind == Question.Kind.SCALE:
            answers[question.pk] = 4
        else:
            answers[question.pk] = "窗口服务态度好。"
    answers.update(overrides or {})
    return answers


def vote(invitation: Invitation, answers: dict | None = None, rating: str = S) -> Ballot:
    survey = invitation.group.survey
    return services.ballot_submit_invitation(token=invitation.token, answers=answers or full_answers(survey, rating))


def cast_counts(survey, group: RespondentGroup, counts: dict, *, channel=Ballot.Channel.INVITATION) -> None:
    """Ballots in ``group`` such that each office gets exactly ``counts[office] = (S, B, D, U)``:
    ballot i rates each office with its i-th rating (offices with fewer ratings are left out)."""
    question = matrix(survey)
    sequences = {office: [S] * c[0] + [B] * c[1] + [D] * c[2] + [U] * c[3] for office, c in counts.items()}
    for i in range(max((len(s) for s in sequences.values()), default=0)):
        ballot = Ballot.objects.create(survey=survey, group=group, channel=channel, submitted_on=timezone.localdate())
        Answer.objects.bulk_create(
            Answer(ballot=ballot, question=question, office=office, rating=seq[i])
            for office, seq in sequences.items()
            if i < len(seq)
        )


def published_hearing(campaign, offices, n: int) -> Hearing:
    """A published hearing of ``offices`` with ``n`` panel members and ``n`` questions answered."""
    hearing = Hearing.objects.create(
        campaign=campaign,
        title="听证质询会",
        date=timezone.localdate(),
        place="三楼会议室",
        summary="质询组对各单位进行了质询。",
        published_at=timezone.now(),
    )
    hearing.offices.set(offices)
    kinds = list(Panelist.Kind)
    panel = Panelist.objects.bulk_create(
        Panelist(hearing=hearing, name=f"成员{i}", kind=kinds[i % len(kinds)]) for i in range(n)
    )
    HearingQuestion.objects.bulk_create(
        HearingQuestion(
            hearing=hearing,
            office=offices[i % len(offices)],
            asked_by=panel[i],
            order=i + 1,
            question=f"如何落实第{i}项整改？",
            answer="已经落实。",
        )
        for i in range(n)
    )
    return hearing
