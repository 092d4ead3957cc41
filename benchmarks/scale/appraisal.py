"""Two appraisal surveys of every office: one closed (published at the end through
the real service) with ``--ballots`` ballots, and one open with a few.

A ballot rates a sample of the offices (its matrix question is not required): with
300 offices, rating all of them on 500,000 ballots would be 150 million answers, and
no respondent knows 300 offices."""

from __future__ import annotations

import datetime as dt
import uuid

from evaluations.models import (
    Answer,
    Ballot,
    Invitation,
    InvitationBatch,
    Option,
    Participation,
    Question,
    RespondentGroup,
    Survey,
)
from evaluations.models import Rating as R
from evaluations.tokens import ALPHABET, LENGTH

from .world import Picker, World

OFFICES_PER_BALLOT = 10
BATCH = 1000
# name, weight (%), share of the ballots, open link
GROUPS = [
    ("服务对象（企业和群众）", 30, 35, False),
    ("两代表一委员", 25, 10, False),
    ("行风监督员", 20, 5, False),
    ("机关干部", 15, 20, False),
    ("社会公众", 10, 30, True),
]
QUESTIONS = [
    (Question.Kind.MATRIX, "请对以下单位的机关作风和服务质量作出评价", False, []),
    (Question.Kind.SINGLE, "与上一年相比，机关办事效率", True, ["明显提高", "有所提高", "没有变化", "有所下降"]),
    (Question.Kind.SCALE, "您对全市机关行政效能建设的总体评价（1–5分）", True, []),
    (Question.Kind.TEXT, "您对机关效能建设的意见和建议", False, []),
]
SUGGESTIONS = ["希望进一步简化办事流程。", "窗口服务态度有明显改善。", "建议延长周末办事时间。"]


def _token(rng) -> str:
    bits = rng.getrandbits(5 * LENGTH)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(LENGTH))


class _Ids:
    def __init__(self):
        self.values: dict[str, int] = {}

    def next(self, name: str) -> int:
        self.values[name] = self.values.get(name, 0) + 1
        return self.values[name]


