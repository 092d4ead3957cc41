"""Sending a notice: claimed by a conditional UPDATE, so only one sender sends
it; a failure releases the claim for a retry with a growing delay."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kernel.sealing import unseal

from ..models import Notification
from ..sms import send_sms

logger = logging.getLogger(__name__)

# A claim older than this is taken to be a sender that died; the row is retried.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=5)


def waiting_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            Q(state__in=[Notification.State.PENDING, Notification.State.FAILED], next_attempt_at__lte=now)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def claim(notification_id: int, now: datetime | None = None) -> bool:
    """Take the row for sending; False if someone else has it or it's done."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(state__in=[Notification.State.PENDING, Notification.State.FAILED], next_attempt_at__lte=now)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .update(state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def describe(notice: Notification) -> str:
    """One line for the log: who, by which channels, the subject. Never a complainant's
    address (an address notice has no recipient account)."""
    channels = [name for name, on in (("e-mail", notice.send_email), ("SMS", notice.send_sms)) if on] or ["inbox"]
    who = notice.recipient.get_username() if notice.recipient else "complainant"
    return f"{who:<12} {'+'.join(channels):<10} {notice.subject}"


def deliver(notification_id: int) -> bool:
    """Send one claimed notice by e-mail and/or SMS. On failure the claim is
    released with a growing delay; nothing is marked sent that wasn't."""
    if not claim(notification_id):
        return False
    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        if notice.send_email and notice.email_sent_at is None:
            to = notice.recipient.email if notice.recipient else notice.email
            with translation.override(notice.language or settings.LANGUAGE_CODE):
                html = render_to_string(
                    "emails/notice_body.html", {"notice": notice, "site_url": getattr(settings, "SITE_URL", "")}
                )
            if notice.sealed_body:
                notice.body = unseal(notice.sealed_body)  # in memory only; the row keeps the masked text
            message = EmailMultiAlternatives(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [to])
            message.attach_alternative(html, "text/html")
            message.send()
            notice.email_sent_at = timezone.now()
            # A sealed secret is kept no longer than it takes to send it.
            Notification.objects.filter(pk=notice.pk).update(email_sent_at=notice.email_sent_at, sealed_body="")
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
    logger.info("notice %s sent: %s", notice.pk, describe(notice))
    return True
