"""A double click on the complaint form stores one complaint: the duplicate guard
is decided by the database (a row locked per source and text,
``services.intake.hold_duplicate_guard``), not by two requests each looking for
the other before either has committed. Real concurrent posts through the form,
each thread with its own connection."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, ProblemType, SubmissionGuard
from complaints.services.intake import prune_duplicate_guards
from tests.services import at_once, require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)
CLICKS = 4  # under the 5 posts per 10 minutes one address may make


def _form(n):
    return {
        "office": "",
        "problem_type": ProblemType.objects.get(code="attitude").pk,
        "description": f"窗口工作人员态度恶劣，多次推诿不予办理（第{n}次）。",
        "is_anonymous": "anonymous",
        "email": "",
        "website": "",
    }


def _clicks(form, n=CLICKS, address="203.0.113.77"):
    """``n`` posts of ``form`` released at the same instant from one address."""
    statuses, errors = at_once(lambda: Client(REMOTE_ADDR=address).post(reverse("complaints:new"), form).status_code, n)
    assert errors == []
    return statuses


def _double_clicks():
    for round_ in range(5):
        assert _clicks(_form(round_), address=f"203.0.113.{round_ + 1}") == [302] * CLICKS
        assert Complaint.objects.filter(description__endswith=f"（第{round_}次）。").count() == 1, round_


@pytest.mark.services
def test_a_double_click_stores_one_complaint_on_postgresql(phase):
    require_postgresql()
    _double_clicks()


# SQLite as ``make run`` has it (a file, WAL, IMMEDIATE transactions), in a process
# of its own: the tests' in-memory SQLite shares one cache between threads and
# answers "table is locked" instead of waiting, which no deployment does. SQLite's
# IMMEDIATE transactions queue writers already; this keeps it so (a change to
# DEFERRED would let the second click read before the first commits).
SQLITE_RACE = """
import threading
import django
from django.core.management import call_command
from django.test.utils import setup_test_environment

django.setup()
setup_test_environment()
call_command("migrate", verbosity=0)
from django.db import connection
from django.test import Client
from django.urls import reverse
from complaints.models import Complaint, ProblemType

form = {
    "office": "",
    "problem_type": ProblemType.objects.get(code="attitude").pk,
    "description": "窗口工作人员态度恶劣，多次推诿不予办理（SQLite）。",
    "is_anonymous": "anonymous",
    "website": "",
}
start, statuses = threading.Barrier(4), []

def post():
    client = Client(REMOTE_ADDR="203.0.113.99")
    start.wait()
    statuses.append(client.post(reverse("complaints:new"), form).status_code)
    connection.close()

threads = [threading.Thread(target=post) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(statuses), Complaint.objects.count())
"""


def test_a_double_click_stores_one_complaint_on_sqlite(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "campaign_portal.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_RACE], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[-2] == "[302, 302, 302, 302] 1"


def test_the_guard_rows_outlive_the_duplicate_window_only_until_the_sweep(phase):
    _clicks(_form(9), n=1)
    assert SubmissionGuard.objects.count() == 1
    assert prune_duplicate_guards() == 0
    assert prune_duplicate_guards(now=timezone.now() + timezone.timedelta(minutes=11)) == 1
