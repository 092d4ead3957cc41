"""Each office's plan for the current campaign, the problems found, the commitments
in every status with their progress, and the public's ratings and comments."""

from __future__ import annotations

import datetime as dt

from rectification.models import (
    Commitment,
    LookBack,
    Plan,
    Problem,
    ProgressUpdate,
    PublicComment,
    Rating,
    SupervisorFlag,
)

from . import names
from .org import person
from .world import Picker, World, zipf_weights

CStatus = Commitment.Status
COMMITMENT_STATUS = Picker(
    [
        CStatus.DRAFT,
        CStatus.PUBLISHED,
        CStatus.IN_PROGRESS,
        CStatus.COMPLETED,
        CStatus.VERIFIED,
        CStatus.SENT_BACK,
        CStatus.REOPENED,
    ],
    [3, 15, 35, 15, 25, 4, 3],
)
PLAN_STATUS = Picker(
    [Plan.Status.APPROVED, Plan.Status.SUBMITTED, Plan.Status.RETURNED, Plan.Status.DRAFT], [85, 5, 5, 5]
)
HANDLING = Picker(list(Commitment.Handling.values), [15, 70, 10, 5])
SCOPE = Picker(list(Commitment.Scope.values), [10, 80, 10])
SOURCE = Picker(list(Problem.Source.values), [35, 15, 30, 5, 5, 10])
RATING_VALUE = Picker(list(Rating.Value.values), [55, 30, 15])


