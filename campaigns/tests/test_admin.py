"""The Django admin is how the campaign office changes the campaign: phases inline
on the campaign, offices inline on the task, every rule checked before saving."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import AuditEvent, Campaign, Task, TaskAssignment
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _campaign_post(campaign, phases):
    data = {
        "name": campaign.name,
        "year": campaign.year,
        "description": campaign.description,
        "start_date": campaign.start_date.isoformat(),
        "end_date": campaign.end_date.isoformat(),
        "status": campaign.status,
        "is_current": "on" if campaign.is_current else "",
        "office": campaign.office_id or "",
        "phases-TOTAL_FORMS": len(phases),
        "phases-INITIAL_FORMS": sum(1 for p in phases if p.get("id")),
        "phases-MIN_NUM_FORMS": 0,
        "phases-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for i, phase in enumerate(phases):
        for key, value in phase.items():
            data[f"phases-{i}-{key}"] = value
        data[f"phases-{i}-campaign"] = campaign.pk
    return data


def _phase_row(phase, **changes):
    row = {
        "id": phase.pk,
        "order": phase.order,
        "name": phase.name,
        "start_date": phase.start_date.isoformat(),
        "end_date": phase.end_date.isoformat(),
        "goal": phase.goal,
    }
    row.update(changes)
    return row


@pytest.fixture
def two_phases(campaign):
    first = PhaseFactory(
        campaign=campaign,
        order=1,
        name="动员部署",
        start_date=campaign.start_date,
        end_date=campaign.start_date + dt.timedelta(days=29),
    )
    second = PhaseFactory(
        campaign=campaign,
        order=2,
        name="整改提高",
        start_date=campaign.start_date + dt.timedelta(days=30),
        end_date=campaign.end_date,
    )
    return first, second


def test_admin_swaps_the_order_of_two_phases(client, admin_user, campaign, two_phases):
    # Reordering moves the dates with the order: the second phase now runs first.
    first, second = two_phases
    client.force_login(admin_user)
    split = campaign.end_date - dt.timedelta(days=29)
    response = client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        _campaign_post(
            campaign,
            [
                _phase_row(first, order=2, start_date=split.isoformat(), end_date=campaign.end_date.isoformat()),
                _phase_row(
                    second,
                    order=1,
                    start_date=campaign.start_date.isoformat(),
                    end_date=(split - dt.timedelta(days=1)).isoformat(),
                ),
            ],
        ),
    )
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (2, 1)


def test_admin_refuses_overlapping_phases_and_saves_nothing(client, admin_user, campaign, two_phases):
    first, second = two_phases
    client.force_login(admin_user)
    overlap_end = (second.start_date + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        _campaign_post(campaign, [_phase_row(first, end_date=overlap_end, name="Renamed"), _phase_row(second)]),
    )
    assert response.status_code == 200
    assert "overlaps" in response.content.decode() or "重叠" in response.content.decode()
    first.refresh_from_db()
    assert first.name == "动员部署" and first.end_date == campaign.start_date + dt.timedelta(days=29)


def test_admin_refuses_a_phase_outside_the_campaign(client, admin_user, campaign, two_phases):
    first, second = two_phases
    client.force_login(admin_user)
    too_late = (campaign.end_date + dt.timedelta(days=10)).isoformat()
    response = client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        _campaign_post(campaign, [_phase_row(first), _phase_row(second, end_date=too_late)]),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "end_date" in formset.forms[1].errors
    second.refresh_from_db()
    assert second.end_date == campaign.end_date


def test_admin_refuses_shrinking_a_campaign_past_its_phases(client, admin_user, campaign, two_phases):
    first, second = two_phases
    client.force_login(admin_user)
    data = _campaign_post(campaign, [_phase_row(first), _phase_row(second)])
    data["end_date"] = (campaign.end_date - dt.timedelta(days=5)).isoformat()
    response = client.post(reverse("admin:campaigns_campaign_change", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert Campaign.objects.get(pk=campaign.pk).end_date == campaign.end_date


def test_admin_refuses_a_second_current_campaign(client, admin_user, campaign):
    other = CampaignFactory(name="2027")
    other.is_current = True
    client.force_login(admin_user)
    response = client.post(reverse("admin:campaigns_campaign_change", args=[other.pk]), _campaign_post(other, []))
    assert response.status_code == 200
    assert "is_current" in response.context["adminform"].form.errors
    assert Campaign.objects.filter(is_current=True).get() == campaign


def test_admin_action_makes_a_campaign_current(client, admin_user, campaign):
    other = CampaignFactory(name="2027")
    client.force_login(admin_user)
    client.post(
        reverse("admin:campaigns_campaign_changelist"), {"action": "make_current", "_selected_action": [other.pk]}
    )
    assert Campaign.objects.filter(is_current=True).get() == other
    assert AuditEvent.objects.filter(verb="campaign.make_current").exists()


def _task_post(task, phase, assignments, **changes):
    data = {
        "phase": phase.pk,
        "number": task.number if task else 1,
        "title": task.title if task else "新任务",
        "description": "",
        "deadline": (task.deadline if task else phase.end_date).isoformat(),
        "assignments-TOTAL_FORMS": len(assignments),
        "assignments-INITIAL_FORMS": sum(1 for a in assignments if a.get("id")),
        "assignments-MIN_NUM_FORMS": 0,
        "assignments-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    data.update(changes)
    for i, row in enumerate(assignments):
        for key, value in row.items():
            data[f"assignments-{i}-{key}"] = value
    return data


def test_admin_creates_a_task_with_one_lead_and_co_offices(client, admin_user, phase):
    lead, co1, co2 = OfficeFactory(), OfficeFactory(), OfficeFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:campaigns_task_add"),
        _task_post(
            None,
            phase,
            [
                {"office": lead.pk, "role": "lead"},
                {"office": co1.pk, "role": "co"},
                {"office": co2.pk, "role": "co", "due_date": (phase.end_date - dt.timedelta(days=5)).isoformat()},
            ],
        ),
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.assignments.get(role="lead").office == lead
    assert task.assignments.filter(role="co").count() == 2


@pytest.mark.parametrize("roles", [["co", "co"], ["lead", "lead"], []])
def test_admin_refuses_a_task_without_exactly_one_lead(client, admin_user, phase, roles):
    offices = [OfficeFactory() for _ in roles]
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:campaigns_task_add"),
        _task_post(None, phase, [{"office": o.pk, "role": r} for o, r in zip(offices, roles, strict=False)]),
    )
    assert response.status_code == 200
    assert "lead office" in response.content.decode() or "牵头" in response.content.decode()
    assert not Task.objects.exists()


def test_admin_refuses_a_co_office_due_after_the_task_deadline(client, admin_user, phase):
    lead, co = OfficeFactory(), OfficeFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:campaigns_task_add"),
        _task_post(
            None,
            phase,
            [
                {"office": lead.pk, "role": "lead"},
                {"office": co.pk, "role": "co", "due_date": (phase.end_date + dt.timedelta(days=1)).isoformat()},
            ],
            deadline=phase.end_date.isoformat(),
        ),
    )
    assert response.status_code == 200
    assert not Task.objects.exists() and not TaskAssignment.objects.exists()


def test_admin_refuses_a_deadline_before_the_phase_starts(client, admin_user, phase):
    lead = OfficeFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:campaigns_task_add"),
        _task_post(
            None,
            phase,
            [{"office": lead.pk, "role": "lead"}],
            deadline=(phase.start_date - dt.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 200
    assert "deadline" in response.context["adminform"].form.errors
    assert not Task.objects.exists()


def test_task_status_is_read_only_in_the_admin(client, admin_user, task_a):
    client.force_login(admin_user)
    data = _task_post(
        task_a,
        task_a.phase,
        [{"id": a.pk, "task": task_a.pk, "office": a.office_id, "role": a.role} for a in task_a.assignments.all()],
        status="done",
        progress=100,
    )
    assert client.post(reverse("admin:campaigns_task_change", args=[task_a.pk]), data).status_code == 302
    task_a.refresh_from_db()
    assert task_a.status == Task.Status.NOT_STARTED and task_a.progress == 0


def test_office_staff_cannot_use_the_admin(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("n", [5, 50])
def test_task_changelist_query_budget(client, admin_user, phase, n, django_assert_num_queries):
    for _ in range(n):
        TaskFactory(phase=phase)
    client.force_login(admin_user)
    # 10 queries: session, user, current campaign, its phases, offices for the filter, count of task, count of task,
    # task (+phases, campaign), current campaign, its phases
    with django_assert_num_queries(10):
        assert client.get(reverse("admin:campaigns_task_changelist")).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_campaign_change_page_query_budget(client, admin_user, campaign, n, django_assert_num_queries):
    for i in range(n):
        start = campaign.start_date + dt.timedelta(days=i * 2)
        PhaseFactory(campaign=campaign, order=i + 1, start_date=start, end_date=start)
    client.force_login(admin_user)
    # 7 queries: session, user, the campaign, its phases (inline), the model's content type (change form), current
    # campaign, its phases
    with django_assert_num_queries(7):
        assert client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_phase_change_page_query_budget(client, admin_user, phase, n, django_assert_num_queries):
    for _ in range(n):
        TaskFactory(phase=phase)
    client.force_login(admin_user)
    # 11 queries: session, user, phases, count of section, section (+phases, campaign), section, task (+phases),
    # the model's content type (change form), current campaign, its phases, current campaign
    with django_assert_num_queries(11):
        assert client.get(reverse("admin:campaigns_phase_change", args=[phase.pk])).status_code == 200


# Each changelist: session, user, its filters' choices, the paginator's count and the full count,
# the page (with what its columns name, joined), the header's current campaign and its phases.
CHANGELIST_QUERIES = {
    # no filter choices; the page with the parent office
    "office": 7,
    # groups and offices for the filters; the page with the office
    "user": 9,
    # offices for the filter; the page with task, phase, office and author
    "taskreport": 8,
    # content types for the filter; the page with actor and content type; then the date
    # hierarchy's first and last date and its years, and the verbs for the verb filter
    "auditevent": 11,
}


@pytest.mark.parametrize("model", ["office", "user", "taskreport", "auditevent"])
@pytest.mark.parametrize("n", [5, 50])
def test_other_changelists_query_budget(client, admin_user, phase, model, n, django_assert_num_queries):
    from campaigns.tests.factories import TaskReportFactory

    for _ in range(n):
        TaskReportFactory(task=TaskFactory(phase=phase))
    client.force_login(admin_user)
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        assert client.get(reverse(f"admin:campaigns_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_campaign_and_phase_changelists_query_budget(client, admin_user, n, django_assert_num_queries):
    from campaigns.tests.factories import CampaignFactory, PhaseFactory

    for i in range(n):
        PhaseFactory(campaign=CampaignFactory(year=2000 + i), order=1)
    client.force_login(admin_user)
    client.get(reverse("admin:campaigns_campaign_changelist"))  # the header's current campaign, cached
    # 6 queries: session, user, the paginator's count and the full count, the page, the years for the filter
    with django_assert_num_queries(6):
        campaigns = client.get(reverse("admin:campaigns_campaign_changelist"))
    # 6 queries: session, user, campaigns for the filter, the paginator's count and the full count, the page
    # (+campaign)
    with django_assert_num_queries(6):
        phases = client.get(reverse("admin:campaigns_phase_changelist"))
    assert campaigns.context["cl"].result_count == n and phases.context["cl"].result_count == n
