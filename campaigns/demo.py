"""Demo data: the high-tech zone committee's campaign plan (seed 000).

Its three phases keep the plan's months (Sep, Oct–Nov, Dec) from October to
December, and the same lengths shifted to run through today at other times of the
year (see ``demo_start``), so the demo is always a live campaign; the tasks are the
plan's numbered measures, with the offices named in brackets as lead office
(the first named) and co-offices. Statuses are set relative to today so that
the workspace shows overdue, due-soon and later tasks whatever the date.
Everything is looked up by natural key first, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import Campaign, Office, Phase, Task, TaskAssignment, User
from .roles import Role, sync_role_groups
from .services import task_complete, task_report_create

CITY = "惠州市"
ZONE = "高新区管委会"
PARTY = "党委办公室"
ADMIN_OFFICE = "管委会办公室"
DISCIPLINE = "纪律检查委员会办公室"
TECH = "科技发展办公室"
PUBLICITY = "宣传办公室"

# The city's own campaign office, and a second district with two townships and a
# campaign office that is also its complaint centre (levels of government,
# campaigns/scope.py): the city reads both districts, each district only its own.
CITY_OFFICE = "惠州市作风效能办"
CITY_CENTRE = "惠州市效能投诉中心"
HUIYANG = "惠阳区"
HUIYANG_OFFICE = "惠阳区作风效能办"
DANSHUI = "淡水街道办事处"
QIUCHANG = "秋长街道办事处"
#: A section (处/科室) of the city's campaign office: offices go down to sections.
CITY_SECTION = "督查科"
LEVELS = [
    # (name, short name, level, parent, complaint centre)
    (CITY_OFFICE, "市效能办", Office.Level.DEPARTMENT, CITY, False),
    (CITY_CENTRE, "市投诉中心", Office.Level.DEPARTMENT, CITY, True),
    (CITY_SECTION, "市效能办督查科", Office.Level.SECTION, CITY_OFFICE, False),
    (HUIYANG, "惠阳区", Office.Level.DISTRICT, CITY, False),
    (HUIYANG_OFFICE, "惠阳区效能办", Office.Level.DEPARTMENT, HUIYANG, True),
    (DANSHUI, "淡水街道", Office.Level.TOWNSHIP, HUIYANG, False),
    (QIUCHANG, "秋长街道", Office.Level.TOWNSHIP, HUIYANG, False),
]
#: The zone's complaint centre (效能监察投诉中心, seed 000) sits in its discipline office.
CENTRES = {DISCIPLINE, CITY_CENTRE, HUIYANG_OFFICE}

DEPARTMENTS = [
    (PARTY, "党办"),
    (ADMIN_OFFICE, "管委办"),
    (DISCIPLINE, "纪工委办"),
    (TECH, "科发办"),
    (PUBLICITY, "宣传办"),
]

CAMPAIGN_NAME = "高新区管委会机关行政效能建设活动"
CAMPAIGN_DESCRIPTION = (
    "以优化政务环境为主要目标，以解决我委政务环境建设中存在的突出问题为着力点，以责任追究为手段，"
    "提高行政工作人员的素质，提高行政效能，努力建设依法行政、规范高效、清正廉洁、服务优质、"
    "企业满意的管理服务型机关。"
)

# 惠阳区's own campaign, running alongside the zone's under the city (several campaigns
# at once, campaigns/current.py): 淡水街道's staff and 惠阳区's campaign office see both
# and switch between them, the city's campaign office follows both, the zone's
# offices see only theirs. (order, name, first month, last month, tasks: title,
# lead, co-offices), the months counted from the zone's plan's first.
DISTRICT_CAMPAIGN_NAME = "惠阳区优化营商环境效能提升专项行动"
DISTRICT_CAMPAIGN_DESCRIPTION = "围绕企业和群众办事堵点，推动街道政务服务提速增效，做到办事指南公开、服务承诺兑现。"
DISTRICT_PHASES = [
    (
        1,
        "动员部署",
        10,
        10,
        [
            ("制定惠阳区专项行动实施方案", HUIYANG_OFFICE, [DANSHUI, QIUCHANG]),
            ("召开街道动员部署会议", DANSHUI, [QIUCHANG]),
        ],
    ),
    (
        2,
        "整改提速",
        11,
        12,
        [
            ("梳理公开街道办事服务指南", DANSHUI, []),
            ("开展窗口服务作风明察暗访", HUIYANG_OFFICE, [DANSHUI, QIUCHANG]),
        ],
    ),
]

# (order, name, first month, last month, goal, tasks)
# task: (title, description, lead, co-offices)
PHASES = [
    (
        1,
        "动员部署阶段",
        9,
        9,
        "组织管委会各部门认真学习市政府领导在全市机关行政效能建设动员大会上的讲话精神和有关法律法规，"
        "增强自觉性和主动性，认真做好活动实施前的各项工作。",
        [
            (
                "召开动员大会",
                "召开动员大会，统一思想，提高认识，明确开展行政效能建设活动的目的、意义。",
                PARTY,
                [ADMIN_OFFICE],
            ),
            (
                "组织学习讲话精神和法律法规",
                "组织全体干部职工认真学习市领导有关讲话精神和相关法律法规。",
                ADMIN_OFFICE,
                [],
            ),
            ("成立领导小组及其办公室", "成立高新区管委会机关行政效能建设工作领导小组及其办公室。", ADMIN_OFFICE, []),
            ("制定宣传报道计划", "制定宣传报道计划，开设网络专栏，作好专题报道工作。", TECH, [PUBLICITY]),
        ],
    ),
    (
        2,
        "整改提高阶段",
        10,
        11,
        "认真查找各部门存在问题、剖析其原因，制定切实可行的整改方案。完善制度建设，规范行政行为，"
        "提高工作效能，努力提升群众的满意度。",
        [
            (
                "征求意见，查找突出问题，制定整改方案",
                "通过召开座谈会、组织问卷调查等方式，广泛征求对本机关行政效能建设的意见和建议，认真查找在依法行政、"
                "服务态度、机关作风、队伍建设等方面存在的突出问题，剖析问题的根源，并研究制定整改方案。",
                PARTY,
                [ADMIN_OFFICE, DISCIPLINE],
            ),
            (
                "设立行政效能监察投诉中心",
                "设立行政效能监察投诉中心，公开投诉电话，切实加强对开展机关行政效能建设情况的监督检查，定期通报情况。",
                DISCIPLINE,
                [],
            ),
            (
                "确定整改重点，解决突出问题",
                "从实际出发，确定整改的重点，切实解决工作中的突出问题。增强服务意识，转变服务态度，改进机关作风，提高工作效率。",
                ADMIN_OFFICE,
                [PARTY],
            ),
            (
                "解决突出问题与建章立制相结合",
                "以岗位责任制度明确工作职责，以承诺服务制度明确为民服务内容，以公开办事制度推进政务公开，以民主决策制度强化群众监督，"
                "以绩效考核制度评价工作实绩，以责任追究制度严肃工作纪律。",
                ADMIN_OFFICE,
                [DISCIPLINE],
            ),
        ],
    ),
    (
        3,
        "考核总结阶段",
        12,
        12,
        "对机关工作人员进行绩效考核，对各部门进行民主评议，认真总结经验，推动机关效能建设步入经常化、制度化的工作轨道。",
        [
            (
                "开展绩效考核",
                "按照干部管理权限，制定科学、量化、便于操作的绩效考核工作方案，对各部门工作人员进行绩效考核。",
                PARTY,
                [ADMIN_OFFICE],
            ),
            ("开展民主评议", "制定民主评议工作方案，对各部门进行民主评议。", PARTY, [ADMIN_OFFICE]),
            (
                "召开总结大会，认真“回头看”",
                "召开高新区管委会机关行政效能建设工作总结大会，认真“回头看”，巩固成果。",
                PARTY,
                [ADMIN_OFFICE],
            ),
        ],
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    office: str | None
    name: str
    superuser: bool = False
    extra_roles: tuple[str, ...] = ()


DEMO_USERS = [
    DemoUser("admin", "demo-admin-2026", "", ADMIN_OFFICE, "系统管理员", superuser=True),
    DemoUser("coordinator", "demo-coord-2026", Role.CAMPAIGN_OFFICE, ADMIN_OFFICE, "效能办 王协调"),
    DemoUser("office", "demo-office-2026", Role.OFFICE_STAFF, ADMIN_OFFICE, "管委办 刘干事"),
    DemoUser("party", "demo-party-2026", Role.OFFICE_STAFF, PARTY, "党办 李干事"),
    DemoUser("discipline", "demo-disc-2026", Role.OFFICE_STAFF, DISCIPLINE, "纪工委办 陈干事"),
    DemoUser("tech", "demo-tech-2026", Role.OFFICE_STAFF, TECH, "科发办 周干事"),
    DemoUser("publicity", "demo-publ-2026", Role.OFFICE_STAFF, PUBLICITY, "宣传办 吴干事"),
    DemoUser("supervisor", "demo-super-2026", Role.SUPERVISOR, None, "监督员 张代表"),
    DemoUser("centre", "demo-centre-2026", Role.COMPLAINT_CENTRE, DISCIPLINE, "投诉中心 赵专员"),
    DemoUser("head", "demo-head-2026", Role.OFFICE_HEAD, ZONE, "高新区管委会 孙主任"),
    DemoUser("city", "demo-city-2026", Role.CAMPAIGN_OFFICE, CITY_OFFICE, "市效能办 何科长"),
    DemoUser(
        "district",
        "demo-district-2026",
        Role.CAMPAIGN_OFFICE,
        HUIYANG_OFFICE,
        "惠阳区效能办 马主任",
        extra_roles=(Role.COMPLAINT_CENTRE,),
    ),
    DemoUser("danshui", "demo-danshui-2026", Role.OFFICE_STAFF, DANSHUI, "淡水街道 罗干事"),
    DemoUser("citycentre", "demo-citycentre-2026", Role.COMPLAINT_CENTRE, CITY_CENTRE, "市投诉中心 郑专员"),
]


PLAN_FIRST_MONTH = 9  # the plan runs September to December


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def demo_start(today: dt.date) -> dt.date:
    """The first day of the demo campaign, chosen so that it is running ``today``
    with at least its first phase behind it.

    From October to December the campaign keeps the plan's own months (Sep, Oct–Nov,
    Dec). On any other day it is the same four months shifted so that today falls in
    the second phase, the first behind it and the third ahead: a new user who runs the
    demo in March sees a live campaign (Jan, Feb–Mar, Apr), not last year's.
    """
    if today.month > PLAN_FIRST_MONTH:
        return dt.date(today.year, PLAN_FIRST_MONTH, 1)
    return _add_months(today, -2)


def _deadline(phase_start: dt.date, phase_end: dt.date, index: int, count: int) -> dt.date:
    span = (phase_end - phase_start).days
    return phase_start + dt.timedelta(days=round(span * (index + 1) / count))


@transaction.atomic
def load_demo(*, today: dt.date | None = None, stdout=None) -> dict:
    today = today or timezone.localdate()
    first = demo_start(today)
    year = first.year
    sync_role_groups()

    city, _ = Office.objects.get_or_create(name=CITY, parent=None, defaults={"level": Office.Level.CITY})
    zone, _ = Office.objects.get_or_create(
        name=ZONE, parent=city, defaults={"level": Office.Level.DISTRICT, "short_name": "高新区"}
    )
    offices = {CITY: city, ZONE: zone}
    for name, short in DEPARTMENTS:
        offices[name], _ = Office.objects.get_or_create(
            name=name, parent=zone, defaults={"short_name": short, "level": Office.Level.DEPARTMENT}
        )
    for name, short, level, parent, _centre in LEVELS:
        offices[name], _ = Office.objects.get_or_create(
            name=name, parent=offices[parent], defaults={"short_name": short, "level": level}
        )
    Office.objects.filter(name__in=CENTRES, is_complaint_centre=False).update(is_complaint_centre=True)

    users = {}
    for demo in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.first_name = demo.name
        user.office = offices.get(demo.office) if demo.office else None
        user.email = f"{demo.username}@example.gov.cn"
        user.is_staff = demo.superuser
        user.is_superuser = demo.superuser
        user.preferred_language = ""
        user.set_password(demo.password)
        user.save()
        if demo.role:
            user.groups.set(Group.objects.filter(name__in=[demo.role, *demo.extra_roles]))
        users[demo.username] = user

    start = first
    end = _add_months(first, 4) - dt.timedelta(days=1)
    campaign, created = Campaign.objects.get_or_create(
        name=CAMPAIGN_NAME,
        year=year,
        defaults={"description": CAMPAIGN_DESCRIPTION, "start_date": start, "end_date": end},
    )
    campaign.status = (
        Campaign.Status.RUNNING
        if start <= today <= end
        else Campaign.Status.CLOSED
        if today > end
        else Campaign.Status.DRAFT
    )
    campaign.save(update_fields=["status", "updated_at"])
    if not Campaign.objects.filter(is_current=True).exclude(pk=campaign.pk).exists():
        campaign.is_current = True
        campaign.save(update_fields=["is_current", "updated_at"])
    if campaign.office_id is None:
        # The zone's plan (seed 000 is 高新区's), planned by the zone's campaign office
        # (``coordinator``) and followed by the city's (``city``): shown first.
        campaign.office = zone
        campaign.save(update_fields=["office", "updated_at"])

    tasks_created = 0
    for order, name, first_month, last_month, goal, tasks in PHASES:
        phase_start = _add_months(first, first_month - PLAN_FIRST_MONTH)
        phase_end = _add_months(first, last_month - PLAN_FIRST_MONTH + 1) - dt.timedelta(days=1)
        phase, _ = Phase.objects.get_or_create(
            campaign=campaign,
            order=order,
            defaults={"name": name, "goal": goal, "start_date": phase_start, "end_date": phase_end},
        )
        for index, (title, description, lead, cos) in enumerate(tasks):
            task, made = Task.objects.get_or_create(
                phase=phase,
                number=index + 1,
                defaults={
                    "title": title,
                    "description": description,
                    "deadline": _deadline(phase_start, phase_end, index, len(tasks)),
                },
            )
            if not made:
                continue
            tasks_created += 1
            TaskAssignment.objects.create(task=task, office=offices[lead], role=TaskAssignment.Role.LEAD)
            for co in cos:
                TaskAssignment.objects.create(task=task, office=offices[co], role=TaskAssignment.Role.CO)
            _play_history(task, today, users)

    district_campaign, district_tasks = _load_district_campaign(first, today, offices, users)
    tasks_created += district_tasks

    summary = {
        "campaign": campaign,
        "district_campaign": district_campaign,
        "created": created,
        "tasks_created": tasks_created,
        "users": DEMO_USERS,
        "user_objects": users,
    }
    return summary


def _load_district_campaign(first: dt.date, today: dt.date, offices: dict, users: dict) -> tuple[Campaign, int]:
    """惠阳区's campaign (``DISTRICT_PHASES``), on the same calendar as the zone's: it
    starts a month later and ends with it. 淡水街道 reports on the tasks it leads once
    their phase has begun."""
    start = _add_months(first, 1)
    end = _add_months(first, 4) - dt.timedelta(days=1)
    campaign, _ = Campaign.objects.get_or_create(
        name=DISTRICT_CAMPAIGN_NAME,
        year=start.year,
        defaults={
            "description": DISTRICT_CAMPAIGN_DESCRIPTION,
            "start_date": start,
            "end_date": end,
            "office": offices[HUIYANG],
        },
    )
    campaign.status = (
        Campaign.Status.RUNNING
        if start <= today <= end
        else Campaign.Status.CLOSED
        if today > end
        else Campaign.Status.DRAFT
    )
    campaign.save(update_fields=["status", "updated_at"])
    created = 0
    for order, name, first_month, last_month, tasks in DISTRICT_PHASES:
        phase_start = _add_months(first, first_month - PLAN_FIRST_MONTH)
        phase_end = _add_months(first, last_month - PLAN_FIRST_MONTH + 1) - dt.timedelta(days=1)
        phase, _ = Phase.objects.get_or_create(
            campaign=campaign,
            order=order,
            defaults={"name": name, "start_date": phase_start, "end_date": phase_end},
        )
        for index, (title, lead, cos) in enumerate(tasks):
            task, made = Task.objects.get_or_create(
                phase=phase,
                number=index + 1,
                defaults={"title": title, "deadline": _deadline(phase_start, phase_end, index, len(tasks))},
            )
            if not made:
                continue
            created += 1
            TaskAssignment.objects.create(task=task, office=offices[lead], role=TaskAssignment.Role.LEAD)
            for co in cos:
                TaskAssignment.objects.create(task=task, office=offices[co], role=TaskAssignment.Role.CO)
            if lead == DANSHUI and phase_start <= today:
                task_report_create(
                    task_id=task.pk, actor=users["danshui"], text="街道已成立工作专班，正在逐项推进。", progress=50
                )
    return campaign, created


def _staff_of(office_name: str, users: dict) -> User | None:
    return next(
        (
            u
            for u in users.values()
            if u.office
            and u.office.name == office_name
            and not u.is_superuser
            and u.groups.filter(name=Role.OFFICE_STAFF).exists()
        ),
        None,
    )


def _play_history(task: Task, today: dt.date, users: dict) -> None:
    """Give a freshly made task a believable history through the real services."""
    lead = task.assignments.get(role=TaskAssignment.Role.LEAD)
    reporter = _staff_of(lead.office.name, users) or users["coordinator"]
    # The phase 1 task 2 stays open past its deadline, so there is always one overdue task.
    keep_overdue = task.phase.order == 1 and task.number == 2
    if task.deadline < today and not keep_overdue:
        for assignment in task.assignments.filter(role=TaskAssignment.Role.CO):
            co_user = _staff_of(assignment.office.name, users)
            if co_user is not None:
                task_report_create(
                    task_id=task.pk,
                    actor=co_user,
                    text="我单位承担的部分已完成，相关材料已报送牵头单位。",
                    progress=100,
                    contribution_complete=True,
                )
            else:
                from .services import assignment_waive

                assignment_waive(
                    assignment_id=assignment.pk,
                    actor=users["coordinator"],
                    reason="协办内容已并入牵头单位工作，经效能办同意免报。",
                )
        task_report_create(task_id=task.pk, actor=reporter, text="按方案要求完成，已形成书面材料存档。", progress=100)
        task_complete(task_id=task.pk, actor=reporter)
    elif task.phase.start_date <= today:
        task_report_create(task_id=task.pk, actor=reporter, text="已召开专题会议部署，正在按计划推进。", progress=40)


def load_all(*, today: dt.date | None = None) -> dict:
    """The campaign's demo, then every other app's (``<app>/demo.py``, ``load_demo(users=,
    today=)``) in the order of INSTALLED_APPS, all on the same calendar. The summary is
    load_demo's with ``added``: the records each app added."""
    from django.apps import apps

    today = today or timezone.localdate()
    summary = load_demo(today=today)
    summary["added"] = {}
    # The zone's second running campaign, imported from a seed plan through the importer itself.
    from .planning.demo import load_plan_demo

    summary["added"]["plan_import"] = load_plan_demo(users=summary["user_objects"], today=today)
    for config in apps.get_app_configs():
        if config.name == "campaigns":
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        summary["added"][config.label] = module.load_demo(users=summary["user_objects"], today=today)
    return summary
