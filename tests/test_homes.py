"""Each role lands on its own work (/staff/, campaigns/home.py): the complaint
centre on its intake, an office on its tasks, complaints, commitments and
deliverables, the campaign office on what waits for its review and the offices
that are late, a supervisor on what is late, read-only. Every count links to the
list that shows exactly those, and every home costs the same queries at 5 rows
as at 50."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.home import panels_for
from campaigns.tests.factories import TaskFactory, today
from complaints import services as complaint_services
from complaints.models import Complaint
from complaints.tests.factories import submit, walk_to
from oversight.services import deliverables as deliverable_services
from oversight.tests.factories import DeliverableFactory, pdf
from rectification.models import Commitment
from rectification.tests.factories import approved_plan, claim

pytestmark = pytest.mark.django_db
HOME = reverse("staff:workspace")
PAST = today() - dt.timedelta(days=20)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def counts(response) -> dict:
    return {c.key: c for panel in response.context["panels"] for c in panel.counts}


def panel_keys(response) -> list[str]:
    return [panel.key for panel in response.context["panels"]]


def shown(client, url: str) -> int:
    """How many rows the list at ``url`` shows, as its own page counts them."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "page" in context:
        return context["page"].paginator.count
    if "cells" in context:
        return len(context["cells"])
    if "matrix" in context:
        return context["matrix"].totals[context["state"]]
    if "groups" in context:
        return context["counts"][context["state"]]
    raise AssertionError(f"no list at {url}")


def assert_each_count_is_its_list(client, response, *, skip=("late-offices",)):
    for key, c in counts(response).items():
        if key not in skip:
            assert shown(client, c.url) == c.value, (key, c.url)


@pytest.fixture
def world(phase, office_a, office_b, centre_staff, staff_a, staff_b, coordinator, supervisor):
    """Work of every kind, at every stage, in the current campaign."""
    late_to_accept, _ = submit(office=office_a, description="窗口人员态度恶劣，推诿不办。")
    Complaint.objects.filter(pk=late_to_accept.pk).update(accept_due=PAST, complete_due=PAST + dt.timedelta(days=10))
    submit(office=office_a, description="补贴申请材料多次被退回。", ip="203.0.113.9")
    offered, _ = submit(office=office_a, description="办事大厅取号系统长期故障。", ip="203.0.113.10")
    walk_to("accepted", offered, centre=centre_staff)
    complaint_services.complaint_transfer_request(complaint_id=offered.pk, actor=centre_staff, to_office=office_b)
    late_at_b, _ = submit(office=office_a, description="承诺时限内未办结审批事项。", ip="203.0.113.11")
    walk_to("assigned", late_at_b, centre=centre_staff, handler=staff_b, handling_office=office_b)
    yesterday = today() - dt.timedelta(days=1)
    Complaint.objects.filter(pk=late_at_b.pk).update(accept_due=yesterday, complete_due=yesterday)
    replied, _ = submit(office=office_a, description="窗口工作人员上班时间玩手机。", ip="203.0.113.12")
    walk_to("replied", replied, centre=centre_staff, handler=staff_b, handling_office=office_b, substantiated=True)

    TaskFactory(phase=phase, lead=office_b, deadline=today() - dt.timedelta(days=2), title="梳理办事流程")
    TaskFactory(phase=phase, lead=office_b, co_offices=[office_a], deadline=today() + dt.timedelta(days=3))
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=30))

    _plan, (overdue, to_verify) = approved_plan(staff_b, coordinator, n=2)
    Commitment.objects.filter(pk=overdue.pk).update(deadline=today() - dt.timedelta(days=1))
    claim(staff_b, to_verify)

    late = DeliverableFactory(phase=phase, offices=[office_a, office_b], due_date=today() - dt.timedelta(days=1))
    waiting = DeliverableFactory(phase=phase, offices=[office_b], due_date=today() + dt.timedelta(days=5))
    deliverable_services.deliverable_submit(deliverable_id=waiting.pk, actor=staff_b, file=pdf())
    return {"late": late}


