"""The reminder sweep and the delivery of notices.

``run_sweep`` is what beat runs every 15 minutes and what ``manage.py
send_reminders`` runs at once. It is safe to run at any time, as often as you
like, even two at the same time:

1. it writes the notices that are due (one row per object, deadline, step and
   recipient — the unique constraint turns a second write into a no-op);
2. it hands every notice that is waiting (new, failed and due for a retry, or
   claimed by a sender that never finished) to ``deliver``, which claims the row
   with a conditional UPDATE before sending, so only one sender sends it.

Nothing is scheduled far ahead: a lost broker message or a missed beat tick is
made good by the next sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from campaigns.roles import Role
from campaigns.workcalendar import WorkCalendar

from .models import Notification, ReminderRule
from .sms import is_valid_mobile, send_sms
from .sources import CHUNK_SIZE, DueItem, all_sources
from .steps import Rung, Step, current_step

logger = logging.getLogger(__name__)

# A claim older than this is taken to be a sender that died; the row is retried.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=5)
# Due items (and complaint events) handled per round of queries: a fixed few queries
# per batch, whatever its size. The sources fetch as many rows at a time.
BATCH_SIZE = CHUNK_SIZE


def _language_of(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


# --- Recipients, resolved when the step comes due ---------------------------------
class StaffDirectory:
    """The active staff by role and office, read in one query. The users table is
    small, so the sweep reads it once and resolves every item's recipients from it
    instead of asking the database per item."""

    def __init__(self, users_with_roles: Iterable[tuple[object, str]]):
        self._by_role: dict[str, list] = defaultdict(list)
        self._by_role_office: dict[tuple[str, int | None], list] = defaultdict(list)
        for user, role in users_with_roles:
            self._by_role[role].append(user)
            self._by_role_office[(role, user.office_id)].append(user)

    @classmethod
    def load(cls) -> StaffDirectory:
        rows = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .annotate(role=F("groups__name"))
            .order_by("pk")
        )
        users: dict[int, object] = {}
        # One row per (user, role): share one object per user, as the inbox does.
        return cls((users.setdefault(user.pk, user), user.role) for user in rows)

    def staff_with(self, role: str, office_id=None) -> list:
        if office_id is None:
            return self._by_role.get(role, [])
        return self._by_role_office.get((role, office_id), [])

    def recipients(self, item: DueItem, step: Step, oversight_role: str) -> list:
        """Who hears about ``item`` at ``step``: the office's staff with the matching
        role as they are now, so someone who joined or left the office is right."""
        users: dict[int, object] = {}

        def add(candidates):
            for user in candidates:
                if item.excluded_office_id and user.office_id == item.excluded_office_id:
                    continue
                users.setdefault(user.pk, user)

        if item.office is None:
            # No single office holds it (a complaint at the complaint centre, a survey
            # run by the campaign office): the source's oversight role is responsible.
            if step.notify_responsible or step.notify_office_head:
                add(self.staff_with(oversight_role))
        else:
            if step.notify_responsible:
                add(self.staff_with(Role.OFFICE_STAFF, item.office.pk))
            if step.notify_office_head:
                add(self.staff_with(Role.OFFICE_HEAD, item.office.pk))
        if step.notify_oversight:
            add(self.staff_with(oversight_role))
        return list(users.values())


def resolve_recipients(item: DueItem, step: Step, oversight_role: str) -> list:
    """Who hears about ``item`` at ``step`` (one item; the sweep keeps one
    ``StaffDirectory`` for all of them)."""
    return StaffDirectory.load().recipients(item, step, oversight_role)


# --- Writing the notices that are due ------------------------------------------------
def _render(template: str, context: dict, language: str, *, subject: str | None = None) -> tuple[str, str]:
    """Subject and text body; pass ``subject`` when it is already rendered for this language."""
    with translation.override(language):
        if subject is None:
            subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_body.txt", context)
    return subject, text


def _staff_notice(
    user, *, kind, step, item: DueItem, deadline, context, template="reminder", subjects: dict | None = None
) -> Notification:
    """``subjects`` (language → subject) is shared by the recipients of one item and
    step: the subject doesn't name the recipient, the body does."""
    language = _language_of(user)
    known = subjects.get(language) if subjects is not None else None
    subject, text = _render(template, {**context, "user": user}, language, subject=known)
    if subjects is not None:
        subjects[language] = subject
    wants_email = bool(user.notify_by_email and user.email)
    wants_sms = bool(user.notify_by_sms and is_valid_mobile(user.phone))
    if not wants_email and not wants_sms:
        logger.info("notice for %s goes to the inbox only (no e-mail or SMS chosen or on file)", user.username)
    return Notification(
        kind=kind,
        step=step,
        target_type=ContentType.objects.get_for_model(item.target),
        target_id=item.target.pk,
        deadline=deadline,
        recipient=user,
        recipient_key=f"u{user.pk}",
        language=language,
        subject=subject[:250],
        body=text,
        link=item.link,
        send_email=wants_email,
        send_sms=wants_sms,
        sms_to=user.phone if wants_sms else "",
        # Inbox-only notices have nothing left to send.
        state=Notification.State.PENDING if (wants_email or wants_sms) else Notification.State.SENT,
        sent_at=None if (wants_email or wants_sms) else timezone.now(),
    )


