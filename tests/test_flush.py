"""The tests' PostgreSQL backend empties the database with DELETE (tests/postgresql)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from complaints.models import Complaint, ProblemType

pytestmark = pytest.mark.django_db(transaction=True)


def _on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the DELETE flush is PostgreSQL's (the SQLite backend keeps Django's)")


def test_a_flush_empties_every_table_whatever_points_at_what(client, phase):
    _on_postgresql()
    form = {"office": "", "problem_type": ProblemType.objects.get(code="attitude").pk, "website": ""}
    form.update(description="窗口工作人员态度恶劣，多次推诿不予办理。", is_anonymous="anonymous", email="")
    assert client.post(reverse("complaints:new"), form).status_code == 302
    # A campaign, its phase, offices, problem types, the complaint, its events: rows pointing at rows.
    assert Complaint.objects.get().events.exists()

    call_command("flush", interactive=False, verbosity=0)

    # Every row is gone but what post_migrate puts back (permissions, role groups,
    # problem types, reminder rules), as after Django's TRUNCATE.
    refilled = {"auth_group", "auth_group_permissions", "auth_permission", "django_content_type"}
    refilled |= {"complaints_problemtype", "notifications_reminderrule", "notifications_escalationstep"}
    left = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            left[table] = cursor.fetchone()[0]
    assert {table for table, n in left.items() if n} - refilled == set()
    assert left["complaints_complaint"] == left["campaigns_office"] == 0


def test_a_flush_deletes_rather_than_truncates_unless_sequences_are_reset():
    _on_postgresql()
    from django.core.management.color import no_style

    tables = ["complaints_complaint", "campaigns_office"]
    plain = connection.ops.sql_flush(no_style(), tables)
    reset = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)

    assert plain[0] == "SET CONSTRAINTS ALL DEFERRED"
    assert [s.split()[0] for s in plain[1:]] == ["DELETE", "DELETE"]
    assert reset[0].startswith("TRUNCATE")
