"""Inbox notices about rectification: a hotspot raised, a plan submitted or
returned, a completion claimed or sent back, a commitment reopened by a look-back.

Each notice is one ``notifications.Notification`` row per recipient, keyed by
(target, day, step, recipient): the step names the event ("hotspot-12",
"lookback-2"), so writing the same event twice — a retried request, a second
sweep — adds nothing. They are inbox notices only (state SENT): the deadline
reminders, which also go by e-mail and SMS, come from the reminder sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from campaigns.roles import Role
from notifications.models import Notification

KIND = "rectification"


def office_staff(*office_ids: int):
    """The offices' staff and heads, as they are now."""
    return get_user_model().objects.filter(
        is_active=True, office_id__in=office_ids, groups__name__in=[Role.OFFICE_STAFF, Role.OFFICE_HEAD]
    ).distinct()


def campaign_office_staff():
    return get_user_model().objects.filter(is_active=True, groups__name=Role.CAMPAIGN_OFFICE).distinct()


def notify(
    users: Iterable,
    *,
    target,
    step: str,
    day: dt.date,
    link: str,
    message: Callable[[], tuple[str, str]],
) -> int:
    """Write one inbox notice per user, each in the user's language; returns how
    many were new. ``message()`` returns (subject, body) and is called with the
    user's language active."""
    target_type = ContentType.objects.get_for_model(target)
    rows, seen = [], set()
    now = timezone.now()
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = message()
        rows.append(
            Notification(
                kind=KIND,
                step=step[:24],
                target_type=target_type,
                target_id=target.pk,
                deadline=day,
                recipient=user,
                recipient_key=f"u{user.pk}",
                language=language,
                subject=str(subject)[:250],
                body=str(body),
                link=link,
                state=Notification.State.SENT,
                sent_at=now,
            )
        )
    if not rows:
        return 0
    before = Notification.objects.filter(target_type=target_type, target_id=target.pk, step=step[:24], deadline=day).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    after = Notification.objects.filter(target_type=target_type, target_id=target.pk, step=step[:24], deadline=day).count()
    return after - before
