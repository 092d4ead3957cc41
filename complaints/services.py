"""Every change to a complaint: one transaction, the rule checked on the server
whoever asks (public form, staff page, Open311, admin or a periodic sweep), and a
``ComplaintEvent`` on the complaint's timeline."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Office
from campaigns.workcalendar import WorkCalendar, calendar_for

from . import codes
from .attachments import clean_complaint_upload
from .models import (
    AccountabilityCase,
    Callback,
    ComplainantIdentity,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    IdentityAccess,
    ProblemType,
    TrackingCounter,
    TypicalCase,
)

logger = logging.getLogger(__name__)

DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 5000
MAX_ATTACHMENTS = 5
DUPLICATE_WINDOW = timedelta(minutes=10)
AUTO_CLOSE_WORKING_DAYS = 10
ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
Status = Complaint.Status
Kind = ComplaintEvent.Kind


# --- Who may do what -------------------------------------------------------------
def is_centre(user) -> bool:
    return user.is_authenticated and user.has_perm("complaints.handle_complaints")


def can_view_identity(user) -> bool:
    return user.is_authenticated and user.has_perm("complaints.view_complainant_identity")


def _refuse_subject_staff(complaint: Complaint, actor) -> None:
    """Staff of the office complained about never handle the complaint."""
    if complaint.office_id and actor.office_id == complaint.office_id:
        raise PermissionDenied(_("Staff of the office complained about cannot handle this complaint."))


def _require_centre(complaint: Complaint, actor) -> None:
    if not is_centre(actor):
        raise PermissionDenied(_("Only the complaint centre can do this."))
    _refuse_subject_staff(complaint, actor)


def _require_handler(complaint: Complaint, actor) -> None:
    """The handling office's staff, or the centre while it holds the complaint itself."""
    _refuse_subject_staff(complaint, actor)
    if complaint.handling_office_id:
        if actor.office_id != complaint.handling_office_id:
            raise PermissionDenied(_("Only the handling office can do this."))
    elif not is_centre(actor):
        raise PermissionDenied(_("Only the complaint centre can do this."))


def _require_status(complaint: Complaint, *allowed: str) -> None:
    if complaint.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the complaint is “%(status)s”.") % {"status": complaint.get_status_display()},
            code="bad_transition",
        )


def _locked(complaint_id: int) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint_id)


# --- Numbers, codes, due dates ------------------------------------------------------
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


def new_access_code() -> str:
    raw = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_access_code(code: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]", "", code or "").upper()
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == 10 else cleaned


def access_code_matches(complaint: Complaint, code: str) -> bool:
    return codes.code_matches(normalise_access_code(code), complaint.access_code_hash)


def set_due_dates(complaint: Complaint, calendar: WorkCalendar | None = None) -> None:
    """Due dates from the day received, the limits and the days the clock stood still."""
    calendar = calendar or calendar_for(complaint.received_on)
    paused = complaint.paused_working_days
    complaint.accept_due = calendar.add_working_days(complaint.received_on, complaint.accept_limit_days + paused)
    complaint.complete_due = calendar.add_working_days(complaint.received_on, complaint.complete_limit_days + paused)


def recompute_open_due_dates() -> int:
    """After the work calendar changes, move the due dates of open complaints.
    Steps already taken keep their recorded on-time verdicts."""
    count = 0
    calendar = WorkCalendar()
    for complaint in Complaint.objects.filter(status__in=Complaint.HANDLING_STATUSES).only(
        "pk", "received_on", "accept_limit_days", "complete_limit_days", "paused_working_days", "accept_due", "complete_due"
    ):
        before = (complaint.accept_due, complaint.complete_due)
        set_due_dates(complaint, calendar)
        if (complaint.accept_due, complaint.complete_due) != before:
            Complaint.objects.filter(pk=complaint.pk).update(
                accept_due=complaint.accept_due, complete_due=complaint.complete_due
            )
            count += 1
    return count


