"""The campaign dashboard and the office dashboard."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, TaskFactory, UserFactory, today
from complaints.models import Complaint
from oversight.services import deliverables as services
from oversight.tests.factories import DeliverableFactory, complaint_about, pdf

pytestmark = pytest.mark.django_db
URL = "oversight-staff:dashboard"


def _offices_with_everything(phase, n, coordinator):
    """n offices, each with a task, a complaint, a deliverable, a published commitment with
    a public rating, and a place in a published appraisal survey."""
    from evaluations.models import Survey
    from evaluations.tests.factories import cast_counts, group, make_survey
    from rectification.tests.factories import published, ratings

    offices = [OfficeFactory() for _ in range(n)]
    deliverable = DeliverableFactory(phase=phase, offices=offices, due_date=today() - dt.timedelta(days=1))
    for i, office in enumerate(offices):
        TaskFactory(phase=phase, lead=office, deadline=today() - dt.timedelta(days=i % 3))
        complaint_about(office, status="closed", on_time=bool(i % 2), rating="satisfied", ip=f"198.51.100.{i + 1}")
        user = UserFactory(office=office, role=Role.OFFICE_STAFF)
        if i % 2:
            services.deliverable_submit(deliverable_id=deliverable.pk, actor=user, file=pdf())
        ratings(published(user, coordinator), "satisfied", "dissatisfied")
    survey = make_survey(phase.campaign, offices, status=Survey.Status.PUBLISHED, min_valid_responses=1)
    cast_counts(survey, group(survey), {office: (i % 3 + 1, 1, 0, 0) for i, office in enumerate(offices)})
    return offices


@pytest.mark.parametrize("n", [5, 50])
def test_dashboard_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    _offices_with_everything(phase, n, coordinator)
    client.force_login(coordinator)
    client.get(reverse(URL))  # the header's current campaign is cached from the first page on
    # session, user, permissions (user's + groups'), inbox badge, campaign;
    # scorecard: tasks, complaints, commitments, commitment ratings (one aggregate each),
    # appraisal (latest published survey, its groups, offices, answers, ballots), deliverables,
    # offices; phases with task counts, phases' deliverables; trends: complaints received and
    # closed per day, commitments completed per day
    with django_assert_num_queries(22):
        response = client.get(reverse(URL))
    assert response.status_code == 200
    assert len(response.context["table_rows"]) == n
    row = response.context["table_rows"][0][0]
    assert row.commitments.made == 1 and row.commitments.rated == 2 and row.appraisal.rank is not None


def test_dashboard_shows_the_figures_with_links_and_definitions(client, coordinator, phase, office_a, office_b):
    TaskFactory(phase=phase, lead=office_a, deadline=today() - dt.timedelta(days=1))
    complaint_about(office_a, status="closed", on_time=True, rating="satisfied")
    DeliverableFactory(phase=phase, offices=[office_a, office_b], due_date=today() - dt.timedelta(days=2))
    client.force_login(coordinator)
    html = client.get(reverse(URL)).content.decode()
    cell = re.search(rf'data-testid="cell-{office_a.pk}-tasks-overdue">(\d+)<', html)
    assert cell and cell.group(1) == "1"
    tasks = f'href="/staff/tasks/?office={office_a.pk}&amp;state=overdue" data-testid="cell-{office_a.pk}-tasks-overdue'
    assert tasks in html
    assert (
        f'href="/staff/complaints/?office={office_a.pk}&amp;status=closed" '
        f'data-testid="cell-{office_a.pk}-complaints-closed"'
    ) in html
    assert f'href="/staff/deliverables/?office={office_b.pk}&amp;state=overdue"' in html
    assert 'data-testid="legend"' in html and 'id="def-complaints-satisfaction"' in html
    assert 'title="Closed complaints whose reply was sent within the completion time limit' in html


def test_dashboard_charts_read_a_data_island_and_have_their_numbers_in_a_table(client, coordinator, phase, office_a):
    complaint_about(office_a, status="closed", on_time=True)
    Complaint.objects.update(closed_at=dt.datetime.now(dt.UTC))
    client.force_login(coordinator)
    response = client.get(reverse(URL))
    html = response.content.decode()
    island = re.search(r'<script id="oversight-charts" type="application/json">(.*?)</script>', html, re.S)
    data = json.loads(island.group(1))
    series = {s["key"]: s["values"] for s in data["trend-0"]["series"]}
    assert sum(series["received"]) == 1 and sum(series["closed"]) == 1
    assert 'data-testid="trend-table-0"' in html
    # No inline script: every <script> either loads a static file or is the JSON island.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert " style=" not in html


def test_dashboard_sorts_by_a_column_with_empty_figures_last(client, coordinator, phase, office_a, office_b):
    complaint_about(office_a, status="closed", rating="dissatisfied")
    complaint_about(office_b, status="closed", rating="satisfied")
    third = OfficeFactory(name="zzz")
    TaskFactory(phase=phase, lead=third)
    client.force_login(coordinator)
    rows = client.get(reverse(URL), {"sort": "-complaints-satisfaction"}).context["table_rows"]
    assert [row.office_id for row, _cells in rows] == [office_b.pk, office_a.pk, third.pk]
    rows = client.get(reverse(URL), {"sort": "complaints-satisfaction"}).context["table_rows"]
    assert [row.office_id for row, _cells in rows] == [office_a.pk, office_b.pk, third.pk]
    # An unknown sort falls back to the office name.
    assert client.get(reverse(URL), {"sort": "bogus"}).context["sort"] == "office"


def test_supervisors_see_the_dashboard_with_links_to_the_complaints_they_read(client, supervisor, phase, office_a):
    complaint_about(office_a)
    client.force_login(supervisor)
    html = client.get(reverse(URL)).content.decode()
    link = f'href="/staff/complaints/?office={office_a.pk}" data-testid="cell-{office_a.pk}-complaints-received">1</a>'
    assert link in html


def test_office_staff_cannot_open_the_campaign_dashboard(client, staff_a, campaign):
    client.force_login(staff_a)
    assert client.get(reverse(URL)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, campaign):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_no_current_campaign_is_explained(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse(URL))
    assert response.status_code == 200 and b"No current campaign" in response.content


# --- Office dashboard -----------------------------------------------------------------------
OFFICE_URL = "oversight-staff:office-dashboard"


def test_office_dashboard_shows_what_needs_action_first(client, staff_a, phase, office_a, centre_staff):
    task = TaskFactory(phase=phase, lead=office_a, deadline=today() - dt.timedelta(days=2), title="逾期任务")
    DeliverableFactory(phase=phase, offices=[office_a], title="问题清单", due_date=today() - dt.timedelta(days=1))
    client.force_login(staff_a)
    response = client.get(reverse(OFFICE_URL))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('data-testid="needs-action"') < html.index('data-testid="scorecard"')
    assert "逾期任务" in html and reverse("staff:task-detail", args=[task.pk]) in html
    assert "问题清单" in html
    assert len(response.context["table_rows"]) == 1


def test_office_dashboard_lists_overdue_complaints_the_office_handles(
    client, staff_b, centre_staff, office_a, office_b, campaign
):
    from complaints.tests.factories import walk_to

    complaint = complaint_about(office_a)
    complaint = walk_to("investigating", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    Complaint.objects.filter(pk=complaint.pk).update(
        accept_due=today() - dt.timedelta(days=5), complete_due=today() - dt.timedelta(days=1)
    )
    client.force_login(staff_b)
    html = client.get(reverse(OFFICE_URL)).content.decode()
    assert complaint.tracking_number in html


def test_office_staff_cannot_open_another_office_dashboard(client, staff_a, office_b, campaign):
    client.force_login(staff_a)
    assert client.get(reverse(OFFICE_URL), {"office": office_b.pk}).status_code == 404
    assert client.get(reverse(OFFICE_URL), {"office": staff_a.office_id}).status_code == 200


def test_the_campaign_office_opens_any_office_dashboard(client, coordinator, office_b, campaign):
    client.force_login(coordinator)
    response = client.get(reverse(OFFICE_URL), {"office": office_b.pk})
    assert response.status_code == 200 and response.context["office"] == office_b
    assert client.get(reverse(OFFICE_URL), {"office": 999999}).status_code == 404


def test_a_user_without_an_office_has_no_office_dashboard(client, supervisor, campaign):
    client.force_login(supervisor)
    assert client.get(reverse(OFFICE_URL)).status_code == 403


def test_office_staff_get_no_link_to_complaints_about_their_own_office(client, staff_a, office_a, campaign):
    complaint_about(office_a)
    client.force_login(staff_a)
    html = client.get(reverse(OFFICE_URL)).content.decode()
    assert f'<span data-testid="cell-{office_a.pk}-complaints-received">1</span>' in html


@pytest.mark.parametrize("n", [5, 50])
def test_office_dashboard_query_budget(client, phase, n, django_assert_num_queries):
    office = OfficeFactory()
    user = UserFactory(office=office, role=Role.OFFICE_STAFF)
    deliverables = [
        DeliverableFactory(phase=phase, offices=[office], due_date=today() - dt.timedelta(days=1)) for _ in range(n)
    ]
    for _ in range(n):
        TaskFactory(phase=phase, lead=office, deadline=today() - dt.timedelta(days=1))
    client.force_login(user)
    client.get(reverse(OFFICE_URL))
    # 20 queries: session, user, perms x2, office, campaign; scorecard: tasks, complaints,
    # commitments, ratings, latest survey, deliverables, offices; the office's deliverables, overdue tasks,
    # overdue complaints (late acceptance, late completion, pending transfers: each from its
    # own index, see _overdue_complaints), overdue commitments, inbox badge
    with django_assert_num_queries(20):
        response = client.get(reverse(OFFICE_URL))
    assert len(response.context["overdue_tasks"]) == n and len(response.context["deliverables"]) == len(deliverables)


def test_late_complaints_of_an_office_soonest_due_first_from_each_kind_of_lateness(
    coordinator, office_a, office_b, campaign
):
    """Late acceptance, late completion and pending transfers each come from their own
    index-ordered query; together, soonest due first and at most ``limit``."""
    from oversight.views.dashboard import _overdue_complaints

    def complaint(status, *, accept_days, complete_days, **fields):
        c = complaint_about(office_a)
        Complaint.objects.filter(pk=c.pk).update(
            status=status,
            handling_office=fields.pop("handling", office_b),
            accept_due=today() + dt.timedelta(days=accept_days),
            complete_due=today() + dt.timedelta(days=complete_days),
            **fields,
        )
        return c.pk

    late_accept = complaint("registered", accept_days=-3, complete_days=10)
    late_complete = complaint("investigating", accept_days=-20, complete_days=-1)
    very_late = complaint("assigned", accept_days=-30, complete_days=-9)
    pending = complaint("registered", accept_days=-2, complete_days=10, handling=None, pending_transfer_to=office_b)
    complaint("investigating", accept_days=-10, complete_days=2)  # not late yet
    complaint("replied", accept_days=-30, complete_days=-9)  # waits for nobody
    complaint("investigating", accept_days=-30, complete_days=-9, paused_since=today())  # clock stopped
    late = [c.pk for c in _overdue_complaints(coordinator, office_b.pk, today())]
    assert late == [very_late, late_accept, pending, late_complete]
    assert [c.pk for c in _overdue_complaints(coordinator, office_b.pk, today(), limit=2)] == [very_late, late_accept]


@pytest.mark.parametrize("n", [5, 50])
def test_dashboard_by_level_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    """The city read by level: n districts, each one row adding up its office's figures."""
    from campaigns.models import Office

    city = OfficeFactory(name="市", level=Office.Level.CITY)
    for i, office in enumerate(_offices_with_everything(phase, n, coordinator)):
        office.parent = OfficeFactory(name=f"区{i:02d}", level=Office.Level.DISTRICT, parent=city)
        office.save()
    client.force_login(coordinator)
    query = {"view": "levels", "node": city.pk}
    client.get(reverse(URL), query)
    # The dashboard's 22 (test_dashboard_query_budget), then the level named in the address,
    # the offices under it (pk, name, paths, level: one query), and the levels from the top down to it
    with django_assert_num_queries(25):
        response = client.get(reverse(URL), query)
    rows = [row for row, _cells in response.context["table_rows"]]
    assert len(rows) == n and all(row.offices == 1 for row in rows)
    assert response.context["total_row"][0].tasks.total == n
