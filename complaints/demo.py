"""Demo complaints: a few dozen, received over the last two months and carried
along the workflow through the real services, as if each step happened on its
day, so the queue, the statistics and the public pages look alive.

Runs once: if any complaint exists it does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock

from django.db import transaction
from django.utils import timezone

from campaigns.models import Office

from . import services
from .models import Complaint, ProblemType

STORIES = [
    ("attitude", "办事大厅窗口工作人员态度生硬，问了两句就不耐烦，让我自己去看墙上的告示。"),
    ("inefficiency", "企业营业执照变更材料已交齐，窗口说要等负责人签字，两周了还没有消息。"),
    ("arbitrary", "同一个月内被不同科室上门检查三次，每次要求提供的材料都一样。"),
    ("inaction", "小区门口道路破损半年，多次打电话反映，一直说在研究，没有任何处理。"),
    ("attitude", "电话咨询政策时，接电话的人说不归他们管，直接挂断了电话。"),
    ("inefficiency", "申请的补贴材料被退回三次，每次只指出一个问题，不能一次性告知。"),
    ("irresponsibility", "预约了上午九点办理业务，工作人员十点才到岗，也没有任何解释。"),
    ("policy", "市里已经取消的收费项目，区里窗口仍然要求缴纳，说还没有接到通知。"),
    ("corruption", "办理施工许可时，有工作人员暗示需要请吃饭才能加快审批进度。"),
    ("arbitrary", "执法人员对门店罚款，却不出具处罚决定书，也说不清依据。"),
    ("other", "网站上公布的办事指南与窗口实际要求的材料不一致，白跑了一趟。"),
    ("inaction", "反映企业用电问题的信件寄出一个多月，没有收到任何回复。"),
]
# How far along each demo complaint goes.
STAGES = ["registered", "accepted", "assigned", "investigating", "replied", "rated", "closed", "not_accepted"]
SUBJECTS = ["宣传办公室", "科技发展办公室", "管委会办公室", "党委办公室", None]
HANDLERS = ["管委会办公室", "党委办公室", "科技发展办公室"]
NAMES = ["陈先生", "黄女士", "林先生", "周女士", "吴先生", "郑女士"]


def _at(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load_demo(*, users: dict, today: dt.date | None = None) -> int:
    """Create the demo complaints; ``users`` maps demo usernames to users."""
    if Complaint.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(2026)
    offices = {o.name: o for o in Office.objects.all()}
    types = {t.code: t for t in ProblemType.objects.all()}
    centre = users["centre"]
    # Each complaint is worked by the staff of its own centre (rules.centre_for):
    # the zone's, or the city's for one naming no office.
    centre_staff = {
        u.office_id: u for u in users.values() if u.office_id and u.groups.filter(name="complaint_centre").exists()
    }
    staff_by_office = {
        u.office.name: u
        for u in users.values()
        if u.office and not u.is_superuser and u.groups.filter(name="office_staff").exists()
    }
    created = 0
    for index in range(36):
        code, text = STORIES[index % len(STORIES)]
        days_ago = 55 - index * 3 // 2
        received = today - dt.timedelta(days=max(days_ago, 0))
        stage = STAGES[index % len(STAGES)] if days_ago > 12 else STAGES[min(index % 4, 3)]
        subject_name = SUBJECTS[index % len(SUBJECTS)]
        subject = offices.get(subject_name) if subject_name else None
        handler_name = next(h for h in HANDLERS if h != subject_name)
        handler = staff_by_office.get(handler_name)
        anonymous = index % 3 == 0
        with (
            mock.patch.object(timezone, "now", return_value=_at(received, 9 + index % 8)),
            transaction.atomic(),
        ):
            result = services.complaint_submit(
                problem_type=types[code],
                description=f"{text}（演示数据 {index + 1}）",
                is_anonymous=anonymous,
                office=subject,
                location="高新区行政服务中心" if index % 2 else "",
                name="" if anonymous else NAMES[index % len(NAMES)],
                phone="" if anonymous else f"1380013{index:04d}",
                email="",
                channel=Complaint.Channel.WEB if index % 4 else Complaint.Channel.HOTLINE,
                actor=None if index % 4 else centre,
                ip=f"198.51.100.{index + 1}",
            )
        complaint = result.complaint
        created += 1
        worker = centre_staff.get(complaint.centre_id, centre)
        _advance(complaint, stage, received, today, worker, handler, offices[handler_name], rng)
    created += _levels(users, offices, types, today)
    services.complaints_sweep(today=today)
    _publish_examples(centre)
    return created


def _levels(users: dict, offices: dict, types: dict, today: dt.date) -> int:
    """Complaints that show the levels: one about the zone's own complaint centre
    (纪工委办), which goes to the city's centre; one about a street of 惠阳区, with
    惠阳区's centre; one the district handed up to the city."""
    from campaigns.demo import DANSHUI, DISCIPLINE, QIUCHANG

    made = []
    for office, code, text in [
        (DISCIPLINE, "inefficiency", "向纪工委办反映的问题两个月没有答复，也没有说明理由。"),
        (DANSHUI, "attitude", "到淡水街道便民服务中心办理居住证明，窗口人员说系统故障让改天再来，连续三次都是这样。"),
        (QIUCHANG, "arbitrary", "秋长街道执法队对沿街商户罚款不开票据，金额也说不清依据。"),
    ]:
        with mock.patch.object(timezone, "now", return_value=_at(today - dt.timedelta(days=2), 10)):
            made.append(
                services.complaint_submit(
                    problem_type=types[code],
                    description=text,
                    is_anonymous=True,
                    office=offices[office],
                    location="",
                    name="",
                    phone="",
                    email="",
                    channel=Complaint.Channel.WEB,
                    actor=None,
                    ip="198.51.100.200",
                ).complaint
            )
    with mock.patch.object(timezone, "now", return_value=_at(today - dt.timedelta(days=1), 11)):
        services.complaint_escalate(
            complaint_id=made[2].pk,
            actor=users["district"],
            reason="涉及区执法部门与街道的职责交叉，需市投诉中心协调处理。",
        )
    return len(made)


