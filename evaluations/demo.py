"""Demo appraisals on top of the demo campaign (seed 000: "对各部门进行民主评议"):

* a closed, published survey of the five departments, with several hundred ballots in
  five respondent groups of uneven weights (one of them an open public link), so the
  results page, the charts and the ranking look real;
* an open survey of three offices, with a printed batch of invitations, a few used;
* a hearing (听证质询) of two offices, its panel, questions and answers, the panel's
  opinion poll and a published summary.

Everything goes through the services, each step at its own time (``timezone.now`` is
moved to the day it happened), and the ballots through ``ballots_submit_bulk`` and
``ballot_submit_open`` — the same checks as a voter's. Does nothing if the published
demo survey is there already.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from contextlib import contextmanager
from unittest import mock

from django.db import transaction
from django.utils import timezone

from campaigns.current import get_current_campaign
from campaigns.models import Campaign, Office

from . import services
from .models import Hearing, Invitation, Panelist, Question, Rating, Survey
from .selectors import ballot_spec

PUBLISHED_TITLE = "2025年度机关作风和效能建设民主评议"
OPEN_TITLE = "政务服务窗口满意度测评"
HEARING_TITLE = "管委会办公室、宣传办公室作风建设听证质询会"

PARTY, ADMIN_OFFICE, DISCIPLINE, TECH, PUBLICITY = (
    "党委办公室",
    "管委会办公室",
    "纪律检查委员会办公室",
    "科技发展办公室",
    "宣传办公室",
)
# (satisfied, basically, dissatisfied, don't know): some offices do better than others.
PROFILES = {
    PARTY: (0.56, 0.30, 0.06, 0.08),
    ADMIN_OFFICE: (0.47, 0.33, 0.10, 0.10),
    DISCIPLINE: (0.40, 0.34, 0.10, 0.16),
    TECH: (0.33, 0.37, 0.15, 0.15),
    PUBLICITY: (0.24, 0.34, 0.30, 0.12),
}
# (name, weight, open link, ballots): weights add up to 100.
GROUPS = [
    ("服务对象/企业", 35, False, 160),
    ("两代表一委员", 25, False, 48),
    ("监督员", 20, False, 40),
    ("机关干部", 10, False, 72),
    ("公众（网上）", 10, True, 90),
]
CONTACT = ["到窗口或办公室当面办理", "电话咨询", "网上办理", "参加会议或座谈"]
IMPROVE = ["服务态度", "办事效率", "政务公开", "廉洁自律", "首问负责和限时办结"]
COMMENTS = [
    "窗口服务比去年热情多了，希望保持。",
    "部分事项仍需多次跑腿，建议推行一次性告知。",
    "网上办事系统经常卡顿，希望尽快改进。",
    "建议公开各科室的办事时限，方便群众监督。",
    "宣传办的政策解读不够及时，企业不容易了解新政策。",
    "投诉后很快有人回访，处理结果满意。",
    "希望减少重复检查，给企业减负。",
    "干部作风明显转变，办事效率提高了。",
]


def _at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@contextmanager
def _on(moment):
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _pick(rng: random.Random, weights) -> str:
    return rng.choices(Rating.values, weights=weights)[0]


def _profile(office_name: str, group_name: str) -> tuple:
    s, b, d, u = PROFILES[office_name]
    if group_name == "机关干部":  # colleagues are kinder
        s, d = s + d / 2, d / 2
    if group_name == "公众（网上）":  # the public knows fewer offices
        u, s = u + 0.12, max(s - 0.12, 0.05)
    return s, b, d, u


def _answers(rng, spec, group_name: str) -> dict:
    answers: dict[int, object] = {}
    for question in spec.questions:
        if question.kind == Question.Kind.MATRIX:
            answers[question.pk] = {o.pk: _pick(rng, _profile(o.name, group_name)) for o in spec.offices}
        elif question.kind == Question.Kind.SINGLE:
            answers[question.pk] = rng.choice(list(question.options.all())).pk
        elif question.kind == Question.Kind.MULTIPLE:
            options = list(question.options.all())
            answers[question.pk] = [o.pk for o in rng.sample(options, rng.randint(1, 3))]
        elif question.kind == Question.Kind.SCALE:
            answers[question.pk] = rng.choices([1, 2, 3, 4, 5], weights=[3, 7, 20, 45, 25])[0]
        else:
            answers[question.pk] = rng.choice(COMMENTS) if rng.random() < 0.18 else ""
    return answers


def _cast(survey: Survey, group, count: int, days: list[dt.date], rng, coordinator) -> int:
    """``count`` ballots in ``group``, spread over ``days``: invitations claimed in bulk,
    or one by one through the open link, each with its own browser."""
    spec = ballot_spec(survey)
    cast = 0
    if group.open_link:
        for index in range(count):
            with _on(_at(days[index % len(days)], 10 + index % 8)):
                services.ballot_submit_open(
                    survey_id=survey.pk,
                    group_id=group.pk,
                    browser_cookie=secrets.token_urlsafe(16),
                    answers=_answers(rng, spec, group.name),
                )
            cast += 1
        return cast
    with _on(_at(days[0] - dt.timedelta(days=1))):
        batch = services.invitation_batch_create(
            group_id=group.pk, actor=coordinator, size=count + 4, label=f"{group.name}座谈会及走访发放"
        )
    tokens = list(Invitation.objects.filter(batch=batch).order_by("number").values_list("token", flat=True))[:count]
    chunks = [tokens[i :: len(days)] for i in range(len(days))]
    for day, chunk in zip(days, chunks, strict=False):
        if chunk:
            with _on(_at(day, 15)):
                cast += services.ballots_submit_bulk(
                    survey_id=survey.pk,
                    entries=[(t, _answers(rng, spec, group.name)) for t in chunk],
                    actor=coordinator,
                )
    return cast


def _questions(survey: Survey, coordinator) -> None:
    services.question_save(
        survey_id=survey.pk,
        actor=coordinator,
        kind=Question.Kind.MATRIX,
        required=True,
        text="您对以下单位转变作风、提高效能的总体评价是？",
    )
    services.question_save(
        survey_id=survey.pk,
        actor=coordinator,
        kind=Question.Kind.SINGLE,
        text="您主要通过什么方式与这些单位打交道？",
        options=CONTACT,
    )
    services.question_save(
        survey_id=survey.pk,
        actor=coordinator,
        kind=Question.Kind.MULTIPLE,
        text="您认为机关最需要改进的方面是？（可多选）",
        options=IMPROVE,
    )
    services.question_save(
        survey_id=survey.pk,
        actor=coordinator,
        kind=Question.Kind.SCALE,
        text="与去年相比，机关作风的改进程度（1 最低，5 最高）",
    )
    services.question_save(
        survey_id=survey.pk,
        actor=coordinator,
        kind=Question.Kind.TEXT,
        required=False,
        text="您对机关作风和效能建设还有什么意见和建议？",
    )


def _published_survey(campaign, offices, today, coordinator, rng) -> int:
    opens = today - dt.timedelta(days=40)
    closes = today - dt.timedelta(days=26)
    with _on(_at(opens - dt.timedelta(days=5))):
        survey = services.survey_create(
            actor=coordinator,
            campaign=campaign,
            title=PUBLISHED_TITLE,
            standard_ballot=False,
            intro="根据《高新区管委会机关行政效能建设活动实施方案》，请您对以下单位的作风和效能建设情况进行评议。"
            "评议采取无记名方式，结果将作为各单位年度考核的重要依据。",
            opens_at=_at(opens, 8),
            closes_at=_at(closes, 18),
            offices=offices,
        )
        services.groups_replace(
            survey_id=survey.pk,
            actor=coordinator,
            groups=[services.GroupSpec(name, weight, open_link) for name, weight, open_link, _n in GROUPS],
        )
        _questions(survey, coordinator)
        services.survey_open(survey_id=survey.pk, actor=coordinator)
    days = [opens + dt.timedelta(days=d) for d in (0, 2, 5, 8, 12)]
    ballots = 0
    for group in survey.groups.order_by("order"):
        count = next(n for name, _w, _o, n in GROUPS if name == group.name)
        ballots += _cast(survey, group, count, days, rng, coordinator)
    with _on(_at(closes + dt.timedelta(days=1), 9)):
        services.survey_close(survey_id=survey.pk, actor=coordinator)
    with _on(_at(closes + dt.timedelta(days=3), 10)):
        services.survey_publish(survey_id=survey.pk, actor=coordinator)
    return ballots + 1


def _open_survey(campaign, offices, today, coordinator, rng) -> int:
    with _on(_at(today - dt.timedelta(days=2))):
        survey = services.survey_create(
            actor=coordinator,
            campaign=campaign,
            title=OPEN_TITLE,
            standard_ballot=True,
            intro="请对您近期办理业务的窗口单位作出评价。",
            opens_at=_at(today - dt.timedelta(days=1), 8),
            closes_at=_at(today + dt.timedelta(days=10), 18),
            offices=offices,
        )
        services.survey_open(survey_id=survey.pk, actor=coordinator)
    group = survey.groups.order_by("order").first()
    assert group is not None
    with _on(_at(today - dt.timedelta(days=1), 9)):
        batch = services.invitation_batch_create(
            group_id=group.pk, actor=coordinator, size=30, label="行政服务中心窗口发放"
        )
    invitations = list(batch.invitations.order_by("number"))
    for invitation, note in zip(invitations, ["某科技公司 陈经理", "某建筑公司 林总", "个体户 黄女士"], strict=False):
        services.invitation_note_set(invitation_id=invitation.pk, actor=coordinator, note=note)
    spec = ballot_spec(survey)
    with _on(_at(today - dt.timedelta(days=1), 16)):
        cast = services.ballots_submit_bulk(
            survey_id=survey.pk,
            actor=coordinator,
            entries=[(i.token, _answers(rng, spec, group.name)) for i in invitations[3:9]],
        )
    return cast + 1


def _hearing(campaign, offices_by_name, today, coordinator, rng) -> int:
    day = today - dt.timedelta(days=25)
    with _on(_at(day - dt.timedelta(days=7))):
        hearing = services.hearing_create(
            actor=coordinator,
            campaign=campaign,
            title=HEARING_TITLE,
            date=day,
            place="高新区管委会三楼会议室",
            offices=[offices_by_name[ADMIN_OFFICE], offices_by_name[PUBLICITY]],
        )
        panel = [
            ("王建国", Panelist.Kind.DEPUTY, "区人大代表"),
            ("李秀英", Panelist.Kind.DEPUTY, "区政协委员"),
            ("赵志强", Panelist.Kind.DEPUTY, "市人大代表"),
            ("孙丽", Panelist.Kind.SUPERVISOR, "作风建设监督员"),
            ("周明", Panelist.Kind.SUPERVISOR, "作风建设监督员"),
            ("吴海", Panelist.Kind.RECIPIENT, "园区企业代表"),
            ("郑芳", Panelist.Kind.RECIPIENT, "办事群众代表"),
        ]
        members = {
            name: services.panelist_add(hearing_id=hearing.pk, actor=coordinator, name=name, kind=kind, affiliation=aff)
            for name, kind, aff in panel
        }
        poll = services.hearing_poll_create(
            hearing_id=hearing.pk, actor=coordinator, opens_at=_at(day, 8), closes_at=_at(day, 18)
        )
        services.survey_open(survey_id=poll.pk, actor=coordinator)
    qa = [
        (
            ADMIN_OFFICE,
            "王建国",
            "企业反映办理入园手续要跑多个科室，管委会办公室如何落实首问负责制？",
            "我办已设立综合受理窗口，首问人负责全程跟踪，办理时限由15个工作日压缩到7个工作日。",
        ),
        (
            PUBLICITY,
            "吴海",
            "新出台的扶持政策企业往往很晚才知道，宣传办如何改进政策解读？",
            "我办将在政策出台后3个工作日内发布解读材料，并通过园区企业微信群直接推送。",
        ),
        (
            PUBLICITY,
            "孙丽",
            "去年群众评议中反映的问题，整改进展如何？",
            "已完成五项整改中的四项，剩余一项涉及网站改版，计划年底前完成并公开结果。",
        ),
    ]
    with _on(_at(day, 11)):
        for office_name, asker, question, answer in qa:
            services.hearing_question_save(
                hearing_id=hearing.pk,
                actor=coordinator,
                office=offices_by_name[office_name],
                asked_by=members[asker],
                question=question,
                answer=answer,
            )
    spec = ballot_spec(poll)
    with _on(_at(day, 16)):
        panel_now = Panelist.objects.filter(hearing=hearing).select_related("invitation")
        entries = [(m.invitation.token, _answers(rng, spec, "两代表一委员")) for m in panel_now]  # type: ignore[union-attr]
        services.ballots_submit_bulk(survey_id=poll.pk, entries=entries, actor=coordinator)
    with _on(_at(day + dt.timedelta(days=1))):
        services.survey_close(survey_id=poll.pk, actor=coordinator)
        services.survey_publish(survey_id=poll.pk, actor=coordinator)
        services.hearing_update(
            hearing_id=hearing.pk,
            actor=coordinator,
            summary=(
                "听证质询组由区人大代表、政协委员、作风建设监督员和服务对象代表共7人组成，对管委会办公室和宣传办公室"
                "的作风建设情况进行了质询。两单位负责人当场作答，并就首问负责、政策解读时效等问题作出整改承诺。"
                "民意测评结果已一并公布，质询中提出的问题已列入整改台账，由效能办跟踪督办。"
            ),
        )
        services.hearing_publish(hearing_id=hearing.pk, actor=coordinator)
    return 1 + len(entries)


@transaction.atomic
def load_demo(*, users: dict, today: dt.date | None = None) -> int:
    """Create the demo appraisals; ``users`` maps demo usernames to users. Returns how
    many records were added (0 when they are there already)."""
    if Survey.objects.filter(title=PUBLISHED_TITLE).exists():
        return 0
    campaign = get_current_campaign() or Campaign.objects.first()
    if campaign is None:
        return 0
    today = today or timezone.localdate()
    coordinator = users["coordinator"]
    rng = random.Random(2026)
    by_name = {o.name: o for o in Office.objects.filter(name__in=list(PROFILES))}
    if len(by_name) < len(PROFILES):
        return 0
    offices = [by_name[name] for name in PROFILES]
    added = _published_survey(campaign, offices, today, coordinator, rng)
    added += _open_survey(
        campaign, [by_name[ADMIN_OFFICE], by_name[TECH], by_name[DISCIPLINE]], today, coordinator, rng
    )
    if not Hearing.objects.filter(title=HEARING_TITLE).exists():
        added += _hearing(campaign, by_name, today, coordinator, rng)
    return added