def batched(iterable: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last one shorter) without reading ahead."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _written_keys(due: list[tuple[DueItem, Step]]) -> set[tuple]:
    """(content type, object, deadline, step, recipient key) of the notices already
    written for a batch of items: one query whatever the size of the batch."""
    targets: dict[int, set] = defaultdict(set)
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


def _write_batch(source, due: list[tuple[DueItem, Step]], directory: StaffDirectory, created: Counter) -> None:
    """The notices for one batch of due items: one query for those already written,
    one INSERT (SQLite splits a long one) for the rest."""
    written = _written_keys(due)
    site_url = getattr(settings, "SITE_URL", "")
    rows = []
    for item, step in due:
        type_id = ContentType.objects.get_for_model(item.target).pk
        context = {"item": item, "step": step, "deadline": item.deadline, "overdue": step.name.startswith("overdue"),
                   "days": int(step.name.split("-")[1]) if "-" in step.name else 0, "site_url": site_url}
        subjects: dict[str, str] = {}
        made = [
            _staff_notice(user, kind=source.kind, step=step.name, item=item, deadline=item.deadline, context=context,
                          subjects=subjects)
            for user in directory.recipients(item, step, source.oversight_role)
            if (type_id, item.target.pk, item.deadline, step.name, f"u{user.pk}") not in written
        ]
        created[(source.kind, step.name)] += len(made)
        rows.extend(made)
    if rows:
        # A sweep running at the same time may have written some since: the unique
        # constraint makes ours a no-op for those.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)


def write_due_reminders(today: dt.date | None = None) -> Counter:
    """Write the reminder and escalation notices due today; return counts per kind and step.

    Items are read from each source in batches of ``BATCH_SIZE`` and never held all
    at once; the queries are a fixed few per batch (see ``_write_batch``), plus the
    rules and the staff directory once per sweep."""
    today = today or timezone.localdate()
    created: Counter = Counter()
    rules = {r.kind: r for r in ReminderRule.objects.filter(is_active=True).prefetch_related("ladder")}
    calendar = WorkCalendar(today - timedelta(days=800), today + timedelta(days=400))
    directory: StaffDirectory | None = None
    for source in all_sources():
        rule = rules.get(source.kind)
        if rule is None:
            continue
        offsets = rule.offsets
        ladder = [Rung(s.days_overdue, s.notify_responsible, s.notify_office_head, s.notify_oversight) for s in rule.ladder.all()]
        horizon = max(offsets, default=0)
        # Working days ahead never span more than twice as many calendar days, plus a holiday week.
        end = today + timedelta(days=horizon * 2 + 10 if rule.working_days else horizon)
        start = today - timedelta(days=730)
        for batch in batched(source.items(start, end), BATCH_SIZE):
            due = []
            for item in batch:
                step = current_step(
                    deadline=item.deadline, today=today, offsets=offsets, ladder=ladder,
                    repeat_every=rule.repeat_every_days, calendar=calendar if rule.working_days else None,
                )
                if step is not None:
                    due.append((item, step))
            if due:
                directory = directory or StaffDirectory.load()
                _write_batch(source, due, directory, created)
    return +created


# --- Complainants: news of their complaint -----------------------------------------
from complaints.models import COMPLAINANT_NEWS as COMPLAINANT_EVENTS  # noqa: E402


def _complainant_notice(event, email: str) -> Notification:
    complaint = event.complaint
    language = settings.LANGUAGE_CODE
    context = {
        "complaint": complaint,
        "event": event,
        "public_note": event.public_note,
        "handling_office": complaint.handling_office.name if complaint.handling_office_id else "",
        "site_url": getattr(settings, "SITE_URL", ""),
    }
    subject, text = _render("complaint_update", context, language)
    return Notification(
        kind="complaint_event",
        step=f"event-{event.pk}",
        target_type=ContentType.objects.get_for_model(complaint),
        target_id=complaint.pk,
        deadline=timezone.localdate(event.created_at),
        email=email,
        recipient_key=f"e{email.lower()}"[:260],
        language=language,
        subject=subject[:250],
        body=text,
        link="/complaints/track/",
        send_email=True,
    )