def _publish_examples(centre) -> None:
    closed = Complaint.objects.filter(
        status=Complaint.Status.CLOSED, problem_type__is_corruption=False, centre=centre.office
    )
    examples = [
        (
            "negative",
            "窗口工作人员服务态度生硬被通报批评",
            "群众反映行政服务中心窗口工作人员答复问题不耐烦、推诿。经调查属实，已对当事人通报批评，并在全区窗口开展服务规范培训。",
        ),
        (
            "positive",
            "一次性告知制度落实到位获群众好评",
            "群众反映补贴申请材料多次退回。承办单位核查后当日整改，推行一次性告知清单，投诉人回访表示满意。",
        ),
    ]
    for complaint, (kind, title, summary) in zip(closed.order_by("pk"), examples, strict=False):
        services.typical_case_publish(complaint_id=complaint.pk, actor=centre, kind=kind, title=title, summary=summary)


def _advance(complaint, stage, received, today, centre, handler, handling_office, rng):
    steps = []
    if stage == "not_accepted":
        steps.append(
            (
                1,
                lambda: services.complaint_not_accept(
                    complaint_id=complaint.pk,
                    actor=centre,
                    reason="反映的事项属于司法程序处理范围，请通过诉讼途径解决。",
                ),
            )
        )
    elif stage != "registered":
        steps.append((1, lambda: services.complaint_accept(complaint_id=complaint.pk, actor=centre)))
        if stage != "accepted" and handler is not None:
            steps.append(
                (
                    2,
                    lambda: services.complaint_transfer_request(
                        complaint_id=complaint.pk, actor=centre, to_office=handling_office, note="请核实处理。"
                    ),
                )
            )
            steps.append((3, lambda: services.complaint_transfer_accept(complaint_id=complaint.pk, actor=handler)))
            if stage not in ("assigned",):
                steps.append(
                    (4, lambda: services.complaint_start_investigation(complaint_id=complaint.pk, actor=handler))
                )
            if stage in ("replied", "rated", "closed"):
                substantiated = rng.random() < 0.6
                steps.append(
                    (
                        9,
                        lambda: services.complaint_reply(
                            complaint_id=complaint.pk,
                            actor=handler,
                            findings="经调查核实，反映情况基本属实。"
                            if substantiated
                            else "经调查核实，反映情况不属实。",
                            measures="已对相关人员进行批评教育，并完善了窗口服务制度。" if substantiated else "",
                            reply="感谢您的监督。经核查，已责令相关科室整改，并将整改情况纳入效能考核。"
                            if substantiated
                            else "感谢您的监督。经核查，相关业务按规定办理，已向您说明政策依据。",
                            substantiated=substantiated,
                        ),
                    )
                )
            if stage in ("rated", "closed"):
                rating = (
                    rng.choice(["satisfied", "satisfied", "basically", "dissatisfied"])
                    if stage == "closed"
                    else "satisfied"
                )
                if stage == "closed" and rating == "dissatisfied":
                    rating = "basically"
                steps.append((11, lambda: services.complaint_rate(complaint_id=complaint.pk, rating=rating)))
            if stage == "closed":
                if not complaint.is_anonymous:
                    steps.append(
                        (
                            12,
                            lambda: services.complaint_record_callback(
                                complaint_id=complaint.pk,
                                actor=centre,
                                called_on=timezone.localdate(),
                                outcome="投诉人对处理结果表示认可。",
                            ),
                        )
                    )
                steps.append((12, lambda: services.complaint_close(complaint_id=complaint.pk, actor=centre)))
    for offset, step in steps:
        day = received + dt.timedelta(days=offset)
        if day > today:
            break
        with mock.patch.object(timezone, "now", return_value=_at(day, 15)):
            step()
