"""Exports: written at once when small, by a Celery worker when large.

A large export becomes an ``ExportJob`` (who asked, which ledger, which
filters, in which language) queued after the request's transaction commits; the
worker writes the file under MEDIA_ROOT/private/exports/ and puts a notice with
the download link in the requester's inbox."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns.models import AuditEvent, Campaign
from kernel.dispatch import after_commit
from kernel.xlsx import write_workbook

from ..ledgers import Ledger, all_ledgers
from ..models import ExportJob

if TYPE_CHECKING:
    from campaigns.models import User

logger = logging.getLogger(__name__)

#: Exports of more rows than this are written by a worker, not in the request.
DEFAULT_ASYNC_ROWS = 5000


def async_threshold() -> int:
    return int(getattr(settings, "OVERSIGHT_EXPORT_ASYNC_ROWS", DEFAULT_ASYNC_ROWS))


def ledger_for(user: User, key: str) -> Ledger:
    """The ledger if ``user`` may export it; PermissionDenied (with the reason) otherwise."""
    ledger = all_ledgers().get(key)
    if ledger is None or not ledger.allowed(user):
        raise PermissionDenied(_("You may not export this list."))
    return ledger


def clean_params(params: Mapping[str, object]) -> dict[str, str]:
    """Only the filters the ledgers understand, as strings."""
    return {key: str(params.get(key))[:40] for key in ("office", "status") if params.get(key)}


def filename(ledger: Ledger, campaign: Campaign, today: dt.date) -> str:
    return f"{ledger.stem}-{campaign.pk}-{today:%Y-%m-%d}.xlsx"


def write_ledger(
    target: IO[bytes], *, ledger: Ledger, user: User, campaign: Campaign, params: dict[str, Any], today: dt.date
) -> int:
    title, headers, widths, rows = ledger.sheet(user, campaign, params, today)
    return write_workbook(target, title=title, headers=headers, widths=widths, rows=rows)


def export_now(
    *, key: str, user: User, campaign: Campaign, params: dict[str, Any], today: dt.date | None = None
) -> tuple[IO[bytes], str, int]:
    """Write the ledger to an anonymous temporary file; returns (file, name, rows).
    The file is deleted as soon as it is closed (by the response)."""
    ledger = ledger_for(user, key)
    today = today or timezone.localdate()
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    rows = write_ledger(handle, ledger=ledger, user=user, campaign=campaign, params=params, today=today)
    handle.seek(0)
    AuditEvent.record(campaign, user, "export.download", ledger=key, rows=rows, params=params)
    return handle, filename(ledger, campaign, today), rows


def needs_worker(*, key: str, user: User, campaign: Campaign, params: dict[str, Any]) -> bool:
    ledger = ledger_for(user, key)
    count: int = ledger.count(user, campaign, params)
    return count > async_threshold()


@transaction.atomic
def export_enqueue(*, key: str, user: User, campaign: Campaign, params: dict[str, Any]) -> ExportJob:
    from ..tasks import run_export

    ledger_for(user, key)
    job = ExportJob.objects.create(
        user=user,
        ledger=key,
        params={**params, "campaign": campaign.pk},
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    AuditEvent.record(job, user, "export.request", ledger=key, params=params)
    after_commit(run_export, job.pk)
    return job


# A job still waiting after this long lost its task (the broker was away).
STALE_PENDING = timedelta(minutes=5)


def export_requeue_waiting(now: dt.datetime | None = None) -> int:
    """Queue again the jobs whose task was lost; ``export_run`` takes each once."""
    from ..tasks import run_export

    before = (now or timezone.now()) - STALE_PENDING
    ids = list(
        ExportJob.objects.filter(state=ExportJob.State.PENDING, created_at__lt=before)
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    for pk in ids:
        after_commit(run_export, pk)
    return len(ids)


def export_run(job_id: int) -> ExportJob | None:
    """The worker's part. Safe to run twice: only the run that moves the job from
    pending to running writes it."""
    now = timezone.now()
    if (
        ExportJob.objects.filter(pk=job_id, state=ExportJob.State.PENDING).update(
            state=ExportJob.State.RUNNING, started_at=now
        )
        != 1
    ):
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
                rows = write_ledger(handle, ledger=ledger, user=job.user, campaign=campaign, params=params, today=today)
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
            state=ExportJob.State.FAILED,
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        with translation.override(job.language or settings.LANGUAGE_CODE):
            _notify(job, ready=False)
    return job


def _notify(job: ExportJob, *, ready: bool) -> None:
    """An inbox notice (and an e-mail/SMS if the user chose them) for the export."""
    from notifications.notices import notify_staff
    from notifications.texts import Text

    ledger = all_ledgers().get(job.ledger)
    name = ledger.label if ledger else job.ledger
    if ready:
        subject = Text(gettext_noop("Your export “%(name)s” is ready"), {"name": name})
        summary = Text(
            gettext_noop(
                "The export “%(name)s” (%(rows)s rows) is ready. Download it from the link below; "
                "it is kept for you only."
            ),
            {"name": name, "rows": job.rows},
        )
        link = reverse("oversight-staff:export-download", args=[job.pk])
    else:
        subject = Text(gettext_noop("Your export “%(name)s” failed"), {"name": name})
        summary = Text(
            gettext_noop("The export “%(name)s” could not be written. Please try again or ask an administrator."),
            {"name": name},
        )
        link = reverse("oversight-staff:ledgers")
    language = job.language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = str(summary)
    # One notice per job and outcome: the claim in export_run makes a second one impossible.
    notify_staff(
        job.user,
        kind="export",
        step=f"export-{'ready' if ready else 'failed'}",
        target=job,
        deadline=timezone.localdate(),
        subject=subject,
        summary=summary,
        body=body,
        link=link,
        language=language,
    )