def test_a_home_needs_a_login(client):
    response = client.get(HOME)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_complaint_centre_lands_on_its_intake(client, world, centre_staff):
    client.force_login(centre_staff)
    response = client.get(HOME)
    assert panel_keys(response) == ["centre"]
    found = {key: c.value for key, c in counts(response).items()}
    assert found == {
        "to-accept": 2,
        "with-centre": 1,  # the one offered to office B, not yet accepted there
        "overdue": 2,
        "transfers": 1,
        "to-close": 1,
        "cases": 1,
    }
    intake = response.context["panels"][0].lists[0][1]
    assert [c.accept_due for c in intake][0] == PAST  # the most urgent first
    assert_each_count_is_its_list(client, response)


def test_an_office_lands_on_its_tasks_complaints_commitments_and_deliverables(client, world, staff_b):
    client.force_login(staff_b)
    response = client.get(HOME)
    assert panel_keys(response) == ["tasks", "complaints", "commitments", "deliverables"]
    found = {key: c.value for key, c in counts(response).items()}
    assert found == {
        "tasks-overdue": 1,
        "tasks-soon": 1,
        "tasks-later": 0,
        "office-complaints": 2,
        "office-overdue": 1,
        "offered": 1,
        "commitments-overdue": 1,
        "commitments-sent-back": 0,
        "commitments-reopened": 0,
        "deliverables-overdue": 1,
        "deliverables-returned": 0,
        "deliverables-due": 0,
    }
    html = response.content.decode()
    assert "梳理办事流程" in html and world["late"].title in html  # listed with their due dates
    assert_each_count_is_its_list(client, response)


def test_the_campaign_office_lands_on_what_waits_for_its_review_and_who_is_late(
    client, world, coordinator, office_a, office_b
):
    client.force_login(coordinator)
    response = client.get(HOME)
    # the campaign office is an office too: after the campaigns it plans, its own
    # tasks, complaints and deliverables first
    assert panel_keys(response) == ["planning", "tasks", "complaints", "deliverables", "review", "late"]
    phase = world["late"].phase
    found = {key: c.value for key, c in counts(response).items()}
    expected = {
        "plans-submitted": 0,
        "to-verify": 1,
        "lookback": 0,
        "to-moderate": 0,
        f"deliverables-to-review-{phase.pk}": 1,
        "late-tasks": 1,
        "late-complaints": 2,
        "late-commitments": 1,
        f"late-deliverables-{phase.pk}": 2,
        "late-offices": 2,
    }
    assert {key: found[key] for key in expected} == expected
    late = next(panel for panel in response.context["panels"] if panel.key == "late")
    rows = late.lists[0][1]
    assert [(row.office_name, row.tasks, row.commitments, row.deliverables) for row in rows] == [
        (office_b.name, 1, 1, 1),  # the latest first
        (office_a.name, 0, 0, 1),
    ]
    assert_each_count_is_its_list(client, response)


def test_a_supervisor_lands_on_what_is_late_and_can_act_on_none_of_it(client, world, supervisor):
    client.force_login(supervisor)
    response = client.get(HOME)
    assert panel_keys(response) == ["late"]
    assert set(counts(response)) >= {"late-tasks", "late-complaints", "late-commitments"}
    assert counts(response)["late-complaints"].value == 2
    assert "<form" not in response.content.decode().split("<main")[1]
    assert_each_count_is_its_list(client, response)


def test_someone_with_nothing_to_do_is_told_so(client, phase, office_a):
    from campaigns.roles import Role
    from campaigns.tests.factories import UserFactory

    client.force_login(UserFactory(office=office_a, role=Role.OFFICE_STAFF))
    response = client.get(HOME)
    assert all(c.value == 0 for c in counts(response).values())


