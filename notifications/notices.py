"""A notice to one staff member: always in their inbox, and by e-mail and/or SMS
when they chose those channels and have an address on file.

``staff_notice`` builds the row (the reminder sweep writes its rows in bulk);
``notify_staff`` writes one at once and hands it to the sender after the
transaction commits; ``hand_over`` tells everyone who must act on one event,
once each. Another app puts a notice in someone's inbox with these; it never
builds a ``Notification`` itself. Someone without an account (a complainant)
gets e-mail only: ``address_notice`` builds that row.

A staff notice carries its subject and summary as ``texts.Text``, so the inbox
shows them in the reader's language of the moment; the e-mail is written once,
in the recipient's own language."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from campaigns.roles import Role
from kernel.dispatch import after_commit

from .models import Notification
from .sms import is_valid_mobile
from .texts import Text

logger = logging.getLogger(__name__)


def language_of(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


# --- Who: the people a hand-over goes to, as they are now ------------------------------
def staff_with_role(*roles: str, excluding_office_id: int | None = None):
    """The active users in any of ``roles`` (group names); never the staff of
    ``excluding_office_id`` (the office a complaint is about)."""
    users = get_user_model().objects.filter(is_active=True, groups__name__in=roles)
    if excluding_office_id is not None:
        users = users.exclude(office_id=excluding_office_id)
    return users.distinct().order_by("pk")


def nearest_level(users: Iterable, office) -> list:
    """Those of ``users`` (their ``office`` loaded) who answer for ``office``: the
    ones at the nearest level of government at or above it that has any of them
    (campaigns/scope.py's reach, read from the offices' paths, no query), never a
    level beside it. A user with no office answers for every office, after every
    level that has someone."""
    path = office.path

    def depth(user) -> int:
        if user.office is None:
            return -1
        return len(user.office.level_path) if path.startswith(user.office.level_path) else -2

    found = [(depth(user), user) for user in users]
    nearest = max((d for d, _user in found), default=-2)
    return [user for d, user in found if d == nearest] if nearest > -2 else []


def campaign_office_for(office) -> list:
    """The campaign office that answers for ``office`` (``nearest_level``): a
    district's for its departments and streets, the city's for its own departments
    and for a district with none; never another district's."""
    from campaigns.roles import Role

    return nearest_level(staff_with_role(Role.CAMPAIGN_OFFICE).select_related("office"), office)


def office_staff(*office_ids: int):
    """The staff and heads of these offices."""
    return staff_with_role(Role.OFFICE_STAFF, Role.OFFICE_HEAD).filter(office_id__in=office_ids)


def _texts(subject, summary) -> dict:
    texts = {}
    if isinstance(subject, Text):
        texts["subject"] = subject.to_json()
    if isinstance(summary, Text):
        texts["summary"] = summary.to_json()
    return texts


def staff_notice(
    user,
    *,
    kind: str,
    step: str,
    target,
    deadline: dt.date,
    subject: str | Text,
    body: str,
    link: str = "",
    language: str | None = None,
    summary: Text | None = None,
    created_at: dt.datetime | None = None,
) -> Notification:
    """The unsaved notice to ``user`` about ``target``, one per (target, deadline,
    step, recipient). ``language`` is the one its e-mail is written in (the user's
    own by default); a ``Text`` subject is rendered in it for the e-mail and kept,
    with ``summary``, for the inbox."""
    language = language or language_of(user)
    wants_email = bool(user.notify_by_email and user.email)
    wants_sms = bool(user.notify_by_sms and is_valid_mobile(user.phone))
    if not wants_email and not wants_sms:
        logger.info("notice for %s goes to the inbox only (no e-mail or SMS chosen or on file)", user.username)
    with translation.override(language):
        subject_line = str(subject)
    return Notification(
        kind=kind,
        step=step,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        deadline=deadline,
        recipient=user,
        recipient_key=f"u{user.pk}",
        language=language,
        subject=subject_line[:250],
        body=str(body),
        texts=_texts(subject, summary),
        link=link,
        send_email=wants_email,
        send_sms=wants_sms,
        sms_to=user.phone if wants_sms else "",
        # Inbox-only notices have nothing left to send.
        state=Notification.State.PENDING if (wants_email or wants_sms) else Notification.State.SENT,
        sent_at=None if (wants_email or wants_sms) else timezone.now(),
        created_at=created_at or timezone.now(),
    )


