"""Races the database decides (PostgreSQL only: SQLite serialises writers)."""

import pytest

from complaints.models import Complaint, ProblemType
from rectification import services
from rectification.models import Problem, Rating
from rectification.tests.factories import published, today
from tests.services import at_once, require_postgresql


@pytest.mark.django_db(transaction=True)
def test_parallel_hotspot_checks_raise_one_problem(office_a, phase):
    require_postgresql()
    kind = ProblemType.objects.get_or_create(code="attitude", defaults={"name": "服务态度差"})[0]
    for i in range(3):
        Complaint.objects.create(
            tracking_number=f"TS-2026-8{i:05d}",
            access_code_hash="x",
            office=office_a,
            problem_type=kind,
            description="态度恶劣",
            status="replied",
            substantiated=True,
            received_on=today(),
            accept_limit_days=3,
            complete_limit_days=15,
            accept_due=today(),
            complete_due=today(),
            content_hash=str(i),
        )
    results, errors = at_once(
        lambda: services.hotspot_check(office_id=office_a.pk, problem_type_id=kind.pk, campaign=phase.campaign)
    )
    assert not errors
    assert Problem.objects.filter(is_hotspot=True).count() == 1
    assert len([r for r in results if r is not None]) == 1


@pytest.mark.django_db(transaction=True)
def test_one_browser_rating_twice_at_once_is_counted_once(staff_a, coordinator, phase):
    require_postgresql()
    commitment = published(staff_a, coordinator)
    results, errors = at_once(
        lambda: services.rating_submit(commitment_id=commitment.pk, value="satisfied", browser_token="same", ip=None)
    )
    assert Rating.objects.count() == 1
    # the other thread runs outside the test's language override: check the code, not the words
    assert len(results) == 1 and all(getattr(e, "code", None) == "rated" for e in errors)
