"""An export streams: its peak memory, measured with tracemalloc at 2,000 and at 6,000
rows in one run, does not grow with the rows beyond the workbook's shared-string table
(openpyxl keeps each distinct text once, a tracking number is about 200 bytes). An
export that held its rows as model objects, or its cells in memory, would need several
kilobytes more for every row. The 100,000-row figure is measured by ``make bench``."""

import datetime as dt
import tracemalloc

import pytest
from django.utils import timezone

from campaigns.tests.factories import today
from complaints.models import Complaint, ProblemType
from oversight.models import ExportJob
from oversight.services.exports import export_run

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2_000, 6_000  # one and three chunks of the ledger (CHUNK = 2000)
PER_ROW_BYTES = 512
BATCH = 5_000


def _bulk_complaints(campaign, offices, n, start=0):
    ptype = ProblemType.objects.get(code="attitude")
    received = today() - dt.timedelta(days=10)
    statuses = ["registered", "closed", "investigating", "replied"]
    made = start
    while made < start + n:
        batch = []
        for i in range(made, min(made + BATCH, start + n)):
            closed = statuses[i % 4] == "closed"
            batch.append(
                Complaint(
                    tracking_number=f"TS-2026-{i:07d}",
                    access_code_hash="x",
                    campaign=campaign,
                    office=offices[i % len(offices)],
                    problem_type=ptype,
                    description="窗口工作人员态度恶劣，多次推诿不予办理。",
                    status=statuses[i % 4],
                    received_on=received,
                    accept_limit_days=3,
                    complete_limit_days=15,
                    accept_due=received + dt.timedelta(days=3),
                    complete_due=received + dt.timedelta(days=21),
                    replied_on_time=True if closed else None,
                    closed_at=timezone.now() if closed else None,
                    rating="satisfied" if closed else "",
                    content_hash=f"h{i}",
                )
            )
        Complaint.objects.bulk_create(batch, batch_size=1000)
        made += len(batch)


def _export_peak(user, campaign):
    """The export's peak traced memory in bytes, and its job."""
    job = ExportJob.objects.create(user=user, ledger="complaints", params={"campaign": campaign.pk}, language="zh-hans")
    tracemalloc.start()
    try:
        job = export_run(job.pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert job.state == ExportJob.State.DONE, job.error
    return peak, job


def test_an_exports_memory_does_not_grow_with_its_rows(campaign, coordinator, office_a, office_b):
    _export_peak(coordinator, campaign)  # the first export imports and caches what every later one reuses
    _bulk_complaints(campaign, [office_a, office_b], SMALL)
    small, job = _export_peak(coordinator, campaign)
    assert job.rows == SMALL
    _bulk_complaints(campaign, [office_a, office_b], LARGE - SMALL, start=SMALL)
    large, job = _export_peak(coordinator, campaign)
    assert job.rows == LARGE
    print(f"peak traced memory: {small / 2**20:.1f} MB for {SMALL} rows, {large / 2**20:.1f} MB for {LARGE}")
    per_row = (large - small) / (LARGE - SMALL)
    assert per_row < PER_ROW_BYTES, f"{per_row:.0f} bytes more for every further row"