def generate_rectification(world: World, writers, *, total: int, progress) -> None:
    rng = world.rng("rectification")
    now, today = world.now, world.today
    coordinator, supervisor = world.users["bench-coordinator"], world.users["bench-supervisor"]
    campaign_id = world.campaign_id
    offices = [o for o in world.offices if o.depth > 0 and o.id != world.centre_office_id]
    by_id = {o.id: o for o in world.offices}
    plan_of: dict[int, tuple[int, str]] = {}
    start = now - dt.timedelta(days=150)
    for pk, office in enumerate(offices, start=1):
        status = PLAN_STATUS(rng)
        filed = status != Plan.Status.DRAFT
        reviewed = status in (Plan.Status.APPROVED, Plan.Status.RETURNED)
        submitted_at = start + dt.timedelta(days=rng.randrange(0, 20))
        writers[Plan].add(
            id=pk,
            campaign_id=campaign_id,
            office_id=office.id,
            status=status,
            summary="对照活动要求查摆问题，逐项制定整改措施，明确责任人和时限。" if filed else "",
            approved_collectively_on=(submitted_at - dt.timedelta(days=2)).date() if filed else None,
            submitted_at=submitted_at if filed else None,
            submitted_by_id=world.staff_of[office.id] if filed else None,
            reviewed_at=submitted_at + dt.timedelta(days=5) if reviewed else None,
            reviewed_by_id=coordinator if reviewed else None,
            review_comments="请细化整改时限和责任人。" if status == Plan.Status.RETURNED else "",
            submission_count=1 if filed else 0,
            return_count=1 if status == Plan.Status.RETURNED else 0,
            created_at=start,
            updated_at=submitted_at,
        )
        plan_of[office.id] = (pk, status)

    office_pick = Picker([o.id for o in offices], zipf_weights(len(offices), 0.6))
    links = writers[Commitment.problems.through]
    numbers: dict[int, int] = {}
    problem_id = update_id = rating_id = comment_id = flag_id = lookback_id = 0
    last_problem_office = None
    unseen = set(CStatus)
    approved = [office_id for office_id, (_pk, status) in plan_of.items() if status == Plan.Status.APPROVED]
    for pk in range(1, total + 1):
        office_id = office_pick(rng)
        plan_id, plan_status = plan_of[office_id]
        status = COMMITMENT_STATUS(rng) if plan_status == Plan.Status.APPROVED else CStatus.DRAFT
        unseen.discard(status)
        if total - pk < len(unseen) and approved:  # the last few show any status not seen yet
            status = min(unseen)
            unseen.discard(status)
            office_id = approved[pk % len(approved)]
            plan_id, plan_status = plan_of[office_id]
        numbers[plan_id] = number = numbers.get(plan_id, 0) + 1
        content, measures, goal = rng.choice(names.COMMITMENTS)
        handling = HANDLING(rng)
        deadline = today + dt.timedelta(days=rng.randrange(-60, 120))
        extended = rng.random() < 0.1
        created = start + dt.timedelta(days=rng.randrange(5, 40), seconds=rng.randrange(30_000, 60_000))
        published = created + dt.timedelta(days=rng.randrange(1, 10)) if status != CStatus.DRAFT else None
        done = status in (CStatus.COMPLETED, CStatus.VERIFIED)
        completed = published + dt.timedelta(days=rng.randrange(10, 90)) if done and published else None
        percent = {
            CStatus.DRAFT: 0,
            CStatus.PUBLISHED: rng.randrange(0, 25, 5),
            CStatus.IN_PROGRESS: rng.randrange(10, 95, 5),
            CStatus.COMPLETED: 100,
            CStatus.VERIFIED: 100,
            CStatus.SENT_BACK: rng.randrange(60, 100, 5),
            CStatus.REOPENED: rng.randrange(40, 95, 5),
        }[status]
        office = by_id[office_id]
        scope = Commitment.Scope.MEDIA if office.depth == 1 and rng.random() < 0.3 else SCOPE(rng)
        writers[Commitment].add(
            id=pk,
            plan_id=plan_id,
            number=number,
            content=content,
            measures=measures,
            goal=goal,
            deadline=deadline,
            original_deadline=deadline - dt.timedelta(days=30) if extended else deadline,
            responsible_office_id=office_id,
            responsible_person=person(rng),
            responsible_title=rng.choice(names.TITLES),
            handling=handling,
            explanation="涉及多个部门和资金安排，分三步推进。" if handling == Commitment.Handling.GRADUAL else "",
            higher_office_id=(office.parent_id or world.offices[0].id)
            if handling == Commitment.Handling.UPWARD
            else None,
            scope=scope,
            status=status,
            progress=percent,
            published_at=published,
            completed_at=completed,
            verified_at=completed + dt.timedelta(days=5) if completed and status == CStatus.VERIFIED else None,
            verified_by_id=coordinator if status == CStatus.VERIFIED else None,
            send_back_reason="佐证材料不足，请补充整改前后对比。" if status == CStatus.SENT_BACK else "",
            send_back_count=1 if status == CStatus.SENT_BACK else 0,
            claim_count=1 if done or status in (CStatus.SENT_BACK, CStatus.REOPENED) else 0,
            lookback_count=1 if status == CStatus.REOPENED else 0,
            created_by_id=world.staff_of[office_id],
            created_at=created,
            updated_at=completed or published or created,
        )
        # Most commitments answer a problem of their own; some share their office's last one.
        if problem_id == 0 or rng.random() < 0.7 or last_problem_office != office_id:
            problem_id += 1
            source = SOURCE(rng)
            writers[Problem].add(
                id=problem_id,
                campaign_id=campaign_id,
                office_id=office_id,
                description=rng.choice(names.PROBLEMS),
                source=source,
                severity=rng.choice(Problem.Severity.values),
                found_on=(created - dt.timedelta(days=3)).date(),
                appraisal_reference="上年度民主评议结果" if source == Problem.Source.APPRAISAL else "",
                created_by_id=world.staff_of[office_id],
                created_at=created,
                updated_at=created,
            )
            last_problem_office = office_id
        links.add(id=pk, commitment_id=pk, problem_id=problem_id)

        if published is None:
            progress.update(1)
            continue
        staff = world.staff_of[office_id]
        steps = [p for p in (30, 60) if p < percent]
        for i, p in enumerate(steps):
            update_id += 1
            writers[ProgressUpdate].add(
                id=update_id,
                commitment_id=pk,
                kind=ProgressUpdate.Kind.PROGRESS,
                reported_on=(published + dt.timedelta(days=7 * (i + 1))).date(),
                percent=p,
                text=names.UPDATES[i],
                author_id=staff,
                office_id=office_id,
                created_at=published + dt.timedelta(days=7 * (i + 1)),
            )
        if completed:
            update_id += 1
            writers[ProgressUpdate].add(
                id=update_id,
                commitment_id=pk,
                kind=ProgressUpdate.Kind.COMPLETION,
                reported_on=completed.date(),
                percent=100,
                text=names.UPDATES[2],
                author_id=staff,
                office_id=office_id,
                created_at=completed,
            )
        if status == CStatus.REOPENED:
            lookback_id += 1
            writers[LookBack].add(
                id=lookback_id,
                commitment_id=pk,
                number=1,
                outcome=LookBack.Outcome.REOPENED,
                reason="群众评价不满意比例较高，重新整改。",
                previous_status=CStatus.VERIFIED,
                ratings=20,
                dissatisfied=9,
                decided_by_id=coordinator,
                decided_at=published + dt.timedelta(days=40),
            )
        if status in Commitment.OPEN_STATUSES and rng.random() < 0.01:
            flag_id += 1
            writers[SupervisorFlag].add(
                id=flag_id,
                commitment_id=pk,
                flagged_by_id=supervisor,
                reason="群众反映整改不到位，建议回头看。",
                created_at=now - dt.timedelta(days=3),
            )
        # The public rates and comments on public commitments only.
        if scope not in Commitment.PUBLIC_SCOPES:
            progress.update(1)
            continue
        for _ in range(min(300, int(rng.paretovariate(1.6)) * 2 - 1) if rng.random() < 0.8 else 0):
            rating_id += 1
            rated = published + dt.timedelta(
                seconds=rng.randrange(3600, max(7200, int((now - published).total_seconds())))
            )
            value = RATING_VALUE(rng)
            writers[Rating].add(
                id=rating_id,
                commitment_id=pk,
                value=value,
                browser_key=f"{rng.getrandbits(256):064x}",
                created_at=rated,
            )
            if rng.random() < 0.15:
                comment_id += 1
                state = rng.choice(PublicComment.State.values)
                held = state == PublicComment.State.HELD
                writers[PublicComment].add(
                    id=comment_id,
                    commitment_id=pk,
                    rating_id=rating_id,
                    text=rng.choice(names.COMMENTS),
                    state=state,
                    browser_key=f"{rng.getrandbits(256):064x}",
                    moderated_at=None if held else min(now, rated + dt.timedelta(hours=5)),
                    moderated_by_id=None if held else coordinator,
                    created_at=rated,
                )
        progress.update(1)
