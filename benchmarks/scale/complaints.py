"""Complaints with their identities, timelines, accountability cases, typical cases
and the tracking-number counters, received day by day over the last two years."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

from django.utils.translation import gettext as _

from complaints.models import (
    AccountabilityCase,
    ComplainantIdentity,
    Complaint,
    ComplaintEvent,
    ProblemType,
    TrackingCounter,
    TypicalCase,
)
from kernel.workcalendar import WorkCalendar

from . import names
from .world import Picker, World, zipf_weights

Status = Complaint.Status
Kind = ComplaintEvent.Kind
DAYS = 730
DAY = 86_400
STAFF_CHANNELS = {
    Complaint.Channel.HOTLINE,
    Complaint.Channel.LETTER,
    Complaint.Channel.VISIT,
    Complaint.Channel.MAILBOX,
    Complaint.Channel.SUPERVISOR,
}
CHANNELS = Picker(
    [c for c, _label in Complaint.Channel.choices],
    [
        {"web": 45, "hotline": 25, "letter": 5, "visit": 10, "mailbox": 5, "supervisor": 4, "open311": 6}[c]
        for c, _label in Complaint.Channel.choices
    ],
)
# Status mix by age in days: recent complaints are still open, old ones mostly closed,
# and a few old ones are still open (overdue).
_S = [
    Status.REGISTERED,
    Status.ACCEPTED,
    Status.NOT_ACCEPTED,
    Status.ASSIGNED,
    Status.INVESTIGATING,
    Status.REPLIED,
    Status.CLOSED,
]
STATUS_BY_AGE = [
    (1, Picker(_S, [70, 20, 4, 6, 0, 0, 0])),
    (6, Picker(_S, [15, 20, 5, 30, 30, 0, 0])),
    (20, Picker(_S, [2, 5, 6, 12, 35, 25, 15])),
    (40, Picker(_S, [0.5, 1, 7, 3, 10, 18, 60.5])),
    (10**6, Picker(_S, [0.1, 0.2, 7, 0.5, 1.2, 1.0, 90])),
]
ACCEPT_DELAY = Picker([0, 1, 2, 3, 4, 6, 9], [35, 30, 15, 10, 5, 3, 2])
HANDLING_DAYS = Picker(list(range(2, 41)), [5 if d <= 20 else 1 for d in range(2, 41)])
RATINGS = Picker(["satisfied", "basically", "dissatisfied", ""], [60, 25, 8, 7])
DECISIONS = [d for d in AccountabilityCase.Decision.values if d != AccountabilityCase.Decision.PENDING]
TYPICAL_CASES = 20


def _day_counts(total: int, today: dt.date, rng) -> list[tuple[dt.date, int]]:
    """``total`` spread over the last two years: fewer at weekends, slowly rising."""
    days = [today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    weights = [
        (0.35 if d.weekday() >= 5 else 1.0) * (1 + 0.5 * i / DAYS) * rng.uniform(0.85, 1.15) for i, d in enumerate(days)
    ]
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(DAYS), key=lambda i: exact[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return list(zip(days, counts, strict=False))


def generate_complaints(world: World, writers, *, total: int, access_code_hash: str, progress) -> None:
    rng = world.rng("complaints")
    now, today = world.now, world.today
    centre_user, centre_office = world.users["bench-centre"], world.centre_office_id
    busy = world.busy_office_id
    types = list(
        ProblemType.objects.filter(is_active=True)
        .order_by("order", "pk")
        .values_list("pk", "code", "accept_limit_days", "complete_limit_days", "is_corruption")
    )
    if not types:
        raise ValueError(_("There are no active problem types: run the migrations first."))
    type_pick = Picker(types, [3 if t[1] in ("attitude", "inefficiency") else 1 for t in types])
    subject_pick = Picker(world.subject_ids, zipf_weights(len(world.subject_ids)))
    handler_pick = Picker(world.handler_ids, zipf_weights(len(world.handler_ids), 1.0))
    first_handler, second_handler = world.handler_ids[0], world.handler_ids[1]
    calendar = WorkCalendar(today - dt.timedelta(days=DAYS + 10), today + dt.timedelta(days=120))
    limits = sorted({t[2] for t in types} | {t[3] for t in types})
    source_keys = [hashlib.sha256(f"ip:203.0.113.{i}|".encode()).hexdigest() for i in range(256)]
    per_year: Counter = Counter()
    complaint_w, identity_w, event_w = writers[Complaint], writers[ComplainantIdentity], writers[ComplaintEvent]
    case_w, typical_w = writers[AccountabilityCase], writers[TypicalCase]
    pk = event_id = identity_id = case_id = typical_id = 0
    typical_every = max(1, total // (TYPICAL_CASES * 2))
    sample = None
    unseen = set(Status)
    now_ts = now.timestamp()

    for day, count in _day_counts(total, today, rng):
        if not count:
            continue
        midnight = world.aware(day, 0)
        age = (today - day).days
        status_pick = next(p for limit, p in STATUS_BY_AGE if age < limit)
        due = {n: calendar.add_working_days(day, n) for n in limits}
        campaign_id = world.campaign_on(day)
        low, high = 7 * 3600, 22 * 3600
        if day == today:  # nothing received later than now
            high = max(2, min(high, int(now_ts - midnight.timestamp()) - 60))
            low = min(low, high - 1)
        for seconds in sorted(rng.randrange(low, high) for _n in range(count)):
            pk += 1
            per_year[day.year] += 1
            tracking = f"TS-{day.year}-{per_year[day.year]:06d}"
            type_id, code, accept_days, complete_days, corruption = type_pick(rng)
            channel = CHANNELS(rng)
            status = status_pick(rng)
            unseen.discard(status)
            if total - pk < len(unseen):  # the last few complaints show any status not seen yet
                status = min(unseen)
                unseen.discard(status)
            subject = subject_pick(rng) if rng.random() < 0.9 else None
            anonymous = channel != Complaint.Channel.SUPERVISOR and rng.random() < 0.3
            received = midnight + dt.timedelta(seconds=seconds)
            accept_due, complete_due = due[accept_days], due[complete_days]
            story = rng.choice(names.STORIES.get(code) or names.GENERIC_STORIES)
            location = rng.choice(names.LOCATIONS)
            description = f"{story}（{location}）" if location else story
            by_staff = channel in STAFF_CHANNELS

            # The steps' times, as offsets from receipt; squeezed before now if need be.
            accept_at = ACCEPT_DELAY(rng) * DAY + rng.randrange(600, 8 * 3600)
            assign_at = accept_at + rng.randrange(1800, 2 * DAY)
            reply_at = accept_at + HANDLING_DAYS(rng) * DAY + rng.randrange(0, 6 * 3600)
            close_at = reply_at + rng.randrange(1, 15) * DAY
            last = {
                Status.REGISTERED: 0,
                Status.ACCEPTED: accept_at,
                Status.NOT_ACCEPTED: accept_at,
                Status.ASSIGNED: assign_at,
                Status.INVESTIGATING: assign_at + 3600,
                Status.REPLIED: reply_at,
                Status.CLOSED: close_at,
            }[status]
            room = now_ts - received.timestamp() - 60
            if last and last > room:
                factor = max(room, 0) / last
                accept_at, assign_at, reply_at, close_at = (
                    accept_at * factor,
                    assign_at * factor,
                    reply_at * factor,
                    close_at * factor,
                )

            row = {
                "id": pk,
                "tracking_number": tracking,
                "access_code_hash": access_code_hash,
                "campaign_id": campaign_id,
                "channel": channel,
                "office_id": subject,
                "problem_type_id": type_id,
                "description": description,
                "occurred_on": day - dt.timedelta(days=rng.randrange(0, 15)),
                "location": location,
                "is_anonymous": anonymous,
                "status": status,
                "received_on": day,
                "accept_limit_days": accept_days,
                "complete_limit_days": complete_days,
                "accept_due": accept_due,
                "complete_due": complete_due,
                "created_at": received,
                "content_hash": hashlib.sha256(f"{subject}|{type_id}|{description}|{pk}".encode()).hexdigest(),
                "source_key": source_keys[pk & 255],
            }
            if by_staff:
                row["first_receiver_id"], row["first_office_id"] = centre_user, centre_office
            updated = received
            event_w.add(
                id=(event_id := event_id + 1),
                complaint_id=pk,
                kind=Kind.REGISTERED,
                actor_id=centre_user if by_staff else None,
                office_id=centre_office if by_staff else None,
                is_public=True,
                data={"channel": channel},
                created_at=received,
            )
            handler = None
            if status != Status.REGISTERED:
                accepted = received + dt.timedelta(seconds=accept_at)
                on_time = accepted.date() <= accept_due
                row["first_receiver_id"], row["first_office_id"] = centre_user, centre_office
                row["accepted_on_time"] = on_time
                updated = accepted
                if status == Status.NOT_ACCEPTED:
                    reason = rng.choice(names.NOT_ACCEPTED_REASONS)
                    row["not_accepted_reason"], row["closed_at"] = reason, accepted
                    event_w.add(
                        id=(event_id := event_id + 1),
                        complaint_id=pk,
                        kind=Kind.NOT_ACCEPTED,
                        actor_id=centre_user,
                        office_id=centre_office,
                        is_public=True,
                        public_note=reason,
                        created_at=accepted,
                    )
                else:
                    row["accepted_at"] = accepted
                    event_w.add(
                        id=(event_id := event_id + 1),
                        complaint_id=pk,
                        kind=Kind.ACCEPTED,
                        actor_id=centre_user,
                        office_id=centre_office,
                        is_public=True,
                        data={"on_time": on_time},
                        created_at=accepted,
                    )
                    handler = handler_pick(rng)
                    if handler == subject:
                        handler = second_handler if handler == first_handler else first_handler
            if status in (Status.ASSIGNED, Status.INVESTIGATING, Status.REPLIED, Status.CLOSED):
                row["handling_office_id"] = handler
                if status in (Status.ASSIGNED, Status.INVESTIGATING):
                    assigned = received + dt.timedelta(seconds=assign_at)
                    updated = assigned
                    event_w.add(
                        id=(event_id := event_id + 1),
                        complaint_id=pk,
                        kind=Kind.TRANSFER_ACCEPTED,
                        actor_id=world.staff_of[handler],  # type: ignore[index]  # set when assigned
                        office_id=handler,
                        is_public=True,
                        data={"office": handler},
                        created_at=assigned,
                    )
                    if rng.random() < 0.03:
                        other = first_handler if handler != first_handler else second_handler
                        if other != subject:
                            row["pending_transfer_to_id"], row["transfer_requested_by_id"] = (
                                other,
                                world.staff_of[handler],  # type: ignore[index]  # set when assigned
                            )
            elif status == Status.ACCEPTED and rng.random() < 0.15:
                row["pending_transfer_to_id"], row["transfer_requested_by_id"] = handler, centre_user
            if status in (Status.REPLIED, Status.CLOSED):
                replied = received + dt.timedelta(seconds=reply_at)
                replied_on_time = replied.date() <= complete_due
                substantiated = rng.random() < 0.45
                reply = names.REPLIES[0 if substantiated else 1]
                row.update(
                    replied_at=replied,
                    replied_on_time=replied_on_time,
                    substantiated=substantiated,
                    findings=names.FINDINGS[0 if substantiated else 2],
                    reply=reply,
                    measures=names.MEASURES[pk & 1] if substantiated else "",
                    reward_eligible=substantiated and not anonymous,
                )
                updated = replied
                event_w.add(
                    id=(event_id := event_id + 1),
                    complaint_id=pk,
                    kind=Kind.REPLIED,
                    actor_id=world.staff_of[handler],  # type: ignore[index]  # set when assigned
                    office_id=handler,
                    is_public=True,
                    public_note=reply,
                    data={"on_time": replied_on_time, "substantiated": substantiated},
                    created_at=replied,
                )
                rating = RATINGS(rng) if status == Status.CLOSED else (RATINGS(rng) if rng.random() < 0.4 else "")
                if rating:
                    row["rating"] = rating
                    row["rated_at"] = replied + dt.timedelta(
                        seconds=(close_at - reply_at) / 2
                        if status == Status.CLOSED
                        else min(3600, (now_ts - replied.timestamp()) / 2)
                    )
                if status == Status.CLOSED:
                    closed = received + dt.timedelta(seconds=close_at)
                    row["closed_at"] = updated = closed
                    event_w.add(
                        id=(event_id := event_id + 1),
                        complaint_id=pk,
                        kind=Kind.CLOSED,
                        actor_id=None if not rating else centre_user,
                        office_id=None if not rating else centre_office,
                        is_public=True,
                        data={"automatic": not rating},
                        created_at=closed,
                    )
                    if not corruption and typical_id < TYPICAL_CASES and pk % typical_every == 0 and age > 30:
                        typical_id += 1
                        typical_w.add(
                            id=typical_id,
                            complaint_id=pk,
                            kind="negative" if substantiated else "positive",
                            title=f"投诉典型案例（{tracking}）",
                            summary=f"{story}{reply}",
                            published_at=closed,
                            published_by_id=centre_user,
                            created_at=closed,
                            updated_at=closed,
                        )
                reasons = []
                if substantiated and rng.random() < 0.12:
                    reasons.append((AccountabilityCase.Reason.SUBSTANTIATED, subject, replied))
                if not replied_on_time and rng.random() < 0.5:
                    reasons.append((AccountabilityCase.Reason.COMPLETE_OVERDUE, handler, replied))
                if row.get("accepted_on_time") is False and rng.random() < 0.3:
                    reasons.append((AccountabilityCase.Reason.ACCEPT_OVERDUE, None, accepted))
                for reason, office, at in reasons:
                    case_id += 1
                    decided = (now - at).days > 30
                    case_w.add(
                        id=case_id,
                        complaint_id=pk,
                        office_id=office,
                        reason=reason,
                        person=rng.choice(names.SURNAMES) + "某",
                        decision=rng.choice(DECISIONS) if decided else AccountabilityCase.Decision.PENDING,
                        reasoning=rng.choice(names.CASE_REASONING) if decided else "",
                        decided_on=(at + dt.timedelta(days=20)).date() if decided else None,
                        decided_by_id=centre_user if decided else None,
                        created_at=at,
                        updated_at=at,
                    )
            row["updated_at"] = updated
            busy_case = handler == busy and row.get("handling_office_id") and subject not in (busy, centre_office)
            if busy_case and (sample is None or status in (Status.ASSIGNED, Status.INVESTIGATING)):
                sample = (pk, tracking)
            complaint_w.add(**row)
            if not anonymous:
                identity_id += 1
                identity_w.add(
                    id=identity_id,
                    complaint_id=pk,
                    name=rng.choice(names.SURNAMES) + ("先生" if pk & 2 else "女士"),
                    phone=f"13{rng.randrange(10**9):09d}",
                    email=f"user{pk}@example.com" if rng.random() < 0.2 else "",
                    ip_address=f"203.0.113.{pk & 255}" if channel == Complaint.Channel.WEB else None,
                )
        progress.update(count)

    for year, last in sorted(per_year.items()):
        writers[TrackingCounter].add(year=year, last=last)
    world.manifest["complaint_sample"] = sample