def generate_appraisal(world: World, writers, *, ballots: int, progress, offices_per_ballot: int) -> None:
    rng = world.rng("appraisal")
    now = world.now
    ids = _Ids()
    office_ids = [o.id for o in world.offices if o.depth > 0]
    quality = {pk: rng.uniform(0.45, 0.95) for pk in office_ids}
    familiarity = Picker(office_ids, [1 / (i + 1) ** 0.5 for i in range(len(office_ids))])
    per_ballot = min(offices_per_ballot, len(office_ids))
    coordinator = world.users["bench-coordinator"]

    surveys = [
        (
            "上半年机关行政效能群众满意度测评",
            now - dt.timedelta(days=75),
            now - dt.timedelta(days=30),
            Survey.Status.CLOSED,
            ballots,
        ),
        (
            "年度机关行政效能民主评议",
            now - dt.timedelta(days=5),
            now + dt.timedelta(days=20),
            Survey.Status.OPEN,
            ballots // 100,
        ),
    ]
    for title, opens, closes, status, count in surveys:
        survey_id = ids.next("survey")
        closed = status == Survey.Status.CLOSED
        writers[Survey].add(
            id=survey_id,
            campaign_id=world.campaign_id,
            title=f"{world.today.year}年{title}",
            opens_at=opens,
            closes_at=closes,
            status=status,
            opened_at=opens,
            closed_at=closes if closed else None,
            intro="请根据您的亲身感受，对各单位作出客观公正的评价。",
            created_at=opens - dt.timedelta(days=7),
            updated_at=closes if closed else opens,
        )
        if closed:
            world.manifest["published_survey_id"] = survey_id
        else:
            world.manifest["open_survey_id"] = survey_id
        for office_id in office_ids:
            writers[Survey.offices.through].add(id=ids.next("survey_office"), survey_id=survey_id, office_id=office_id)
        questions, options = {}, []
        for order, (kind, text, required, choices) in enumerate(QUESTIONS, start=1):
            question_id = questions[kind] = ids.next("question")
            writers[Question].add(
                id=question_id, survey_id=survey_id, order=order, text=text, kind=kind, required=required
            )
            for number, choice in enumerate(choices, start=1):
                option_id = ids.next("option")
                writers[Option].add(id=option_id, question_id=question_id, order=number, text=choice)
                options.append(option_id)
        option_pick = Picker(options, [30, 40, 20, 10][: len(options)])
        shares = [g[2] for g in GROUPS]
        exact = [count * s / sum(shares) for s in shares]
        group_counts = [int(x) for x in exact]
        for i in sorted(range(len(GROUPS)), key=lambda i: exact[i] - group_counts[i], reverse=True):
            if sum(group_counts) < count:
                group_counts[i] += 1
        days = max(1, (min(closes, now) - opens).days)
        for order, ((name, weight, _share, open_link), n) in enumerate(
            zip(GROUPS, group_counts, strict=False), start=1
        ):
            group_id = ids.next("group")
            writers[RespondentGroup].add(
                id=group_id, survey_id=survey_id, name=name, weight=weight, order=order, open_link=open_link
            )
            invitations = 0 if open_link else n + n // 20
            batch_id, batch_start = None, opens - dt.timedelta(days=3)
            for i in range(invitations):
                if i % BATCH == 0:
                    batch_id = ids.next("batch")
                    size = min(BATCH, invitations - i)
                    writers[InvitationBatch].add(
                        id=batch_id,
                        group_id=group_id,
                        label=f"{name}第{i // BATCH + 1}批",
                        size=size,
                        created_by_id=coordinator,
                        created_at=batch_start,
                    )
                invitation_id = ids.next("invitation")
                used = i < n
                writers[Invitation].add(
                    id=invitation_id,
                    batch_id=batch_id,
                    group_id=group_id,
                    number=i % BATCH + 1,
                    token=_token(rng),
                    note="",
                    used_at=opens + dt.timedelta(seconds=rng.randrange(days * 86_400)) if used else None,
                )
                if used:
                    writers[Participation].add(
                        id=ids.next("participation"),
                        survey_id=survey_id,
                        group_id=group_id,
                        invitation_id=invitation_id,
                        browser_key="",
                    )
            channel = Ballot.Channel.OPEN_LINK if open_link else Ballot.Channel.INVITATION
            for _ in range(n):
                if open_link:
                    writers[Participation].add(
                        id=ids.next("participation"),
                        survey_id=survey_id,
                        group_id=group_id,
                        invitation_id=None,
                        browser_key=f"{rng.getrandbits(256):064x}",
                    )
                _ballot(
                    writers,
                    rng,
                    survey_id,
                    group_id,
                    channel,
                    opens,
                    days,
                    questions,
                    option_pick,
                    familiarity,
                    quality,
                    per_ballot,
                )
                if closed:
                    progress.update(1)


def _ballot(
    writers, rng, survey_id, group_id, channel, opens, days, questions, option_pick, familiarity, quality, per_ballot
) -> None:
    ballot_id = uuid.UUID(int=rng.getrandbits(128))
    writers[Ballot].add(
        id=ballot_id,
        survey_id=survey_id,
        group_id=group_id,
        channel=channel,
        submitted_on=(opens + dt.timedelta(days=rng.randrange(days))).date(),
    )
    answers = writers[Answer]
    rated: set[int] = set()
    matrix = questions[Question.Kind.MATRIX]
    while len(rated) < per_ballot:
        office_id = familiarity(rng)
        if office_id in rated:
            continue
        rated.add(office_id)
        r = rng.random()
        q = quality[office_id]
        rating = (
            R.UNKNOWN
            if r < 0.08
            else R.SATISFIED
            if r < 0.08 + 0.92 * q
            else R.BASIC
            if r < 0.08 + 0.92 * (q + (1 - q) * 0.65)
            else R.DISSATISFIED
        )
        answers.add(
            id=uuid.UUID(int=rng.getrandbits(128)),
            ballot_id=ballot_id,
            question_id=matrix,
            office_id=office_id,
            rating=rating,
        )
    answers.add(
        id=uuid.UUID(int=rng.getrandbits(128)),
        ballot_id=ballot_id,
        question_id=questions[Question.Kind.SINGLE],
        option_id=option_pick(rng),
    )
    answers.add(
        id=uuid.UUID(int=rng.getrandbits(128)),
        ballot_id=ballot_id,
        question_id=questions[Question.Kind.SCALE],
        scale=rng.choice((3, 4, 4, 5, 5, 2)),
    )
    if rng.random() < 0.03:
        answers.add(
            id=uuid.UUID(int=rng.getrandbits(128)),
            ballot_id=ballot_id,
            question_id=questions[Question.Kind.TEXT],
            text=rng.choice(SUGGESTIONS),
        )
