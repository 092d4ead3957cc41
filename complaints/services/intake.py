"""Registering a complaint from any channel: tracking numbers, access codes,
validation, duplicates, the acknowledgement e-mail."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.current import campaign_for_office
from campaigns.models import Office
from kernel.dispatch import after_commit
from kernel.sealing import seal
from kernel.text import clean_text, single_line
from notifications.models import Notification
from notifications.notices import address_notice, send_waiting

from .. import codes, rules
from ..attachments import clean_complaint_upload
from ..models import (
    ComplainantIdentity,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    Open311Key,
    ProblemType,
    SubmissionGuard,
    TrackingCounter,
)
from ..tasks import notify_staff
from .common import (
    ACCESS_CODE_ALPHABET,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    DUPLICATE_WINDOW,
    MAX_ATTACHMENTS,
    PHONE_RE,
    Kind,
)
from .deadlines import set_due_dates

if TYPE_CHECKING:
    from campaigns.models import User

logger = logging.getLogger(__name__)

#: ``Notification.kind`` of the acknowledgement e-mail.
ACKNOWLEDGEMENT_KIND = "complaint_received"


def allocate_tracking_number(year: int) -> str:
    """``TS-<year>-<6 digits>``, unique even when many submissions arrive at once:
    one atomic upsert (INSERT … ON CONFLICT DO UPDATE … RETURNING, on PostgreSQL
    and SQLite alike) creates the year's counter or increments it and hands back
    the new value; the row stays locked until the submission commits."""
    table = connection.ops.quote_name(TrackingCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("year", "last") VALUES (%s, 1) '
            f'ON CONFLICT ("year") DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"',
            [year],
        )
        (last,) = cursor.fetchone()
    return f"TS-{year}-{last:06d}"


def hold_duplicate_guard(content_hash: str, source_key: str) -> None:
    """Lock the guard row of this source and text until the submission commits: one
    atomic upsert (INSERT … ON CONFLICT DO UPDATE) that a second submission of the
    same text from the same source waits on. Once it has the row, the first one has
    committed, so the duplicate query that follows sees its complaint. Without it,
    two posts of a double click both found no recent complaint and both stored one
    (PostgreSQL's READ COMMITTED; SQLite's IMMEDIATE transactions already queue)."""
    fingerprint = hashlib.sha256(f"{source_key}|{content_hash}".encode()).hexdigest()
    table = connection.ops.quote_name(SubmissionGuard._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("fingerprint", "seen_at") VALUES (%s, %s) '
            f'ON CONFLICT ("fingerprint") DO UPDATE SET "seen_at" = EXCLUDED."seen_at"',
            [fingerprint, timezone.now()],
        )


def prune_duplicate_guards(now: dt.datetime | None = None) -> int:
    """Delete the guard rows of submissions older than the duplicate window."""
    deleted, _ = SubmissionGuard.objects.filter(seen_at__lt=(now or timezone.now()) - DUPLICATE_WINDOW).delete()
    return deleted


def new_access_code() -> str:
    raw = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_access_code(code: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]", "", code or "").upper()
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == 10 else cleaned


def access_code_matches(complaint: Complaint, code: str) -> bool:
    return codes.code_matches(normalise_access_code(code), complaint.access_code_hash)


# --- Submission --------------------------------------------------------------------------
@dataclass
class Submission:
    complaint: Complaint
    access_code: str | None  # None when the submission was a duplicate of a recent one
    duplicate: bool = False


def _content_hash(description: str, office_id: int | None, problem_type_id: int) -> str:
    normalised = re.sub(r"\s+", " ", description).strip().lower()
    return hashlib.sha256(f"{office_id}|{problem_type_id}|{normalised}".encode()).hexdigest()


def _source_key(*, ip: str | None, email: str, actor: User | None, open311_key: Open311Key | None) -> str:
    if open311_key is not None:
        source = f"key:{open311_key.pk}:{email or ip or ''}"
    elif actor is not None and getattr(actor, "pk", None):
        source = f"user:{actor.pk}"
    else:
        source = f"ip:{ip or ''}|{(email or '').lower()}"
    return hashlib.sha256(source.encode()).hexdigest()


def validate_submission(
    *,
    problem_type: ProblemType | None,
    office: Office | None,
    description: str,
    is_anonymous: bool,
    name: str,
    phone: str,
    email: str,
    attachments: Sequence[UploadedFile],
    channel: str,
    occurred_on: dt.date | None = None,
    location: str = "",
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if problem_type is None or not problem_type.is_active:
        add("problem_type", _("Choose a problem type from the list."))
    if office is not None and not office.is_active:
        add("office", _("Choose an office from the list, or “not sure”."))
    text = (description or "").strip()
    if len(text) < DESCRIPTION_MIN:
        add("description", _("Describe what happened in at least %(n)d characters.") % {"n": DESCRIPTION_MIN})
    elif len(text) > DESCRIPTION_MAX:
        add("description", _("Please keep the description under %(n)d characters.") % {"n": DESCRIPTION_MAX})
    if phone and not PHONE_RE.match(phone):
        add("phone", _("Enter a phone number of digits only, e.g. 13800138000 or 0752-1234567."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            add("email", _("Enter a valid e-mail address."))
    for field, message in ComplainantIdentity.too_long(name=name, phone=phone, email=email):
        if field not in errors:
            add(field, message)
    if not is_anonymous:
        if not (name or "").strip():
            add("name", _("A real-name complaint needs your name."))
        if not phone and not email and "phone" not in errors and channel == Complaint.Channel.WEB:
            add("phone", _("Give a phone number or an e-mail address so we can reach you."))
    elif name or phone:
        add(
            "is_anonymous", _("An anonymous complaint asks for no name or phone; leave them empty or choose real-name.")
        )
    if occurred_on and occurred_on > timezone.localdate():
        add("occurred_on", _("The date cannot be in the future."))
    if len((location or "").strip()) > 200:
        add("location", _("Please keep the place under 200 characters."))
    if len(attachments) > MAX_ATTACHMENTS:
        add("attachments", _("At most %(n)d files can be attached.") % {"n": MAX_ATTACHMENTS})
    return errors


@transaction.atomic
def complaint_submit(
    *,
    problem_type: ProblemType | None,
    description: str,
    is_anonymous: bool,
    office: Office | None = None,
    occurred_on: dt.date | None = None,
    location: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    channel: str = Complaint.Channel.WEB,
    actor: User | None = None,
    ip: str | None = None,
    attachments: Iterable[UploadedFile] = (),
    open311_key: Open311Key | None = None,
) -> Submission:
    """Register a complaint from any channel. Nothing is stored unless all of it is valid."""
    attachments = list(attachments)
    # One line each, without the control characters copy and paste brings (kernel/text.py).
    name, phone, email = single_line(name), single_line(phone), single_line(email)
    description, location = clean_text(description or ""), single_line(location)
    staff_channel = channel not in (Complaint.Channel.WEB, Complaint.Channel.OPEN311)
    if staff_channel and (
        actor is None or not actor.has_perm("complaints.add_complaint") and not rules.is_centre(actor)
    ):
        raise PermissionDenied(_("Only staff can register complaints from other channels."))
    errors = validate_submission(
        problem_type=problem_type,
        office=office,
        description=description,
        is_anonymous=is_anonymous,
        name=name,
        phone=phone,
        email=email,
        attachments=attachments,
        channel=channel,
        occurred_on=occurred_on,
        location=location,
    )
    cleaned_files = []
    for upload in attachments if "attachments" not in errors else ():  # over the cap: not even read
        try:
            cleaned_files.append(clean_complaint_upload(upload))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    assert problem_type is not None  # refused above

    description = description.strip()
    content_hash = _content_hash(description, getattr(office, "pk", None), problem_type.pk)
    source_key = _source_key(ip=ip, email=email, actor=actor, open311_key=open311_key)
    hold_duplicate_guard(content_hash, source_key)
    recent = (
        Complaint.objects.filter(
            content_hash=content_hash, source_key=source_key, created_at__gte=timezone.now() - DUPLICATE_WINDOW
        )
        .order_by("created_at")
        .first()
    )
    if recent is not None:
        return Submission(recent, None, duplicate=True)

    today = timezone.localdate()
    code = new_access_code()
    complaint = Complaint(
        tracking_number=allocate_tracking_number(today.year),
        access_code_hash=codes.hash_code(code),
        campaign=campaign_for_office(office),  # the one the office takes part in (campaigns/current.py)
        channel=channel,
        office=office,
        # The complaint centre of the office's level, never its own nor its parent's.
        centre=rules.centre_for(office),
        problem_type=problem_type,
        description=description,
        occurred_on=occurred_on,
        location=(location or "").strip(),
        is_anonymous=is_anonymous,
        received_on=today,
        accept_limit_days=problem_type.accept_limit_days,
        complete_limit_days=problem_type.complete_limit_days,
        content_hash=content_hash,
        source_key=source_key,
        open311_key=open311_key,
        first_receiver=actor if actor is not None and getattr(actor, "pk", None) else None,
        first_office=actor.office if actor is not None and getattr(actor, "office_id", None) else None,
    )
    set_due_dates(complaint)
    complaint.save()
    ComplainantIdentity.objects.create(
        complaint=complaint,
        name="" if is_anonymous else name,
        phone="" if is_anonymous else phone,
        email=email,
        ip_address=ip,
    )
    written = []
    try:
        for cleaned in cleaned_files:
            attachment = ComplaintAttachment(
                complaint=complaint, original_name=cleaned.original_name[:255], size=cleaned.size, from_complainant=True
            )
            attachment.file.save(cleaned.original_name, cleaned.content, save=True)
            written.append(attachment.file)
    except Exception:
        for f in written:
            f.delete(save=False)
        raise
    event = ComplaintEvent.record(complaint, actor, Kind.REGISTERED, channel=channel)
    if email:
        acknowledgement = _acknowledgement(complaint, code, email)
        acknowledgement.save()
        send_waiting([acknowledgement.pk])
    after_commit(notify_staff, event.pk)
    return Submission(complaint, code)


#: What the acknowledgement's ledger row shows instead of the access code.
MASKED_CODE = "•••••-•••••"


def _acknowledgement(complaint: Complaint, code: str, email: str) -> Notification:
    """The e-mail with the tracking number and access code, in the language the
    complainant used, written with the complaint and sent by the worker once it is
    committed: a slow or hung mail server never touches the request, and a lost
    task or a failed send is retried by the reminder sweep. The code is kept
    sealed (kernel.sealing) until it is sent, then dropped."""
    language = translation.get_language() or settings.LANGUAGE_CODE

    def render(access_code: str) -> tuple[str, str]:
        with translation.override(language):
            context = {"complaint": complaint, "access_code": access_code}
            subject = render_to_string("emails/complaint_received_subject.txt", context).strip()
            return subject, render_to_string("emails/complaint_received_body.txt", context)

    subject, body = render(code)
    _subject, masked = render(MASKED_CODE)
    return address_notice(
        email,
        kind=ACKNOWLEDGEMENT_KIND,
        step="received",
        target=complaint,
        deadline=complaint.received_on,
        subject=subject,
        body=masked,
        sealed_body=seal(body),
        link="/complaints/track/",
        language=language,
    )
