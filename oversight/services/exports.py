"""Exports: written at once when small, by a Celery worker when large.

A large export becomes an ``ExportJob`` (who asked, which ledger, which
filters, in which language) queued after the request's transaction commits; the
worker writes the file under MEDIA_ROOT/private/exports/ and puts a notice with
the download link in the requester's inbox."""

from __future__ import annotations

import logging
import tempfile
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import AuditEvent, Campaign

from ..ledgers import Ledger, all_ledgers
from ..models import ExportJob
from ..xlsx import write_workbook

logger = logging.getLogger(__name__)

#: Exports of more rows than this are written by a worker, not in the request.
DEFAULT_ASYNC_ROWS = 5000


def async_threshold() -> int:
    return int(getattr(settings, "OVERSIGHT_EXPORT_ASYNC_ROWS", DEFAULT_ASYNC_ROWS))


def ledger_for(user, key: str) -> Ledger:
    """The ledger if ``user`` may export it; PermissionDenied (with the reason) otherwise."""
    ledger = all_ledgers().get(key)
    if ledger is None or not ledger.allowed(user):
        raise PermissionDenied(_("You may not export this list."))
    return ledger


def clean_params(params) -> dict:
    """Only the filters the ledgers understand, as strings."""
    return {key: str(params.get(key))[:40] for key in ("office", "status") if params.get(key)}


def filename(ledger: Ledger, campaign: Campaign, today) -> str:
    return f"{ledger.stem}-{campaign.pk}-{today:%Y-%m-%d}.xlsx"


def write_ledger(target, *, ledger: Ledger, user, campaign: Campaign, params: dict, today) -> int:
    title, headers, widths, rows = ledger.sheet(user, campaign, params, today)
    return write_workbook(target, title=title, headers=headers, widths=widths, rows=rows)


def export_now(*, key: str, user, campaign: Campaign, params: dict, today=None):
    """Write the ledger to an anonymous temporary file; returns (file, name, rows).
    The file is deleted as soon as it is closed (by the response)."""
    ledger = ledger_for(user, key)
    today = today or timezone.localdate()
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    rows = write_ledger(handle, ledger=ledger, user=user, campaign=campaign, params=params, today=today)
    handle.seek(0)
    AuditEvent.record(campaign, user, "export.download", ledger=key, rows=rows, params=params)
    return handle, filename(ledger, campaign, today), rows


def needs_worker(*, key: str, user, campaign: Campaign, params: dict) -> bool:
    ledger = ledger_for(user, key)
    return ledger.count(user, campaign, params) > async_threshold()


@transaction.atomic
def export_enqueue(*, key: str, user, campaign: Campaign, params: dict) -> ExportJob:
    from ..tasks import run_export

    ledger_for(user, key)
    job = ExportJob.objects.create(
        user=user, ledger=key, params={**params, "campaign": campaign.pk},
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    AuditEvent.record(job, user, "export.request", ledger=key, params=params)
    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job


def export_run(job_id: int) -> ExportJob | None:
    """The worker's part. Safe to run twice: only the run that moves the job from
    pending to running writes it."""
    now = timezone.now()
    if ExportJob.objects.filter(pk=job_id, state=ExportJob.State.PENDING).update(
        state=ExportJob.State.RUNNING, started_at=now
    ) != 1:
        return None
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    params = dict(job.params)
    campaign_id = params.pop("campaign", None)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            campaign = Campaign.objects.get(pk=campaign_id)
            ledger = ledger_for(job.user, job.ledger)  # the user may have lost the right since
            today = timezone.localdate()
            with tempfile.TemporaryFile(suffix=".xlsx") as handle:
                rows = write_ledger(handle, ledger=ledger, user=job.user, campaign=campaign, params=params,
                                    today=today)
                handle.seek(0)
                job.file.save(f"exports/{uuid.uuid4().hex}.xlsx", File(handle), save=False)
            job.filename = filename(ledger, campaign, today)
            job.rows = rows
            job.state = ExportJob.State.DONE
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "filename", "rows", "state", "finished_at"])
            AuditEvent.record(job, job.user, "export.ready", ledger=job.ledger, rows=rows)
            _notify(job, ready=True)
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        with translation.override(job.language or settings.LANGUAGE_CODE):
            _notify(job, ready=False)
    return job


def _notify(job: ExportJob, *, ready: bool):
    """An inbox notice (and an e-mail/SMS if the user chose them) for the export."""
    from notifications.models import Notification
    from notifications.sms import is_valid_mobile

    user = job.user
    ledger = all_ledgers().get(job.ledger)
    name = str(ledger.label) if ledger else job.ledger
    if ready:
        subject = _("Your export “%(name)s” is ready") % {"name": name}
        body = _("The export “%(name)s” (%(rows)d rows) is ready. Download it from the link below; "
                 "it is kept for you only.") % {"name": name, "rows": job.rows}
        link = reverse("oversight-staff:export-download", args=[job.pk])
    else:
        subject = _("Your export “%(name)s” failed") % {"name": name}
        body = _("The export “%(name)s” could not be written. Please try again or ask an administrator.") % {
            "name": name}
        link = reverse("oversight-staff:ledgers")
    wants_email = bool(user.notify_by_email and user.email)
    wants_sms = bool(user.notify_by_sms and is_valid_mobile(user.phone))
    notice = Notification(
        kind="export", step=f"export-{'ready' if ready else 'failed'}",
        target_type=ContentType.objects.get_for_model(job), target_id=job.pk,
        deadline=timezone.localdate(), recipient=user, recipient_key=f"u{user.pk}",
        language=job.language, subject=subject[:250], body=body, link=link,
        send_email=wants_email, send_sms=wants_sms, sms_to=user.phone if wants_sms else "",
        state=Notification.State.PENDING if (wants_email or wants_sms) else Notification.State.SENT,
        sent_at=None if (wants_email or wants_sms) else timezone.now(),
    )
    # One notice per job and outcome: the claim in export_run makes a second one impossible.
    notice.save()
    if wants_email or wants_sms:
        from notifications.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.delay(notice.pk))