def address_notice(
    email: str,
    *,
    kind: str,
    step: str,
    target,
    deadline: dt.date,
    subject: str,
    body: str,
    link: str = "",
    language: str | None = None,
    sealed_body: str = "",
) -> Notification:
    """The unsaved e-mail notice to an address with no account behind it, one per
    (target, deadline, step, address). ``sealed_body`` (``kernel.sealing.seal``)
    is the e-mail sent when it holds a secret; ``body`` is then what anyone
    reading the ledger sees, the secret masked."""
    return Notification(
        kind=kind,
        step=step,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        deadline=deadline,
        email=email,
        recipient_key=f"e{email.lower()}"[:260],
        language=language or settings.LANGUAGE_CODE,
        subject=str(subject)[:250],
        body=str(body),
        sealed_body=sealed_body,
        link=link,
        send_email=True,
    )


def send_waiting(ids: Iterable[int]) -> None:
    """Hand these notices to the sender once the transaction commits (at once outside
    one); the sender claims each, so a notice queued twice is sent once."""
    from .tasks import deliver_notification

    for pk in ids:
        after_commit(deliver_notification, pk)


def notify_staff(user, **notice) -> Notification:
    """Write ``staff_notice(user, **notice)`` and send it once the transaction commits."""
    row = staff_notice(user, **notice)
    row.save()
    if row.state == Notification.State.PENDING:
        send_waiting([row.pk])
    return row


def hand_over_rows(
    users: Iterable,
    *,
    kind: str,
    step: str,
    target,
    day: dt.date,
    subject: Text,
    summary: Text,
    link: str,
    details: str = "",
    at: dt.datetime | None = None,
) -> list[Notification]:
    """The unsaved notices telling each of ``users`` that work has come to them, one
    each, keyed by (``target``, ``day``, ``step``, recipient). The e-mail is written
    in each recipient's language, with ``details`` (someone's own words: a reason,
    comments) below the summary; the inbox shows the subject and summary in the
    reader's language of the moment."""
    site_url = getattr(settings, "SITE_URL", "")
    rows, seen = [], set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        language = language_of(user)
        with translation.override(language):
            body = render_to_string(
                "emails/hand_over_body.txt",
                {"user": user, "summary": summary, "details": details, "link": link, "site_url": site_url},
            )
        rows.append(
            staff_notice(
                user,
                kind=kind,
                step=step[:24],
                target=target,
                deadline=day,
                subject=subject,
                summary=summary,
                body=body,
                link=link,
                language=language,
                created_at=at,
            )
        )
    return rows


def _same_keys(rows: list[Notification]):
    condition = Q()
    keys: dict[tuple, list[str]] = defaultdict(list)
    for row in rows:
        keys[(row.target_type_id, row.target_id, row.deadline, row.step)].append(row.recipient_key)
    for (type_id, target_id, deadline, step), recipients in keys.items():
        condition |= Q(
            target_type_id=type_id, target_id=target_id, deadline=deadline, step=step, recipient_key__in=recipients
        )
    return Notification.objects.filter(condition)


def write_and_send(rows: list[Notification]) -> int:
    """Write the notices that are not written yet and send those waiting; returns how
    many were new. The same event told twice — a retried task, two workers at once —
    writes each notice once (the unique constraint makes a second INSERT a no-op) and
    sends it once (the sender claims it)."""
    if not rows:
        return 0
    same = _same_keys(rows)
    before = same.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    send_waiting(same.filter(state=Notification.State.PENDING).values_list("pk", flat=True))
    return same.count() - before


def hand_over(users: Iterable, **notice) -> int:
    """Tell each of ``users`` about one event (``hand_over_rows``), once each; returns
    how many notices were new."""
    return write_and_send(hand_over_rows(users, **notice))


@dataclass
class HandOver:
    """What one step hands to whom: the notice an app's builder returns for
    ``tell_step`` (rectification/notices.py, oversight/notices.py)."""

    users: Iterable
    target: object
    step: str
    link: str
    subject: Text
    summary: Text
    details: str = ""


def tell_step(notice: HandOver | None, *, kind: str, actor_id: int | None, at: dt.datetime) -> int:
    """Tell ``notice.users`` of a step taken at ``at``, except whoever took it; once each."""
    if notice is None:
        return 0
    return hand_over(
        [user for user in notice.users if user.pk != actor_id],
        kind=kind,
        step=notice.step,
        target=notice.target,
        day=timezone.localdate(at),
        subject=notice.subject,
        summary=notice.summary,
        details=notice.details,
        link=notice.link,
        at=at,
    )
