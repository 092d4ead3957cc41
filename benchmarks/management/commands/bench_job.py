"""One background job of the benchmark, timed, with its SQL queries counted;
prints one JSON line. The harness runs each in its own process under
``/usr/bin/time -v`` so the peak memory is the job's own.

- ``export --rows N``: the complaint ledger (.xlsx, streamed to a file) as the
  worker writes it, cut at N rows;
- ``queue-export --rows N``: the staff queue's .xlsx export of N complaints;
- ``results``: the appraisal results of the published survey, counted (not from the cache);
- ``sweep-prepare --due N``: N open complaints whose reminder step is due today
  (not measured);
- ``sweep``: the reminder sweep as beat runs it.
"""

import datetime as dt
import itertools
import json
import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarks.middleware import QueryCounter
from campaigns.current import get_current_campaign
from campaigns.models import Office
from kernel.workcalendar import WorkCalendar


class Command(BaseCommand):
    help = _("Run one benchmark job and print its time and query count (JSON).")  # type: ignore[assignment]

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["export", "queue-export", "results", "sweep-prepare", "sweep"])
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--due", type=int, default=10_000)

    def handle(self, *args, job, rows, due, **options):
        if settings.DEBUG:
            raise CommandError(_("Run with the benchmark settings (DEBUG off)."))
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            figures = getattr(self, job.replace("-", "_"))(rows=rows, due=due)
        figures.update(seconds_inside=round(time.perf_counter() - started, 2), queries=counter.queries)
        self.stdout.write("BENCH_JSON " + json.dumps(figures, default=str))

    # --- jobs ---------------------------------------------------------------------
    def export(self, *, rows, **_):
        from kernel.xlsx import write_workbook
        from oversight.ledgers import all_ledgers

        user = get_user_model().objects.get(username="bench-centre")
        campaign = get_current_campaign()
        if campaign is None:
            raise CommandError("no current campaign")
        title, headers, widths, sheet_rows = all_ledgers()["complaints"].sheet(user, campaign, {}, timezone.localdate())
        with tempfile.TemporaryFile(suffix=".xlsx") as handle:
            written = write_workbook(
                handle, title=title, headers=headers, widths=widths, rows=itertools.islice(sheet_rows, rows)
            )
            size = handle.tell()
        return {"rows": written, "bytes": size}

    def queue_export(self, *, rows, **_):
        from complaints import exports
        from complaints.models import Complaint

        user = get_user_model().objects.get(username="bench-centre")
        queryset = Complaint.objects.for_queue(user).with_due(timezone.localdate()).order_by("-pk")[:rows]
        content = exports.complaints_workbook(queryset)
        return {"rows": rows, "bytes": len(content)}

    def results(self, **_):
        from evaluations.models import Survey
        from evaluations.selectors import count_results

        survey = Survey.objects.filter(status=Survey.Status.PUBLISHED).order_by("-pk").first()
        if survey is None:
            raise CommandError("no published survey")
        # The computation itself (pages read it from the cache once it is done).
        results = count_results(survey)
        return {"offices": len(results.offices), "ballots": results.ballot_total}

    def sweep_prepare(self, *, due, **_):
        """Replace every complaint by ``due`` open ones whose reminder is due
        today: four in five a completion deadline three working days ahead,
        one in five a day overdue (which also opens accountability cases)."""
        from complaints.models import AccountabilityCase, Complaint, ComplaintEvent, ProblemType
        from notifications.models import Notification

        today = timezone.localdate()
        calendar = WorkCalendar(today - timedelta(days=30), today + timedelta(days=30))
        ahead = calendar.add_working_days(today, 3)
        behind = today - timedelta(days=1)
        while not calendar.is_working_day(behind):
            behind -= timedelta(days=1)
        offices = list(Office.objects.values_list("pk", flat=True))
        problem_type = ProblemType.objects.order_by("pk").first()
        campaign = get_current_campaign()
        now = timezone.now()
        with transaction.atomic():
            Notification.objects.all().delete()
            AccountabilityCase.objects.all().delete()
            ComplaintEvent.objects.all().delete()
            Complaint.objects.all().delete()
            batch = []
            for n in range(due):
                overdue = n % 5 == 0
                handling = offices[n % len(offices)]
                subject = offices[(n + 1) % len(offices)]
                deadline = behind if overdue else ahead
                batch.append(
                    Complaint(
                        tracking_number=f"BS-{n:08d}",
                        access_code_hash="!",
                        campaign=campaign,
                        channel=Complaint.Channel.WEB,
                        office_id=subject,
                        problem_type=problem_type,
                        description="sweep benchmark",
                        status=Complaint.Status.INVESTIGATING,
                        handling_office_id=handling,
                        received_on=deadline - dt.timedelta(days=21),
                        accept_limit_days=3,
                        complete_limit_days=15,
                        accept_due=deadline - dt.timedelta(days=18),
                        complete_due=deadline,
                        accepted_at=now - timedelta(days=20),
                        accepted_on_time=True,
                        content_hash=f"{n:064d}",
                    )
                )
                if len(batch) == 5000:
                    Complaint.objects.bulk_create(batch)
                    batch = []
            Complaint.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return {"due": due, "ahead": ahead, "overdue": behind}

    def sweep(self, **_):
        from complaints.services import complaints_sweep
        from notifications.models import Notification
        from notifications.services import run_sweep

        complaints = complaints_sweep()
        report = run_sweep()
        return {
            "notices": Notification.objects.count(),
            "created": sum(report["created"].values()),
            "dispatched": report["dispatched"],
            "complaints": complaints,
        }