def test_new_notices_follow_the_work_on_the_home(client, world, centre_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(office=None, description="热线转来：办事窗口不一次性告知。", ip="203.0.113.50")
    client.force_login(centre_staff)
    response = client.get(HOME)
    assert panel_keys(response) == ["centre", "inbox"]
    assert counts(response)["unread"].value == 1
    assert "New complaint" in response.content.decode()
    assert_each_count_is_its_list(client, response)


def test_panels_follow_permissions_so_two_roles_get_both(world, centre_staff, office_b):
    from django.contrib.auth.models import Group

    centre_staff.office = office_b
    centre_staff.save()
    centre_staff.groups.add(Group.objects.get(name="office_staff"))
    centre_staff = type(centre_staff).objects.get(pk=centre_staff.pk)  # permissions read afresh
    keys = [panel.key for panel in panels_for(centre_staff, timezone.localdate())]
    assert keys[:2] == ["centre", "tasks"]


# --- Query budgets: the same at 5 rows as at 50 ------------------------------------------------
def _many(n, phase, office_a, office_b, centre_staff, staff_b, coordinator):
    for i in range(n):
        complaint, _ = submit(office=office_a, description=f"窗口态度恶劣，第{i}次推诿。", ip=f"198.51.100.{i}")
        if i % 2:
            walk_to("assigned", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
        TaskFactory(phase=phase, lead=office_b, deadline=today() + dt.timedelta(days=i - n // 2))
    approved_plan(staff_b, coordinator, n=n)
    for i in range(n):
        DeliverableFactory(phase=phase, offices=[office_b], due_date=today() + dt.timedelta(days=i - n // 2))


@pytest.mark.parametrize("n", [5, 50])
def test_the_centres_home_query_budget(
    client, n, phase, office_a, office_b, centre_staff, staff_b, coordinator, django_assert_num_queries
):
    _many(n, phase, office_a, office_b, centre_staff, staff_b, coordinator)
    client.force_login(centre_staff)
    client.get(HOME)  # the header's current campaign, cached after the first page
    # session, user, user's and group permissions (4); six bounded counts and the
    # intake's rows (7); unread notices for the home (1); the inbox badge and the
    # user's office in the header (2)
    with django_assert_num_queries(14):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_an_offices_home_query_budget(
    client, n, phase, office_a, office_b, centre_staff, staff_b, coordinator, django_assert_num_queries
):
    _many(n, phase, office_a, office_b, centre_staff, staff_b, coordinator)
    client.force_login(staff_b)
    client.get(HOME)
    # session, user, user's and group permissions (4); tasks by urgency, the urgent
    # ones (2); complaints: the rows, three bounded counts (4); the plan, three
    # bounded counts of commitments (4); unread notices (1); deliverables with
    # their latest versions (1); the inbox badge and the user's office (2)
    with django_assert_num_queries(18):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_the_campaign_offices_home_query_budget(
    client, n, phase, office_a, office_b, centre_staff, staff_b, coordinator, django_assert_num_queries
):
    _many(n, phase, office_a, office_b, centre_staff, staff_b, coordinator)
    client.force_login(coordinator)
    client.get(HOME)
    # session, user, user's and group permissions (4); its own office's tasks by
    # urgency and the urgent ones, tasks late everywhere (3); its own office's
    # complaints: rows and three counts, complaints late everywhere (5); review:
    # settings, plans, completions, look-back, comments, then commitments late (6);
    # unread notices (1); its own office's deliverables (1); deliverables waiting
    # for review (1: none, so no phases), overdue and their phases (2); late
    # offices: tasks, commitments and their ratings, deliverables, names (5); the
    # inbox badge and the user's office (2); the campaigns it plans, with their
    # phase and task counts (1)
    with django_assert_num_queries(31):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_a_supervisors_home_query_budget(
    client, n, phase, office_a, office_b, centre_staff, staff_b, coordinator, supervisor, django_assert_num_queries
):
    _many(n, phase, office_a, office_b, centre_staff, staff_b, coordinator)
    client.force_login(supervisor)
    client.get(HOME)
    # session, user, user's and group permissions (4); tasks, complaints and
    # commitments late (3); unread notices (1); deliverables overdue and their
    # phases (2); late offices: tasks, commitments and their ratings, deliverables,
    # names (5); the inbox badge (1)
    with django_assert_num_queries(16):
        assert client.get(HOME).status_code == 200
