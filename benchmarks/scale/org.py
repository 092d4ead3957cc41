"""Offices in a four-level tree, their staff and the role users, the campaigns with
phases and tasks, and the phase deliverables the dashboard and scorecard read."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from campaigns.models import Campaign, Office, Phase, Task, TaskAssignment, TaskReport, User
from campaigns.models.offices import is_government_level
from campaigns.roles import Role, sync_role_groups
from oversight.models import Deliverable, Submission
from rectification.models import RectificationSettings

from . import names
from .world import Office as OfficeRow
from .world import World

Level = Office.Level
MIN_OFFICES = 6


def office_tree(total: int) -> list[OfficeRow]:
    """``total`` offices: the city government; its departments, the complaint centre,
    the campaign office and the districts/counties; under those, district bureaus,
    townships/streets and the city departments' sections (处/科室); under the
    townships, their own offices (党政办…)."""
    rows: list[OfficeRow] = []

    def add(name, short, level, parent, depth):
        rows.append(OfficeRow(len(rows) + 1, name, short, level, parent.id if parent else None, depth))
        return rows[-1]

    root = add(names.CITY, names.CITY_SHORT, Level.CITY, None, 0)
    add(*names.CENTRE, Level.DEPARTMENT, root, 1)
    add(*names.CAMPAIGN_OFFICE, Level.DEPARTMENT, root, 1)
    n_districts = min(len(names.DISTRICTS), max(1, round(total * 0.03)))
    n_departments = min(len(names.CITY_DEPARTMENTS), max(1, round(total * 0.15)))
    n_departments = min(n_departments, total - 3 - n_districts - 1)
    departments = [
        add(name, short, Level.DEPARTMENT, root, 1) for name, short in names.CITY_DEPARTMENTS[:n_departments]
    ]
    districts = [add(name, name, Level.DISTRICT, root, 1) for name in names.DISTRICTS[:n_districts]]
    rest = total - len(rows)
    to_districts = max(1, round(rest * 0.75)) if rest else 0
    for i in range(to_districts):
        district = districts[i % len(districts)]
        k = i // len(districts)  # the district's k-th sub-office: bureaus and townships in turn
        if k % 3 == 2:
            stem = names.TOWNSHIP_STEMS[(k // 3) % len(names.TOWNSHIP_STEMS)]
            suffix = "镇" if district.name.endswith("县") else "街道"
            lap = k // (3 * len(names.TOWNSHIP_STEMS))
            name = f"{district.name}{stem}{suffix}" + (str(lap + 1) if lap else "")
            add(name, f"{stem}{suffix}", Level.TOWNSHIP, district, 2)
        else:
            j = k - k // 3
            bureau = names.DISTRICT_BUREAUS[j % len(names.DISTRICT_BUREAUS)]
            lap = j // len(names.DISTRICT_BUREAUS)
            name = f"{district.name}{bureau}" + (f"第{lap + 1}分局" if lap else "")
            add(name, f"{district.name[:2]}{bureau[:2]}", Level.DEPARTMENT, district, 2)
    # What is left: half to the townships' own offices (a fourth level), half to the
    # city departments' sections.
    townships = [row for row in rows if row.level == Level.TOWNSHIP]
    for i in range((total - len(rows)) // 2 if townships else 0):
        township = townships[i % len(townships)]
        k = i // len(townships)
        office = names.TOWNSHIP_OFFICES[k % len(names.TOWNSHIP_OFFICES)]
        lap = k // len(names.TOWNSHIP_OFFICES)
        add(f"{township.name}{office}" + (str(lap + 1) if lap else ""), office, Level.DEPARTMENT, township, 3)
    for i in range(total - len(rows)):
        department = departments[i % len(departments)]
        k = i // len(departments)
        section = names.SECTIONS[k % len(names.SECTIONS)]
        lap = k // len(names.SECTIONS)
        add(f"{department.name}{section}" + (str(lap + 1) if lap else ""), section, Level.SECTION, department, 2)
    return rows


def person(rng) -> str:
    return rng.choice(names.SURNAMES) + "".join(rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2))))


def generate_offices_and_users(
    world: World, writers, *, offices: int, password_hash: str, staff_per_office: int = 1
) -> None:
    rng = world.rng("org")
    now = world.now
    created = now - dt.timedelta(days=800)
    world.offices = office_tree(offices)
    paths: dict[int, tuple[str, str]] = {}
    for o in world.offices:
        # The tree's materialised path (Office.path, campaigns/scope.py), parents
        # coming before their children in office_tree.
        parent_path, parent_level_path = paths[o.parent_id] if o.parent_id else ("", "")
        path = f"{parent_path}{o.id}."
        paths[o.id] = (path, path if is_government_level(o.level) else parent_level_path)
        writers[Office].add(
            id=o.id,
            name=o.name,
            short_name=o.short_name,
            level=o.level,
            parent_id=o.parent_id,
            path=paths[o.id][0],
            level_path=paths[o.id][1],
            created_at=created,
            updated_at=created,
        )
    world.centre_office_id, world.campaign_office_id = 2, 3
    workers = [o.id for o in world.offices if o.id not in (world.centre_office_id, world.campaign_office_id)]
    world.subject_ids = rng.sample(workers, len(workers))
    # Handling offices: every office but the city government itself.
    world.handler_ids = rng.sample(workers[1:], len(workers) - 1)
    world.busy_office_id = world.handler_ids[0]

    sync_role_groups()
    groups = dict(Group.objects.values_list("name", "pk"))
    user_groups = User.groups.through
    next_id = 1

    def add_user(username, office_id, role, *, name, superuser=False, title=""):
        nonlocal next_id
        pk = next_id
        next_id += 1
        writers[User].add(
            id=pk,
            username=username,
            password=password_hash,
            first_name=name,
            office_id=office_id,
            email=f"{username}@bench.example.gov.cn",
            is_staff=superuser,
            is_superuser=superuser,
            date_joined=created,
            title=title,
            last_login=None,
        )
        if role:
            writers[user_groups].add(id=pk, user_id=pk, group_id=groups[role])
        return pk

    for index, o in enumerate(world.offices, start=1):
        world.staff_of[o.id] = add_user(
            f"bench-staff-{index:04d}", o.id, Role.OFFICE_STAFF, name=person(rng), title=rng.choice(names.TITLES)
        )
        for k in range(2, staff_per_office + 1):  # the office's other staff
            add_user(
                f"bench-staff-{index:04d}-{k}",
                o.id,
                Role.OFFICE_STAFF,
                name=person(rng),
                title=rng.choice(names.TITLES),
            )
    world.users = {
        "bench-centre": add_user(
            "bench-centre", world.centre_office_id, Role.COMPLAINT_CENTRE, name="投诉中心 " + person(rng)
        ),
        "bench-coordinator": add_user(
            "bench-coordinator", world.campaign_office_id, Role.CAMPAIGN_OFFICE, name="效能办 " + person(rng)
        ),
        "bench-supervisor": add_user("bench-supervisor", None, Role.SUPERVISOR, name="监督员 " + person(rng)),
        "bench-office": add_user("bench-office", world.busy_office_id, Role.OFFICE_STAFF, name=person(rng)),
        "bench-head": add_user("bench-head", world.busy_office_id, Role.OFFICE_HEAD, name=person(rng), title="局长"),
        "bench-admin": add_user("bench-admin", world.campaign_office_id, "", name="系统管理员", superuser=True),
    }


def _phases(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    span = (end - start).days
    cuts = [0, round(span * 0.12), round(span * 0.40), round(span * 0.80), span + 1]
    titles = ["动员部署阶段", "自查自纠阶段", "整改提高阶段", "考核总结阶段"]
    return [
        (titles[i], start + dt.timedelta(days=cuts[i]), start + dt.timedelta(days=cuts[i + 1] - 1)) for i in range(4)
    ]


TASKS = [
    "召开动员大会",
    "成立领导小组及其办公室",
    "征求意见，查找突出问题",
    "开展自查自纠",
    "制定整改方案",
    "设立效能投诉中心",
    "确定整改重点，解决突出问题",
    "建章立制",
    "开展绩效考核",
    "开展民主评议",
    "召开总结大会",
    "回头看",
]


def generate_campaigns(world: World, writers) -> None:
    """Last year's closed campaign and this year's running one; today falls in the
    third phase (整改提高) of the current campaign."""
    rng = world.rng("campaigns")
    today = world.today
    current_start, current_end = today - dt.timedelta(days=200), today + dt.timedelta(days=60)
    previous_start, previous_end = current_start - dt.timedelta(days=365), current_end - dt.timedelta(days=365)
    phase_id = task_id = assignment_id = report_id = 0
    all_ids = [o.id for o in world.offices if o.depth > 0]
    for pk, (start, end, status, current) in enumerate(
        [
            (previous_start, previous_end, Campaign.Status.CLOSED, False),
            (current_start, current_end, Campaign.Status.RUNNING, True),
        ],
        start=1,
    ):
        stamp = world.aware(start - dt.timedelta(days=20))
        writers[Campaign].add(
            id=pk,
            name=f"{end.year}年{names.CITY_SHORT}机关行政效能建设活动",
            year=end.year,
            start_date=start,
            end_date=end,
            status=status,
            is_current=current,
            created_at=stamp,
            updated_at=stamp,
            description="以优化政务环境为主要目标，以责任追究为手段，提高行政效能。",
        )
        world.campaigns.append((pk, start, end))
        for order, (title, p_start, p_end) in enumerate(_phases(start, end), start=1):
            phase_id += 1
            writers[Phase].add(
                id=phase_id,
                campaign_id=pk,
                order=order,
                name=title,
                start_date=p_start,
                end_date=p_end,
                created_at=stamp,
                updated_at=stamp,
                goal=title,
            )
            if current:
                world.phase_ids.append(phase_id)
            for number in range(1, 4):
                task_id += 1
                deadline = min(p_start + dt.timedelta(days=(p_end - p_start).days * number // 3), end)
                done = deadline < today and rng.random() < 0.85
                progress = 100 if done else (0 if p_start > today else rng.randrange(10, 95, 5))
                status_ = (
                    Task.Status.DONE
                    if done
                    else (Task.Status.NOT_STARTED if progress == 0 else Task.Status.IN_PROGRESS)
                )
                writers[Task].add(
                    id=task_id,
                    phase_id=phase_id,
                    number=number,
                    title=TASKS[(order - 1) * 3 + number - 1],
                    description="按活动方案要求组织实施。",
                    deadline=deadline,
                    status=status_,
                    progress=progress,
                    completed_at=world.aware(deadline) if done else None,
                    created_at=stamp,
                    updated_at=stamp,
                )
                # Every second task concerns every office (各单位); the others a lead and a few co-offices.
                lead = rng.choice(all_ids)
                cos = (
                    [i for i in all_ids if i != lead]
                    if number == 2
                    else rng.sample([i for i in all_ids if i != lead], min(3, len(all_ids) - 1))
                )
                for office_id, role in [(lead, TaskAssignment.Role.LEAD)] + [(i, TaskAssignment.Role.CO) for i in cos]:
                    assignment_id += 1
                    submitted = role == TaskAssignment.Role.CO and (done or rng.random() < progress / 100)
                    writers[TaskAssignment].add(
                        id=assignment_id,
                        task_id=task_id,
                        office_id=office_id,
                        role=role,
                        submitted_at=world.aware(min(deadline, today)) if submitted else None,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                    if submitted or (role == TaskAssignment.Role.LEAD and progress):
                        report_id += 1
                        writers[TaskReport].add(
                            id=report_id,
                            task_id=task_id,
                            office_id=office_id,
                            author_id=world.staff_of[office_id],
                            report_date=min(deadline, today),
                            text="已按计划推进，相关材料已报送。",
                            progress=progress if role == TaskAssignment.Role.LEAD else 100,
                            contribution_complete=submitted,
                            created_at=world.aware(min(deadline, today)),
                        )
    world.previous_campaign_id, world.campaign_id = 1, 2
    writers[RectificationSettings].add(
        id=1,
        campaign_id=world.campaign_id,
        rectification_phase_id=world.phase_ids[2],
        created_at=world.now,
        updated_at=world.now,
    )
    _deliverables(world, writers, rng)


def _deliverables(world: World, writers, rng) -> None:
    coordinator = world.users["bench-coordinator"]
    kinds = [
        (Deliverable.Kind.SELF_INSPECTION, "自查报告", 1),
        (Deliverable.Kind.PROBLEM_LIST, "问题清单", 1),
        (Deliverable.Kind.RECTIFICATION_PLAN, "整改方案", 2),
    ]
    office_ids = [o.id for o in world.offices if o.depth > 0]
    deliverable_offices = Deliverable.offices.through
    submission_id = link_id = 0
    for pk, (kind, title, phase_index) in enumerate(kinds, start=1):
        phase_id = world.phase_ids[phase_index]
        due = world.today - dt.timedelta(days=40) if phase_index == 1 else world.today + dt.timedelta(days=10)
        writers[Deliverable].add(
            id=pk,
            phase_id=phase_id,
            kind=kind,
            title=title,
            due_date=due,
            order=pk,
            created_at=world.now,
            updated_at=world.now,
        )
        for office_id in office_ids:
            link_id += 1
            writers[deliverable_offices].add(id=link_id, deliverable_id=pk, office_id=office_id)
            roll = rng.random()
            if roll < 0.25:
                continue  # not handed in (yet)
            status = (
                Submission.Status.ACCEPTED
                if roll < 0.7
                else Submission.Status.RETURNED
                if roll < 0.8
                else Submission.Status.SUBMITTED
            )
            submission_id += 1
            at = world.aware(due - dt.timedelta(days=rng.randrange(1, 20)), rng.randrange(30_000, 60_000))
            at = min(at, world.now - dt.timedelta(hours=rng.randrange(50, 200)))
            reviewed = status != Submission.Status.SUBMITTED
            writers[Submission].add(
                id=submission_id,
                deliverable_id=pk,
                office_id=office_id,
                version=1,
                file=f"deliverables/bench/{pk}-{office_id}.pdf",
                original_name=f"{title}.pdf",
                size=rng.randrange(40_000, 900_000),
                submitted_by_id=world.staff_of[office_id],
                submitted_at=at,
                status=status,
                reviewed_by_id=coordinator if reviewed else None,
                reviewed_at=at + dt.timedelta(days=1) if reviewed else None,
                review_comment="请补充问题清单的整改时限。" if status == Submission.Status.RETURNED else "",
            )
