"""An export of 100,000 rows streams: its peak memory, measured with tracemalloc, stays
far below what 100,000 model objects (or a workbook held in memory) would need."""

import datetime as dt
import tracemalloc

import pytest
from django.utils import timezone

from campaigns.tests.factories import today
from complaints.models import Complaint, ProblemType
from oversight.models import ExportJob
from oversight.services.exports import export_run

pytestmark = pytest.mark.django_db

ROWS = 100_000
BATCH = 5_000
LIMIT_MB = 200


def _bulk_complaints(campaign, offices, n):
    ptype = ProblemType.objects.get(code="attitude")
    received = today() - dt.timedelta(days=10)
    statuses = ["registered", "closed", "investigating", "replied"]
    made = 0
    while made < n:
        batch = []
        for i in range(made, min(made + BATCH, n)):
            closed = statuses[i % 4] == "closed"
            batch.append(Complaint(
                tracking_number=f"TS-2026-{i:07d}", access_code_hash="x", campaign=campaign,
                office=offices[i % len(offices)], problem_type=ptype,
                description="窗口工作人员态度恶劣，多次推诿不予办理。", status=statuses[i % 4],
                received_on=received, accept_limit_days=3, complete_limit_days=15,
                accept_due=received + dt.timedelta(days=3), complete_due=received + dt.timedelta(days=21),
                replied_on_time=True if closed else None, closed_at=timezone.now() if closed else None,
                rating="satisfied" if closed else "", content_hash=f"h{i}",
            ))
        Complaint.objects.bulk_create(batch, batch_size=1000)
        made += len(batch)


def test_a_100000_row_export_stays_under_200_mb(campaign, coordinator, office_a, office_b):
    _bulk_complaints(campaign, [office_a, office_b], ROWS)
    job = ExportJob.objects.create(user=coordinator, ledger="complaints", params={"campaign": campaign.pk},
                                   language="zh-hans")
    tracemalloc.start()
    try:
        job = export_run(job.pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert job.state == ExportJob.State.DONE, job.error
    assert job.rows == ROWS
    peak_mb = peak / 1024 / 1024
    print(f"peak traced memory for {ROWS} rows: {peak_mb:.1f} MB")
    assert peak_mb < LIMIT_MB