def write_complaint_notice(event) -> Notification | None:
    """An e-mail to the complainant about a public step, never with internal
    notes or staff names. Exactly once per event."""
    from complaints.models import ComplainantIdentity

    if event.kind not in COMPLAINANT_EVENTS:
        return None
    identity = ComplainantIdentity.objects.filter(complaint_id=event.complaint_id).only("email").first()
    if identity is None or not identity.email:
        return None
    notice = _complainant_notice(event, identity.email)
    made = Notification.objects.bulk_create([notice], ignore_conflicts=True)
    return made[0] if made and made[0].pk else Notification.objects.filter(
        target_type=notice.target_type, target_id=notice.target_id, deadline=notice.deadline, step=notice.step,
        recipient_key=notice.recipient_key,
    ).first()


def write_missed_complaint_notices(since: dt.datetime) -> int:
    """Make good any complaint notice whose immediate task was lost.

    Events are streamed in batches of ``BATCH_SIZE``; per batch, one query for the
    notices already written, one for the complainants' e-mail addresses and one
    INSERT."""
    from complaints.models import ComplainantIdentity, ComplaintEvent

    count = 0
    events = (
        ComplaintEvent.objects.filter(kind__in=COMPLAINANT_EVENTS, created_at__gte=since)
        .select_related("complaint", "complaint__handling_office")
        .order_by("pk")
    )
    ct = ContentType.objects.get(app_label="complaints", model="complaint")
    for page in batched(events.iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
        done = set(
            Notification.objects.filter(
                kind="complaint_event", target_type=ct, step__in=[f"event-{event.pk}" for event in page]
            ).values_list("step", flat=True)
        )
        missed = [event for event in page if f"event-{event.pk}" not in done]
        if not missed:
            continue
        emails = dict(
            ComplainantIdentity.objects.filter(complaint_id__in={event.complaint_id for event in missed})
            .exclude(email="")
            .values_list("complaint_id", "email")
        )
        rows = [_complainant_notice(event, emails[event.complaint_id]) for event in missed if event.complaint_id in emails]
        if rows:
            # A notice sent by the event's own task meanwhile makes ours a no-op.
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            count += len(rows)
    return count


# --- Delivery ------------------------------------------------------------------------
def waiting_ids(now=None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            Q(state__in=[Notification.State.PENDING, Notification.State.FAILED], next_attempt_at__lte=now)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def claim(notification_id: int, now=None) -> bool:
    """Take the row for sending; False if someone else has it or it's done."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(pk=notification_id).filter(
        Q(state__in=[Notification.State.PENDING, Notification.State.FAILED], next_attempt_at__lte=now)
        | Q(state=Notification.State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    ).update(state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def deliver(notification_id: int) -> bool:
    """Send one claimed notice by e-mail and/or SMS. On failure the claim is
    released with a growing delay; nothing is marked sent that wasn't."""
    if not claim(notification_id):
        return False
    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        if notice.send_email and notice.email_sent_at is None:
            to = notice.recipient.email if notice.recipient_id else notice.email
            with translation.override(notice.language or settings.LANGUAGE_CODE):
                html = render_to_string(
                    "emails/notice_body.html", {"notice": notice, "site_url": getattr(settings, "SITE_URL", "")}
                )
            message = EmailMultiAlternatives(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [to])
            message.attach_alternative(html, "text/html")
            message.send()
            notice.email_sent_at = timezone.now()
            Notification.objects.filter(pk=notice.pk).update(email_sent_at=notice.email_sent_at)
        if notice.send_sms and notice.sms_sent_at is None:
            send_sms(notice.sms_to, f"{notice.subject} {notice.link}".strip())
            notice.sms_sent_at = timezone.now()
            Notification.objects.filter(pk=notice.pk).update(sms_sent_at=notice.sms_sent_at)
    except Exception as exc:  # SMTP down, gateway refused...: release the claim for a retry
        attempts = notice.attempts
        gave_up = attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notice.pk, state=Notification.State.SENDING).update(
            state=Notification.State.GAVE_UP if gave_up else Notification.State.FAILED,
            next_attempt_at=timezone.now() + BACKOFF_BASE * (2 ** min(attempts - 1, 8)),
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        logger.warning("notice %s not sent (attempt %s): %s", notice.pk, attempts, exc)
        return False
    Notification.objects.filter(pk=notice.pk, state=Notification.State.SENDING).update(
        state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def run_sweep(*, today: dt.date | None = None, inline: bool = False) -> dict:
    """The whole sweep. ``inline`` sends in this process (the management command);
    otherwise each notice becomes a Celery task after this transaction commits."""
    from complaints.services import complaints_sweep

    today = today or timezone.localdate()
    report = {"complaints": complaints_sweep(today=today)}
    with transaction.atomic():
        created = write_due_reminders(today)
        report["complaint_notices"] = write_missed_complaint_notices(timezone.now() - timedelta(days=2))
    report["created"] = created
    ids = waiting_ids()
    sent = 0
    if inline:
        for notification_id in ids:
            sent += bool(deliver(notification_id))
    else:
        from .tasks import deliver_notification

        for notification_id in ids:
            transaction.on_commit(lambda pk=notification_id: deliver_notification.delay(pk))
    report["dispatched"] = len(ids)
    report["sent"] = sent
    return report
