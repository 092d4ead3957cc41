"""Files that no row refers to (a worker killed between writing an attachment
and its commit) and temp files of interrupted uploads are deleted by the
hourly sweep once they are an hour old; nothing a row refers to ever is."""

import os
import stat
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from complaints import services
from complaints.models import ComplaintAttachment, ComplaintEvent
from complaints.tests.factories import submit
from kernel import orphans, tasks
from kernel.storage import private_storage

pytestmark = pytest.mark.django_db
HOUR = 3600


@pytest.fixture
def temp_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


def age(path: Path, seconds: int) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def private(name: str) -> Path:
    return Path(private_storage().location) / name


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence")


def test_a_file_left_by_a_failed_commit_is_swept_after_an_hour_and_only_then(office_a, temp_dir, monkeypatch):
    complaint, _code = submit(office=office_a)
    kept = services.complaint_add_info(complaint_id=complaint.pk, text="补充材料。", attachments=[pdf("kept.pdf")])
    kept_file = private(ComplaintAttachment.objects.get(complaint=kept).file.name)

    def killed(*args, **kwargs):
        raise RuntimeError("worker killed before the commit")

    monkeypatch.setattr(ComplaintEvent, "record", killed)
    with pytest.raises(RuntimeError):
        services.complaint_add_info(complaint_id=complaint.pk, text="再补充。", attachments=[pdf("lost.pdf")])
    monkeypatch.undo()
    stored = {p for p in Path(private_storage().location).rglob("*") if p.is_file()}
    (orphan,) = stored - {kept_file}
    assert ComplaintAttachment.objects.count() == 1  # the row was rolled back, the file was not

    assert orphans.sweep_files()["orphaned_files"] == 0  # too young: its row might still be committing
    age(orphan, 2 * HOUR)
    age(kept_file, 2 * HOUR)

    assert tasks.sweep_files.delay().get() == {"orphaned_files": 1, "upload_temp_files": 0}
    assert not orphan.exists()
    assert kept_file.exists()
    # Run again (a second beat, a redelivered task): nothing more to do.
    assert orphans.sweep_files() == {"orphaned_files": 0, "upload_temp_files": 0}


def test_files_of_every_private_file_field_count_as_referenced(office_a, temp_dir):
    fields = {f"{model._meta.label}.{field.name}" for model, field in orphans._private_file_fields()}

    assert {
        "complaints.ComplaintAttachment.file",
        "rectification.Evidence.file",
        "campaigns.TaskReport.attachment",
        "oversight.Submission.file",
        "oversight.ExportJob.file",
    } <= fields


def test_stale_upload_temp_files_are_swept_and_fresh_ones_kept(temp_dir):
    stale = temp_dir / "abcd.upload.pdf"
    stale.write_bytes(b"x")
    age(stale, 2 * HOUR)
    fresh = temp_dir / "efgh.upload.jpg"
    fresh.write_bytes(b"y")

    assert orphans.sweep_files() == {"orphaned_files": 0, "upload_temp_files": 1}
    assert not stale.exists() and fresh.exists()


def test_uploads_are_spooled_to_a_private_directory_not_tmp():
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR)
    upload = TemporaryUploadedFile("evidence.pdf", "application/pdf", 0, None)
    try:
        assert Path(upload.temporary_file_path()).parent == directory
    finally:
        upload.close()
    assert directory.is_relative_to(Path(settings.VAR_DIR))
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700


def test_the_sweep_runs_every_hour_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-files"]

    assert entry == {"task": "kernel.tasks.sweep_files", "schedule": HOUR}
    assert tasks.sweep_files.name == entry["task"]
