"""The completion matrix (offices × deliverables) and the deliverable reminders."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, PhaseFactory, UserFactory, today
from notifications.models import DeadlineKind, Notification, ReminderRule
from notifications.services import write_due_reminders
from oversight.reminders import DeliverableSource
from oversight.selectors.deliverables import State, cell_state, completion_matrix
from oversight.services import deliverables as services
from oversight.tests.factories import DeliverableFactory, pdf

pytestmark = pytest.mark.django_db
D = dt.timedelta


@pytest.mark.parametrize(
    "latest, due, expected",
    [
        (None, 1, State.MISSING),
        (None, -1, State.OVERDUE),
        ("submitted", -1, State.SUBMITTED),
        ("accepted", -1, State.ACCEPTED),
        ("returned", 1, State.RETURNED),
        ("returned", -1, State.OVERDUE),
    ],
)
def test_cell_states(latest, due, expected):
    assert cell_state(latest, today() + D(days=due), today()) == expected


def test_matrix_shows_every_state_and_blanks_where_it_does_not_apply(
    phase, office_a, office_b, staff_a, staff_b, coordinator
):
    early = DeliverableFactory(phase=phase, offices=[office_a, office_b], due_date=today() - D(days=1), order=1)
    late = DeliverableFactory(phase=phase, offices=[office_a], due_date=today() + D(days=5), order=2)
    s = services.deliverable_submit(deliverable_id=early.pk, actor=staff_a, file=pdf())
    services.submission_accept(submission_id=s.pk, actor=coordinator)
    services.deliverable_submit(deliverable_id=late.pk, actor=staff_a, file=pdf())
    matrix = completion_matrix(phase=phase, today=today())
    assert [d.pk for d in matrix.deliverables] == [early.pk, late.pk]
    rows = {row.office_id: [cell.state if cell else None for cell in row.cells] for row in matrix.rows}
    assert rows == {office_a.pk: [State.ACCEPTED, State.SUBMITTED], office_b.pk: [State.OVERDUE, None]}
    assert matrix.totals == {"missing": 0, "submitted": 1, "accepted": 1, "returned": 0, "overdue": 1}


def test_matrix_filters_by_office_and_state(phase, office_a, office_b):
    DeliverableFactory(phase=phase, offices=[office_a, office_b], due_date=today() - D(days=1))
    assert [r.office_id for r in completion_matrix(phase=phase, today=today(), office_id=office_b.pk).rows] == [
        office_b.pk
    ]
    assert completion_matrix(phase=phase, today=today(), state=State.ACCEPTED).rows == []
    assert len(completion_matrix(phase=phase, today=today(), state=State.OVERDUE).rows) == 2


@pytest.mark.parametrize("n", [5, 50])
def test_matrix_page_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n)]
    deliverables = [DeliverableFactory(phase=phase, offices=offices, due_date=today() + D(days=i)) for i in range(3)]
    for office in offices[::2]:
        user = UserFactory(office=office, role=Role.OFFICE_STAFF)
        services.deliverable_submit(deliverable_id=deliverables[0].pk, actor=user, file=pdf())
    client.force_login(coordinator)
    client.get(reverse("oversight-staff:deliverables"))
    # session, user, permissions x2, inbox badge, campaign, phases, the office filter's choices,
    # the phase's deliverables, every (deliverable, office) pair with its latest version
    with django_assert_num_queries(10):
        response = client.get(reverse("oversight-staff:deliverables"))
    assert len(response.context["matrix"].rows) == n


def test_matrix_page_picks_a_phase_and_filters(client, coordinator, campaign, phase, office_a, office_b):
    other = PhaseFactory(
        campaign=campaign, order=9, start_date=phase.end_date + D(days=1), end_date=phase.end_date + D(days=10)
    )
    d = DeliverableFactory(phase=other, offices=[office_a, office_b], due_date=other.end_date, title="总结报告")
    client.force_login(coordinator)
    response = client.get(reverse("oversight-staff:deliverables"))
    assert response.context["phase"] == phase and response.context["matrix"].is_empty
    response = client.get(reverse("oversight-staff:deliverables"), {"phase": other.pk, "office": office_b.pk})
    html = response.content.decode()
    assert "总结报告" in html and f'data-testid="cell-{office_b.pk}-{d.pk}"' in html
    assert f'data-testid="matrix-row-{office_a.pk}"' not in html
    response = client.get(reverse("oversight-staff:deliverables"), {"office": "not-a-number"})
    assert response.status_code == 200 and response.context["filters"].errors["office"]


def test_supervisors_read_the_matrix_but_cannot_review(client, supervisor, phase, office_a, staff_a):
    d = DeliverableFactory(phase=phase, offices=[office_a])
    s = services.deliverable_submit(deliverable_id=d.pk, actor=staff_a, file=pdf())
    client.force_login(supervisor)
    assert client.get(reverse("oversight-staff:deliverables")).status_code == 200
    response = client.get(reverse("oversight-staff:deliverable-cell", args=[d.pk, office_a.pk]))
    assert response.status_code == 200 and response.context["review_form"] is None
    assert (
        client.post(reverse("oversight-staff:submission-review", args=[s.pk]), {"decision": "accept"}).status_code
        == 403
    )


# --- Reminders ------------------------------------------------------------------------------
def test_the_reminder_sweep_finds_deliverable_sources():
    from notifications.sources import all_sources

    assert any(isinstance(source, DeliverableSource) for source in all_sources())
    assert ReminderRule.objects.filter(kind=DeadlineKind.DELIVERABLE).exists()


def test_offices_are_reminded_until_a_version_is_in(phase, office_a, office_b, staff_a, staff_b, coordinator):
    d = DeliverableFactory(phase=phase, offices=[office_a, office_b], due_date=today() + D(days=3), title="问题清单")
    services.deliverable_submit(deliverable_id=d.pk, actor=staff_a, file=pdf())
    items = list(DeliverableSource().items(today(), today() + D(days=7)))
    assert [item.office for item in items] == [office_b]
    assert "问题清单" in items[0].title
    assert items[0].link == reverse("oversight-staff:deliverable-cell", args=[d.pk, office_b.pk])

    created = write_due_reminders(today())
    assert created[(DeadlineKind.DELIVERABLE, "before-3")] == 1
    notice = Notification.objects.get(kind=DeadlineKind.DELIVERABLE)
    assert notice.recipient == staff_b
    # A second sweep writes nothing new.
    write_due_reminders(today())
    assert Notification.objects.filter(kind=DeadlineKind.DELIVERABLE).count() == 1


def test_a_returned_deliverable_is_reminded_again_and_an_accepted_one_is_not(phase, office_a, staff_a, coordinator):
    d = DeliverableFactory(phase=phase, offices=[office_a], due_date=today() + D(days=1))
    s = services.deliverable_submit(deliverable_id=d.pk, actor=staff_a, file=pdf())
    services.submission_return(submission_id=s.pk, actor=coordinator, comment="补充")
    assert len(list(DeliverableSource().items(today(), today() + D(days=7)))) == 1
    s = services.deliverable_submit(deliverable_id=d.pk, actor=staff_a, file=pdf())
    services.submission_accept(submission_id=s.pk, actor=coordinator)
    assert list(DeliverableSource().items(today(), today() + D(days=7))) == []