def working_days_left(complaint: Complaint, due, today=None, calendar: WorkCalendar | None = None) -> int:
    today = today or timezone.localdate()
    return (calendar or calendar_for(today)).working_days_between(today, due)


# --- Submission --------------------------------------------------------------------------
@dataclass
class Submission:
    complaint: Complaint
    access_code: str | None  # None when the submission was a duplicate of a recent one
    duplicate: bool = False


def _content_hash(description: str, office_id, problem_type_id) -> str:
    normalised = re.sub(r"\s+", " ", description).strip().lower()
    return hashlib.sha256(f"{office_id}|{problem_type_id}|{normalised}".encode()).hexdigest()


def _source_key(*, ip, email, actor, open311_key) -> str:
    if open311_key is not None:
        source = f"key:{open311_key.pk}:{email or ip or ''}"
    elif actor is not None and getattr(actor, "pk", None):
        source = f"user:{actor.pk}"
    else:
        source = f"ip:{ip or ''}|{(email or '').lower()}"
    return hashlib.sha256(source.encode()).hexdigest()


def validate_submission(
    *, problem_type, office, description, is_anonymous, name, phone, email, attachments, channel,
    occurred_on=None, location="",
) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field, message):
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
    if not is_anonymous:
        if not (name or "").strip():
            add("name", _("A real-name complaint needs your name."))
        if not phone and not email and "phone" not in errors and channel == Complaint.Channel.WEB:
            add("phone", _("Give a phone number or an e-mail address so we can reach you."))
    elif name or phone:
        add("is_anonymous", _("An anonymous complaint asks for no name or phone; leave them empty or choose real-name."))
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
    occurred_on=None,
    location: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    channel: str = Complaint.Channel.WEB,
    actor=None,
    ip: str | None = None,
    attachments=(),
    open311_key=None,
) -> Submission:
    """Register a complaint from any channel. Nothing is stored unless all of it is valid."""
    attachments = list(attachments)
    name, phone, email = (name or "").strip(), (phone or "").strip(), (email or "").strip()
    if channel != Complaint.Channel.WEB and channel != Complaint.Channel.OPEN311:
        if actor is None or not actor.has_perm("complaints.add_complaint") and not is_centre(actor):
            raise PermissionDenied(_("Only staff can register complaints from other channels."))
    errors = validate_submission(
        problem_type=problem_type, office=office, description=description, is_anonymous=is_anonymous,
        name=name, phone=phone, email=email, attachments=attachments, channel=channel,
        occurred_on=occurred_on, location=location,
    )
    cleaned_files = []
    for upload in attachments:
        try:
            cleaned_files.append(clean_complaint_upload(upload))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    description = description.strip()
    content_hash = _content_hash(description, getattr(office, "pk", None), problem_type.pk)
    source_key = _source_key(ip=ip, email=email, actor=actor, open311_key=open311_key)
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
        campaign=Campaign.objects.filter(is_current=True).first(),
        channel=channel,
        office=office,
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
        for upload in cleaned_files:
            attachment = ComplaintAttachment(
                complaint=complaint, original_name=upload.original_name[:255], size=upload.size, from_complainant=True
            )
            attachment.file.save(upload.original_name, upload.content, save=True)
            written.append(attachment.file)
    except Exception:
        for f in written:
            f.delete(save=False)
        raise
    ComplaintEvent.record(complaint, actor, Kind.REGISTERED, channel=channel)
    if email:
        language = translation.get_language()
        transaction.on_commit(lambda: _send_acknowledgement(complaint.pk, code, email, language))
    return Submission(complaint, code)


