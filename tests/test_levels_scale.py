"""Scope at the size of a province: the reach is a subquery on the user's office and
a prefix match on the materialised path, so the staff lists cost the same number
of queries with 5 offices as with 3,000 in a five-level tree (campaigns/scope.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import scope
from campaigns.models import Office, rebuild_paths
from campaigns.roles import Role
from campaigns.tests.factories import TaskFactory, UserFactory
from complaints.tests.factories import submit

pytestmark = pytest.mark.django_db

Level = Office.Level


def province(total: int) -> dict[str, Office | None]:
    """A province, its cities, their districts, townships and departments: ``total`` offices."""
    levels = [Level.CITY, Level.DISTRICT, Level.TOWNSHIP, Level.DEPARTMENT]
    top = Office.objects.create(name="广东省", level=Level.PROVINCE)
    rows, frontier, n = [], [top], 1
    depth = 0
    while n < total:
        level = levels[min(depth, len(levels) - 1)]
        made = []
        for parent in frontier:
            for i in range(4 if depth < 3 else 8):
                if n >= total:
                    break
                made.append(Office(name=f"{parent.name[:20]}-{depth}-{i}-{n}", level=level, parent=parent))
                n += 1
        rows.extend(Office.objects.bulk_create(made))
        frontier, depth = made, depth + 1
    rebuild_paths()
    first_city = Office.objects.filter(parent=top).order_by("pk").first()
    district = Office.objects.filter(parent=first_city).order_by("pk").first()
    return {"top": top, "city": first_city, "district": district}


PAGES = ["staff:tasks", "complaints-staff:queue", "rectification-staff:commitments", "oversight-staff:dashboard"]


@pytest.mark.parametrize("total", [5, 3000])
def test_a_districts_lists_cost_the_same_queries_at_5_and_3000_offices(client, campaign, phase, total):
    tree = province(total)
    district = tree["district"] or tree["city"]
    office = Office.objects.create(name="区效能办", parent=district)
    other = Office.objects.exclude(path__startswith=district.path).exclude(pk=tree["top"].pk).first()
    TaskFactory(phase=phase, lead=office)
    submit(office=office)
    if other is not None:
        TaskFactory(phase=phase, lead=other)
        submit(office=other)
    user = UserFactory(office=office, role=Role.CAMPAIGN_OFFICE)
    user.groups.add(Group.objects.get(name=Role.COMPLAINT_CENTRE))
    reach = set(scope.offices(user).values_list("pk", flat=True))
    assert reach == set(Office.objects.filter(path__startswith=district.path).values_list("pk", flat=True))
    client.force_login(user)
    counts = {}
    for name in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(queries)
    # The dashboard read by level: each township of the district one row, whatever their number.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("oversight-staff:dashboard"), {"view": "levels"})
    assert response.status_code == 200
    counts["by level"] = len(queries)
    # Measured at 5 offices; the same at 3,000 (the office filters list only the reach).
    assert counts == EXPECTED, counts


#: Measured with 5 offices and held with 3,000: no query of the scope's own (the
#: reach is a subquery inside each list's queries), none per office.
EXPECTED = {
    "staff:tasks": 13,
    "complaints-staff:queue": 8,
    "rectification-staff:commitments": 8,
    "oversight-staff:dashboard": 18,
    "by level": 20,  # the dashboard's, then the offices under the level read and the trail of levels
}
