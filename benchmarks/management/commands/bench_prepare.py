"""What the benchmark harness needs from a generated database, as one JSON line:
logged-in sessions for the bench users, the ids the page URLs need, and the
query plans (EXPLAIN (ANALYZE, BUFFERS)) of the staff queue's queries."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _

from benchmarks.pages import EXPLAINED, staff_pages
from complaints.models import Complaint, ProblemType

SESSION_USERS = {"centre": "bench-centre", "office": "bench-office", "coordinator": "bench-coordinator"}


class Command(BaseCommand):
    help = _("Prepare a generated database for `make bench` and print what the harness needs (JSON).")  # type: ignore[assignment]

    def add_arguments(self, parser):
        parser.add_argument("--manifest", required=True, help=_("The manifest written by generate_scale_data."))

    def handle(self, *args, manifest, **options):
        if settings.DEBUG:
            raise CommandError(_("Run with the benchmark settings (DEBUG off)."))
        data = json.loads(Path(manifest).read_text())
        users = {key: get_user_model().objects.get(username=name) for key, name in SESSION_USERS.items()}
        sessions, clients = {}, {}
        for key, user in users.items():
            client = Client(SERVER_NAME="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
            client.force_login(user)
            clients[key] = client
            sessions[key] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

        office_user = users["office"]
        complaint = (
            Complaint.objects.filter(handling_office_id=office_user.office_id).order_by("-pk").only("pk").first()
        )
        if complaint is None:
            raise CommandError("bench-office handles no complaint")
        extra = {
            "complaint_id": complaint.pk,
            "handling_office_id": office_user.office_id,
            "office_id": (
                Complaint.objects.exclude(office=None).values_list("office_id", flat=True).order_by("pk").first()
            ),
            "problem_type_id": ProblemType.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first(),
            "tracking": data["tracking"],
            "published_survey_id": data["published_survey_id"],
        }
        # What beat does every few minutes: the figure snapshots, timed.
        from kernel import figurecache

        snapshots = figurecache.refresh_all()
        plans = {}
        pages = staff_pages(complaint_id=complaint.pk, handling_office_id=office_user.office_id)
        for key in EXPLAINED:
            path, viewer = pages[key]
            plans[key] = self.explain(clients[viewer], path)
        self.stdout.write(
            "BENCH_JSON "
            + json.dumps(
                {"sessions": sessions, "manifest_extra": extra, "explain": plans, "snapshots": snapshots},
                ensure_ascii=False,
            )
        )

    def explain(self, client, path) -> list[dict]:
        """The plan of every query of one request that reads the complaints table."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
        plans = []
        table = Complaint._meta.db_table
        for query in captured.captured_queries:
            sql = query["sql"]
            if f'"{table}"' not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append({"sql": sql, "plan": plan, "seq_scan_on_complaints": f"Seq Scan on {table}" in plan})
        return plans
