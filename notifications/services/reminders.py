"""Writing the reminder and escalation notices that are due today: one row per
(object, deadline, step, recipient), a second write a no-op."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from kernel.workcalendar import WorkCalendar

from ..models import Notification, ReminderRule
from ..notices import staff_notice
from ..sources import CHUNK_SIZE, DeadlineSource, DueItem, all_sources
from ..steps import Rung, Step, current_step
from ..texts import Text, ngettext_noop
from .recipients import StaffDirectory, language_of

if TYPE_CHECKING:
    from campaigns.models import User

# Due items handled per round of queries: a fixed few queries
# per batch, whatever its size. The sources fetch as many rows at a time.
BATCH_SIZE = CHUNK_SIZE

_T = TypeVar("_T")


def render_notice(
    template: str, context: dict[str, Any], language: str, *, subject: str | None = None
) -> tuple[str, str]:
    """Subject and text body of ``emails/<template>_subject.txt`` and ``_body.txt``
    in ``language``; pass ``subject`` when it is already rendered for this language."""
    with translation.override(language):
        if subject is None:
            subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_body.txt", context)
    return subject, text


def reminder_texts(title: object, deadline: dt.date, step: Step) -> tuple[Text, Text]:
    """The subject and summary of a reminder, translated when read: "Due in 3 days:
    <title>" and "<title> is due on <date>."; once overdue, "Overdue by 2 days: …"."""
    days = int(step.name.split("-")[1]) if "-" in step.name else 0
    if step.name.startswith("overdue"):
        one, many = ngettext_noop("Overdue by %(days)s day: %(title)s", "Overdue by %(days)s days: %(title)s")
        subject = Text(one, {"days": days, "title": title}, plural=many, count="days")
        summary = Text(
            gettext_noop("%(title)s was due on %(date)s and is not done yet."), {"title": title, "date": deadline}
        )
        return subject, summary
    if days:
        one, many = ngettext_noop("Due in %(days)s day: %(title)s", "Due in %(days)s days: %(title)s")
        subject = Text(one, {"days": days, "title": title}, plural=many, count="days")
    else:
        subject = Text(gettext_noop("Due today: %(title)s"), {"title": title})
    return subject, Text(gettext_noop("%(title)s is due on %(date)s."), {"title": title, "date": deadline})


def _staff_notice(user: User, *, kind: str, step: Step, item: DueItem, context: dict[str, Any]) -> Notification:
    language = language_of(user)
    subject, summary = reminder_texts(item.title, item.deadline, step)
    with translation.override(language):
        text = render_to_string("emails/reminder_body.txt", {**context, "user": user})
    return staff_notice(
        user,
        kind=kind,
        step=step.name,
        target=item.target,
        deadline=item.deadline,
        subject=subject,
        summary=summary,
        body=text,
        link=item.link,
        language=language,
    )


def batched(iterable: Iterable[_T], size: int) -> Iterator[list[_T]]:
    """Lists of ``size`` items (the last one shorter) without reading ahead."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _written_keys(due: list[tuple[DueItem, Step]]) -> set[tuple[int, int, dt.date, str, str]]:
    """(content type, object, deadline, step, recipient key) of the notices already
    written for a batch of items: one query whatever the size of the batch."""
    targets: dict[int, set[Any]] = defaultdict(set)
    for item, _step in due:
        targets[ContentType.objects.get_for_model(item.target).pk].add(item.target.pk)
    condition = Q()
    for type_id, ids in targets.items():
        condition |= Q(target_type_id=type_id, target_id__in=ids)
    return set(
        Notification.objects.filter(condition)
        .filter(deadline__in={item.deadline for item, _step in due}, step__in={step.name for _item, step in due})
        .values_list("target_type_id", "target_id", "deadline", "step", "recipient_key")
    )


def _write_batch(
    source: DeadlineSource,
    due: list[tuple[DueItem, Step]],
    directory: StaffDirectory,
    created: Counter[tuple[str, str]],
) -> None:
    """The notices for one batch of due items: one query for those already written,
    one INSERT (SQLite splits a long one) for the rest."""
    written = _written_keys(due)
    site_url = getattr(settings, "SITE_URL", "")
    rows = []
    for item, step in due:
        type_id = ContentType.objects.get_for_model(item.target).pk
        context = {
            "item": item,
            "step": step,
            "deadline": item.deadline,
            "overdue": step.name.startswith("overdue"),
            "days": int(step.name.split("-")[1]) if "-" in step.name else 0,
            "site_url": site_url,
        }
        made = [
            _staff_notice(user, kind=source.kind, step=step, item=item, context=context)
            for user in directory.recipients(item, step, source.oversight_role)
            if (type_id, item.target.pk, item.deadline, step.name, f"u{user.pk}") not in written
        ]
        created[(source.kind, step.name)] += len(made)
        rows.extend(made)
    if rows:
        # A sweep running at the same time may have written some since: the unique
        # constraint makes ours a no-op for those.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)


def write_due_reminders(today: dt.date | None = None) -> Counter[tuple[str, str]]:
    """Write the reminder and escalation notices due today; return counts per kind and step.

    Items are read from each source in batches of ``BATCH_SIZE`` and never held all
    at once; the queries are a fixed few per batch (see ``_write_batch``), plus the
    rules and the staff directory once per sweep."""
    today = today or timezone.localdate()
    created: Counter[tuple[str, str]] = Counter()
    rules = {r.kind: r for r in ReminderRule.objects.filter(is_active=True).prefetch_related("ladder")}
    calendar = WorkCalendar(today - timedelta(days=800), today + timedelta(days=400))
    directory: StaffDirectory | None = None
    for source in all_sources():
        rule = rules.get(source.kind)
        if rule is None:
            continue
        offsets = rule.offsets
        ladder = [
            Rung(s.days_overdue, s.notify_responsible, s.notify_office_head, s.notify_oversight)
            for s in rule.ladder.all()
        ]
        horizon = max(offsets, default=0)
        # Working days ahead never span more than twice as many calendar days, plus a holiday week.
        end = today + timedelta(days=horizon * 2 + 10 if rule.working_days else horizon)
        start = today - timedelta(days=730)
        for batch in batched(source.items(start, end), BATCH_SIZE):
            due = []
            for item in batch:
                step = current_step(
                    deadline=item.deadline,
                    today=today,
                    offsets=offsets,
                    ladder=ladder,
                    repeat_every=rule.repeat_every_days,
                    calendar=calendar if rule.working_days else None,
                )
                if step is not None:
                    due.append((item, step))
            if due:
                directory = directory or StaffDirectory.load()
                _write_batch(source, due, directory, created)
    return +created