def _send_acknowledgement(complaint_id: int, code: str, email: str, language: str) -> None:
    complaint = Complaint.objects.get(pk=complaint_id)
    with translation.override(language):
        context = {"complaint": complaint, "access_code": code}
        subject = render_to_string("emails/complaint_received_subject.txt", context).strip()
        body = render_to_string("emails/complaint_received_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except Exception:  # the complaint stands even if mail is down; the citizen saw both codes
        logger.exception("could not send the acknowledgement for %s", complaint.tracking_number)


# --- Centre: acceptance -------------------------------------------------------------
@transaction.atomic
def complaint_accept(*, complaint_id: int, actor) -> Complaint:
    complaint = _locked(complaint_id)
    _require_centre(complaint, actor)
    _require_status(complaint, Status.REGISTERED)
    now = timezone.now()
    complaint.status = Status.ACCEPTED
    complaint.accepted_at = now
    complaint.accepted_on_time = timezone.localdate(now) <= complaint.accept_due
    if complaint.first_receiver_id is None:
        complaint.first_receiver = actor
        complaint.first_office = actor.office
    complaint.save(update_fields=["status", "accepted_at", "accepted_on_time", "first_receiver", "first_office", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.ACCEPTED, on_time=complaint.accepted_on_time)
    return complaint


@transaction.atomic
def complaint_not_accept(*, complaint_id: int, actor, reason: str) -> Complaint:
    complaint = _locked(complaint_id)
    _require_centre(complaint, actor)
    _require_status(complaint, Status.REGISTERED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the complaint is not accepted; the complainant is told.")})
    now = timezone.now()
    complaint.status = Status.NOT_ACCEPTED
    complaint.not_accepted_reason = reason
    complaint.accepted_on_time = timezone.localdate(now) <= complaint.accept_due
    complaint.closed_at = now
    if complaint.first_receiver_id is None:
        complaint.first_receiver = actor
        complaint.first_office = actor.office
    complaint.save(
        update_fields=["status", "not_accepted_reason", "accepted_on_time", "closed_at", "first_receiver", "first_office", "updated_at"]
    )
    ComplaintEvent.record(complaint, actor, Kind.NOT_ACCEPTED, public_note=reason)
    return complaint


# --- First-inquiry responsibility: transfers ----------------------------------------
@transaction.atomic
def complaint_transfer_request(*, complaint_id: int, actor, to_office: Office, note: str = "") -> Complaint:
    """Hand the complaint to another office. The sender stays responsible until
    the receiving office accepts."""
    complaint = _locked(complaint_id)
    _require_status(complaint, Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATING)
    if complaint.handling_office_id is None:
        _require_centre(complaint, actor)
    else:
        _require_handler(complaint, actor)
    if complaint.pending_transfer_to_id:
        raise ValidationError(_("A transfer is already waiting for an answer."))
    if to_office is None or not to_office.is_active:
        raise ValidationError({"office": _("Choose an office from the list.")})
    if to_office.pk == complaint.office_id:
        raise ValidationError({"office": _("A complaint is never handed to the office it is about.")})
    if to_office.pk == complaint.handling_office_id:
        raise ValidationError({"office": _("This office already handles the complaint.")})
    complaint.pending_transfer_to = to_office
    complaint.transfer_requested_by = actor
    complaint.save(update_fields=["pending_transfer_to", "transfer_requested_by", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.TRANSFER_REQUESTED, internal_note=note, to_office=to_office.pk)
    return complaint


def _require_receiving_office(complaint: Complaint, actor) -> None:
    if not complaint.pending_transfer_to_id:
        raise ValidationError(_("No transfer is waiting for an answer."))
    if actor.office_id != complaint.pending_transfer_to_id:
        raise PermissionDenied(_("Only the receiving office can answer a transfer."))


@transaction.atomic
def complaint_transfer_accept(*, complaint_id: int, actor) -> Complaint:
    complaint = _locked(complaint_id)
    _require_receiving_office(complaint, actor)
    complaint.handling_office_id = complaint.pending_transfer_to_id
    complaint.pending_transfer_to = None
    complaint.transfer_requested_by = None
    if complaint.status == Status.ACCEPTED:
        complaint.status = Status.ASSIGNED
    complaint.save(update_fields=["handling_office", "pending_transfer_to", "transfer_requested_by", "status", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.TRANSFER_ACCEPTED, office=complaint.handling_office_id)
    return complaint


@transaction.atomic
def complaint_transfer_refuse(*, complaint_id: int, actor, reason: str) -> Complaint:
    complaint = _locked(complaint_id)
    _require_receiving_office(complaint, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is refused.")})
    refused_office = complaint.pending_transfer_to_id
    complaint.pending_transfer_to = None
    complaint.transfer_requested_by = None
    complaint.save(update_fields=["pending_transfer_to", "transfer_requested_by", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.TRANSFER_REFUSED, internal_note=reason, office=refused_office)
    return complaint


# --- Handling ------------------------------------------------------------------------------
@transaction.atomic
def complaint_start_investigation(*, complaint_id: int, actor) -> Complaint:
    complaint = _locked(complaint_id)
    _require_handler(complaint, actor)
    _require_status(complaint, Status.ACCEPTED, Status.ASSIGNED)
    complaint.status = Status.INVESTIGATING
    complaint.save(update_fields=["status", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.INVESTIGATING)
    return complaint


@transaction.atomic
def complaint_request_info(*, complaint_id: int, actor, question: str) -> Complaint:
    """Ask the complainant for more; the clock stops until they answer."""
    complaint = _locked(complaint_id)
    _require_handler(complaint, actor)
    _require_status(complaint, Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATING)
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Write what you need to know.")})
    if complaint.paused_since:
        raise ValidationError(_("The complainant has already been asked and has not answered yet."))
    complaint.paused_since = timezone.localdate()
    complaint.save(update_fields=["paused_since", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.INFO_REQUESTED, public_note=question)
    return complaint


@transaction.atomic
def complaint_add_info(*, complaint_id: int, text: str, attachments=()) -> Complaint:
    """The complainant adds information while the complaint is open."""
    complaint = _locked(complaint_id)
    if not complaint.is_open or complaint.status == Status.REPLIED:
        raise ValidationError(_("Information can be added only while the complaint is being handled."))
    text = (text or "").strip()
    errors = {}
    if len(text) < 2:
        errors["text"] = [_("Write the information you want to add.")]
    elif len(text) > DESCRIPTION_MAX:
        errors["text"] = [_("Please keep it under %(n)d characters.") % {"n": DESCRIPTION_MAX}]
    attachments = list(attachments)
    if complaint.attachments.filter(from_complainant=True).count() + len(attachments) > MAX_ATTACHMENTS * 2:
        errors["attachments"] = [_("No more files can be attached to this complaint.")]
    cleaned = []
    for upload in attachments:
        try:
            cleaned.append(clean_complaint_upload(upload))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    for upload in cleaned:
        attachment = ComplaintAttachment(complaint=complaint, original_name=upload.original_name[:255], size=upload.size)
        attachment.file.save(upload.original_name, upload.content, save=True)
    resumed = {}
    if complaint.paused_since:
        today = timezone.localdate()
        paused = calendar_for(today).working_days_between(complaint.paused_since, today)
        complaint.paused_working_days += max(paused, 0)
        resumed = {"paused_from": complaint.paused_since.isoformat(), "paused_working_days": max(paused, 0)}
        complaint.paused_since = None
        set_due_dates(complaint)
        complaint.save(update_fields=["paused_working_days", "paused_since", "accept_due", "complete_due", "updated_at"])
    ComplaintEvent.record(complaint, None, Kind.INFO_ADDED, public_note=text, **resumed)
    return complaint


@transaction.atomic
def complaint_reply(
    *, complaint_id: int, actor, findings: str, measures: str, reply: str, substantiated: bool, responsible_person: str = ""
) -> Complaint:
    complaint = _locked(complaint_id)
    _require_handler(complaint, actor)
    _require_status(complaint, Status.INVESTIGATING)
    errors = {}
    for field, value in (("findings", findings), ("reply", reply)):
        if not (value or "").strip():
            errors[field] = _("This field is required.")
    if substantiated is None:
        errors["substantiated"] = _("Say whether the complaint was substantiated.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    complaint.status = Status.REPLIED
    complaint.findings, complaint.measures, complaint.reply = findings.strip(), (measures or "").strip(), reply.strip()
    complaint.substantiated = substantiated
    complaint.replied_at = now
    complaint.replied_on_time = timezone.localdate(now) <= complaint.complete_due
    complaint.paused_since = None
    complaint.reward_eligible = bool(substantiated and not complaint.is_anonymous)
    complaint.save()
    ComplaintEvent.record(complaint, actor, Kind.REPLIED, public_note=complaint.reply, on_time=complaint.replied_on_time,
                          substantiated=substantiated)
    if substantiated:
        _open_case(complaint, AccountabilityCase.Reason.SUBSTANTIATED, complaint.office, person=responsible_person)
    return complaint


# --- The complainant's answer -----------------------------------------------------------
@transaction.atomic
def complaint_rate(*, complaint_id: int, rating: str) -> Complaint:
    complaint = _locked(complaint_id)
    if complaint.status != Status.REPLIED:
        raise ValidationError(_("A complaint can be rated once it has been replied to."))
    if complaint.rating and complaint.rated_at and complaint.rated_at >= complaint.replied_at:
        raise ValidationError(_("You have already rated this reply."))
    if rating not in Complaint.Rating.values:
        raise ValidationError({"rating": _("Choose one of the ratings.")})
    complaint.rating = rating
    complaint.rated_at = timezone.now()
    complaint.save(update_fields=["rating", "rated_at", "updated_at"])
    ComplaintEvent.record(complaint, None, Kind.RATED, rating=rating)
    return complaint


@transaction.atomic
def complaint_request_review(*, complaint_id: int, reason: str) -> Complaint:
    """复查: a dissatisfied complainant may ask once; it goes back to the centre."""
    complaint = _locked(complaint_id)
    if complaint.status != Status.REPLIED or complaint.rating != Complaint.Rating.DISSATISFIED:
        raise ValidationError(_("A review can be asked for after rating the reply as dissatisfied."))
    if complaint.review_count >= 1:
        raise ValidationError(_("A review has already been requested for this complaint."))
    today = timezone.localdate()
    if calendar_for(today).working_days_between(timezone.localdate(complaint.replied_at), today) > AUTO_CLOSE_WORKING_DAYS:
        raise ValidationError(
            _("A review can be asked for within %(n)d working days of the reply.") % {"n": AUTO_CLOSE_WORKING_DAYS}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what you are not satisfied with.")})
    # The first reply's on-time verdict stays on its REPLIED event; the complaint
    # carries the verdict of its latest reply.
    complaint.review_count = 1
    complaint.status = Status.ACCEPTED
    complaint.handling_office = None
    complaint.pending_transfer_to = None
    complaint.complete_due = calendar_for(today).add_working_days(today, complaint.complete_limit_days)
    complaint.save(update_fields=["review_count", "status", "handling_office", "pending_transfer_to", "complete_due", "updated_at"])
    ComplaintEvent.record(complaint, None, Kind.REVIEW_REQUESTED, public_note=reason)
    return complaint


# --- Closing ----------------------------------------------------------------------------
@transaction.atomic
def complaint_record_callback(*, complaint_id: int, actor, called_on=None, outcome: str = "", no_callback_reason: str = "") -> Callback:
    complaint = _locked(complaint_id)
    _require_centre(complaint, actor)
    _require_status(complaint, Status.REPLIED)
    outcome, no_callback_reason = (outcome or "").strip(), (no_callback_reason or "").strip()
    if not ((called_on and outcome) or no_callback_reason):
        raise ValidationError(
            {"outcome": _("Record the date and what the complainant said, or why there was no callback.")}
        )
    callback, _created = Callback.objects.update_or_create(
        complaint=complaint,
        defaults={"called_on": called_on if outcome else None, "by": actor, "outcome": outcome,
                  "no_callback_reason": "" if outcome else no_callback_reason},
    )
    ComplaintEvent.record(complaint, actor, Kind.CALLBACK, internal_note=outcome or no_callback_reason)
    return callback


def _can_close(
    complaint: Complaint, today, *, has_callback: bool | None = None, calendar: WorkCalendar | None = None
) -> str | None:
    """Why the complaint can't be closed yet, or None. The sweep passes
    ``has_callback`` and ``calendar`` it read for many complaints at once."""
    if complaint.status != Status.REPLIED:
        return _("Only a replied complaint can be closed.")
    if has_callback is None:
        has_callback = complaint.is_anonymous or Callback.objects.filter(complaint=complaint).exists()
    if not complaint.is_anonymous and not has_callback:
        return _("Record the callback to the real-name complainant, or why there was none, before closing.")
    if complaint.rating in (Complaint.Rating.SATISFIED, Complaint.Rating.BASICALLY):
        return None
    waited = (calendar or calendar_for(today)).working_days_between(timezone.localdate(complaint.replied_at), today)
    if waited >= AUTO_CLOSE_WORKING_DAYS:
        return None
    if complaint.rating == Complaint.Rating.DISSATISFIED:
        return _("The complainant is dissatisfied and may ask for a review within %(n)d working days of the reply.") % {
            "n": AUTO_CLOSE_WORKING_DAYS
        }
    return _("The complainant has %(n)d working days to rate the reply before it can be closed without a rating.") % {
        "n": AUTO_CLOSE_WORKING_DAYS
    }


@transaction.atomic
def complaint_close(*, complaint_id: int, actor=None) -> Complaint:
    """Close after the complainant's rating, or after 10 working days without one.
    ``actor`` None means the periodic sweep."""
    complaint = _locked(complaint_id)
    if actor is not None:
        _require_centre(complaint, actor)
    problem = _can_close(complaint, timezone.localdate())
    if problem:
        raise ValidationError(problem)
    complaint.status = Status.CLOSED
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    ComplaintEvent.record(complaint, actor, Kind.CLOSED, automatic=actor is None)
    return complaint


# --- Identity ---------------------------------------------------------------------------
@transaction.atomic
def complaint_view_identity(*, complaint_id: int, actor) -> ComplainantIdentity:
    complaint = Complaint.objects.get(pk=complaint_id)
    if not can_view_identity(actor):
        raise PermissionDenied(_("Only the complaint centre can see who complained."))
    _refuse_subject_staff(complaint, actor)
    IdentityAccess.objects.create(complaint=complaint, user=actor)
    ComplaintEvent.record(complaint, actor, Kind.IDENTITY_VIEWED)
    # A complaint made outside the services (the admin, an import) may have none.
    return ComplainantIdentity.objects.filter(complaint=complaint).first() or ComplainantIdentity(complaint=complaint)


# --- Accountability ----------------------------------------------------------------------
def _open_case(complaint: Complaint, reason: str, office, person: str = "") -> AccountabilityCase | None:
    """Open the case for (complaint, reason) exactly once; the unique constraint decides races."""
    with transaction.atomic():
        case, created = AccountabilityCase.objects.get_or_create(
            complaint=complaint, reason=reason, defaults={"office": office, "person": person}
        )
    if created:
        ComplaintEvent.record(complaint, None, Kind.CASE_OPENED, reason=reason, case=case.pk)
        return case
    return None


@transaction.atomic
def case_decide(*, case_id: int, actor, decision: str, reasoning: str, person: str = "") -> AccountabilityCase:
    case = AccountabilityCase.objects.select_for_update().select_related("complaint").get(pk=case_id)
    _require_centre(case.complaint, actor)
    if case.decision != AccountabilityCase.Decision.PENDING:
        raise ValidationError(_("This case has already been decided."))
    errors = {}
    if decision not in AccountabilityCase.Decision.values or decision == AccountabilityCase.Decision.PENDING:
        errors["decision"] = _("Choose a decision.")
    if not (reasoning or "").strip():
        errors["reasoning"] = _("Give the reasoning for the decision.")
    if errors:
        raise ValidationError(errors)
    case.decision = decision
    case.reasoning = reasoning.strip()
    case.decided_on = timezone.localdate()
    case.decided_by = actor
    if person:
        case.person = person.strip()
    case.save()
    ComplaintEvent.record(case.complaint, actor, Kind.NOTE, internal_note=f"case {case.pk}: {decision}")
    return case


# --- Typical cases ------------------------------------------------------------------------
@transaction.atomic
def typical_case_publish(*, complaint_id: int, actor, kind: str, title: str, summary: str, allow_corruption: bool = False) -> TypicalCase:
    complaint = _locked(complaint_id)
    _require_centre(complaint, actor)
    if complaint.status != Status.CLOSED:
        raise ValidationError(_("Only a closed complaint can be published as a typical case."))
    if complaint.problem_type.is_corruption and not (allow_corruption or complaint.publish_allowed):
        raise ValidationError(
            _("Complaints about corruption are not published unless the centre decides so explicitly.")
        )
    errors = {}
    if kind not in TypicalCase.Kind.values:
        errors["kind"] = _("Choose positive or negative.")
    if not (title or "").strip():
        errors["title"] = _("This field is required.")
    if len((summary or "").strip()) < 20:
        errors["summary"] = _("Write a summary of at least 20 characters.")
    identity = ComplainantIdentity.objects.filter(complaint=complaint).first()
    if identity and not errors:
        leaked = [v for v in (identity.name, identity.phone, identity.email) if v and v in f"{title} {summary}"]
        if leaked:
            errors["summary"] = _("The summary contains the complainant's name or contact. Remove it.")
    if errors:
        raise ValidationError(errors)
    if allow_corruption and not complaint.publish_allowed:
        complaint.publish_allowed = True
        complaint.save(update_fields=["publish_allowed", "updated_at"])
    case = TypicalCase.objects.create(
        complaint=complaint, kind=kind, title=title.strip(), summary=summary.strip(), published_by=actor
    )
    ComplaintEvent.record(complaint, actor, Kind.PUBLISHED, case=case.pk)
    return case


# --- The periodic sweep ------------------------------------------------------------------------
# Complaints handled per round of queries by the sweep: a fixed few queries per batch.
SWEEP_BATCH_SIZE = 500


def _pages(rows, size: int):
    """Lists of ``size`` rows of ``rows``, streamed in primary key order by one query
    (never all in memory). Re-running the query per page would scan the candidates
    again each time: quadratic in the number due."""
    iterator = rows.order_by("pk").iterator(chunk_size=size)
    while page := list(islice(iterator, size)):
        yield page


def _sweep_event(complaint_id: int, kind: str, created_at, **data) -> ComplaintEvent:
    """The event ``ComplaintEvent.record`` writes when nobody acts (the sweep), for bulk_create."""
    return ComplaintEvent(
        complaint_id=complaint_id, created_at=created_at, kind=kind, is_public=kind in ComplaintEvent.PUBLIC_KINDS, data=data
    )


def _with_ids(model, objs: list, **lookup) -> list:
    """``objs`` just bulk-created, with their primary keys even on a database that
    doesn't return them from a bulk INSERT."""
    if objs and objs[0].pk is None:
        ids = dict(model.objects.filter(**lookup).values_list("complaint_id", "pk"))
        for obj in objs:
            obj.pk = ids[obj.complaint_id]
    return objs


def _open_cases(page: list[tuple[int, int | None]], reason: str, office_field: str) -> int:
    """Open the cases for a page of (complaint id, office id) late complaints, each with
    its timeline event: one INSERT for the cases and one for the events."""
    ids = [pk for pk, _office_id in page]
    try:
        with transaction.atomic():
            cases = AccountabilityCase.objects.bulk_create(
                [AccountabilityCase(complaint_id=pk, reason=reason, office_id=office_id) for pk, office_id in page]
            )
            _with_ids(AccountabilityCase, cases, complaint_id__in=ids, reason=reason)
            now = timezone.now()
            ComplaintEvent.objects.bulk_create(
                [_sweep_event(case.complaint_id, Kind.CASE_OPENED, now, reason=reason, case=case.pk) for case in cases]
            )
    except IntegrityError:
        # A sweep running at the same time opened some of them first: one at a
        # time, the unique constraint decides each.
        complaints = Complaint.objects.select_related(office_field).in_bulk(ids)
        return sum(
            1 for complaint in complaints.values() if _open_case(complaint, reason, getattr(complaint, office_field))
        )
    return len(cases)


def _close_replied(page: list[tuple[int]], today, calendar: WorkCalendar) -> int:
    """Close the complaints of the page that ``_can_close`` allows, as
    ``complaint_close`` does with no actor: the rows locked, one UPDATE, one INSERT
    of the events, and the complainants told after commit."""
    from notifications.tasks import notify_complaint_event

    ids = [pk for (pk,) in page]
    with transaction.atomic():
        complaints = list(Complaint.objects.select_for_update().filter(pk__in=ids))
        called_back = set(Callback.objects.filter(complaint_id__in=ids).values_list("complaint_id", flat=True))
        closing = [
            c.pk for c in complaints
            if _can_close(c, today, has_callback=c.pk in called_back, calendar=calendar) is None
        ]
        if not closing:
            return 0
        now = timezone.now()
        Complaint.objects.filter(pk__in=closing).update(status=Status.CLOSED, closed_at=now, updated_at=now)
        events = ComplaintEvent.objects.bulk_create([_sweep_event(pk, Kind.CLOSED, now, automatic=True) for pk in closing])
        _with_ids(ComplaintEvent, events, complaint_id__in=closing, kind=Kind.CLOSED, created_at=now)
        for event in events:
            transaction.on_commit(lambda pk=event.pk: notify_complaint_event.delay(pk))
    return len(closing)


def complaints_sweep(today=None) -> dict[str, int]:
    """Open accountability cases for complaints past a limit (each exactly once)
    and close replied complaints left unrated for 10 working days. Safe to run
    at any time, as often as you like, in parallel with itself.

    Complaints are taken ``SWEEP_BATCH_SIZE`` at a time, each batch in its own
    transaction with a fixed few queries; a batch that fails leaves the others
    done, and the next sweep takes up what is left."""
    today = today or timezone.localdate()
    opened = closed = 0
    late_accept = Complaint.objects.filter(
        status=Status.REGISTERED, accept_due__lt=today, paused_since__isnull=True
    ).exclude(cases__reason=AccountabilityCase.Reason.ACCEPT_OVERDUE)
    for page in _pages(late_accept.values_list("pk", "first_office_id"), SWEEP_BATCH_SIZE):
        opened += _open_cases(page, AccountabilityCase.Reason.ACCEPT_OVERDUE, "first_office")
    late_complete = Complaint.objects.filter(
        status__in=Complaint.HANDLING_STATUSES, complete_due__lt=today, paused_since__isnull=True
    ).exclude(cases__reason=AccountabilityCase.Reason.COMPLETE_OVERDUE)
    for page in _pages(late_complete.values_list("pk", "handling_office_id"), SWEEP_BATCH_SIZE):
        opened += _open_cases(page, AccountabilityCase.Reason.COMPLETE_OVERDUE, "handling_office")
    # 10 working days never span fewer than 12 calendar days.
    closable = Complaint.objects.filter(status=Status.REPLIED).filter(
        Q(rating__in=[Complaint.Rating.SATISFIED, Complaint.Rating.BASICALLY])
        | Q(replied_at__date__lte=today - timedelta(days=12))
    )
    # Whether one may close is decided on the real day, as complaint_close does.
    day = timezone.localdate()
    calendar = None
    for page in _pages(closable.values_list("pk"), SWEEP_BATCH_SIZE):
        calendar = calendar or calendar_for(day)
        closed += _close_replied(page, day, calendar)
    return {"cases_opened": opened, "closed": closed}
