"""Admins define deliverables per phase; the demo data loads once."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from campaigns.roles import Role
from oversight.models import Bulletin, Deliverable, DisclosureItem, Submission

pytestmark = pytest.mark.django_db


def test_an_admin_defines_a_deliverable_for_every_active_office(client, admin_user, phase, office_a, office_b):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:oversight_deliverable_add"),
        {
            "phase": phase.pk,
            "kind": "problem_list",
            "title": "问题清单",
            "description": "",
            "due_date": (phase.start_date + dt.timedelta(days=3)).isoformat(),
            "order": 0,
            "all_active_offices": "on",
            "submissions-TOTAL_FORMS": 0,
            "submissions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    deliverable = Deliverable.objects.get()
    assert set(deliverable.offices.all()) >= {office_a, office_b}


def test_the_admin_refuses_a_due_date_outside_the_phase_and_a_deliverable_for_nobody(client, admin_user, phase):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:oversight_deliverable_add"),
        {
            "phase": phase.pk,
            "kind": "problem_list",
            "title": "问题清单",
            "due_date": (phase.start_date - dt.timedelta(days=3)).isoformat(),
            "order": 0,
            "submissions-TOTAL_FORMS": 0,
            "submissions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "due_date" in errors and "offices" in errors
    assert not Deliverable.objects.exists()


def test_published_records_are_read_only_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    for model in ("bulletin", "disclosureitem", "submission", "exportjob"):
        assert client.get(reverse(f"admin:oversight_{model}_add")).status_code == 403
        assert client.get(reverse(f"admin:oversight_{model}_changelist")).status_code == 200


def test_roles_carry_the_oversight_permissions(coordinator, supervisor, staff_a):
    assert coordinator.has_perm("oversight.publish_disclosure") and coordinator.has_perm("oversight.view_dashboard")
    assert supervisor.has_perm("oversight.view_dashboard") and not supervisor.has_perm("oversight.manage_bulletins")
    assert staff_a.has_perm("oversight.submit_deliverables") and not staff_a.has_perm("oversight.view_dashboard")
    assert Group.objects.get(name=Role.OFFICE_HEAD).permissions.filter(codename="submit_deliverables").exists()


def test_the_demo_loads_once_through_the_services(settings, tmp_path):
    from campaigns.demo import load_demo as load_campaign
    from complaints.demo import load_demo as load_complaints
    from oversight.demo import load_demo

    today = dt.date(2026, 11, 22)
    summary = load_campaign(today=today)
    load_complaints(users=summary["user_objects"], today=today)
    added = load_demo(users=summary["user_objects"], today=today)
    assert added > 0
    counts = [
        Deliverable.objects.count(),
        Submission.objects.count(),
        Bulletin.objects.count(),
        DisclosureItem.objects.count(),
    ]
    assert load_demo(users=summary["user_objects"], today=today) == 0
    assert counts == [
        Deliverable.objects.count(),
        Submission.objects.count(),
        Bulletin.objects.count(),
        DisclosureItem.objects.count(),
    ]
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert {"accepted", "submitted", "returned"} <= statuses
    assert Bulletin.objects.filter(status="published").count() == 2 and Bulletin.objects.filter(status="draft").exists()
    assert set(DisclosureItem.objects.published().values_list("kind", flat=True)) >= {
        "progress",
        "complaint_statistics",
    }


# Each changelist (the header's current campaign cached by the first page): session, user, its filters' choices,
# the paginator's count and the full count, the page with what its columns name, joined.
CHANGELIST_QUERIES = {
    # campaigns and phases for the filters; the page (+offices counted, phase, campaign); the date hierarchy's first
    # and last due date, and its years
    "deliverable": 9,
    # phases (+campaign) for the filter; the page (+deliverable, office, phase)
    "submission": 6,
    # campaigns for the filter; the page (+campaign)
    "bulletin": 6,
    # campaigns for the filter; the page (+campaign, responsible office)
    "disclosureitem": 6,
    # the page (+user); the ledgers for the filter
    "exportjob": 6,
}


@pytest.mark.parametrize("n", [5, 50])
def test_oversight_changelists_query_budget(
    client, admin_user, coordinator, staff_a, campaign, phase, n, django_assert_num_queries
):
    from oversight.models import ExportJob
    from oversight.services import deliverables as deliverable_services
    from oversight.services import disclosure as disclosure_services
    from oversight.tests.factories import BulletinFactory, DeliverableFactory, pdf

    for _ in range(n):
        deliverable = DeliverableFactory(phase=phase, offices=[staff_a.office])
        deliverable_services.deliverable_submit(deliverable_id=deliverable.pk, actor=staff_a, file=pdf())
        BulletinFactory(campaign=campaign, author=coordinator)
        disclosure_services.disclosure_prepare(
            campaign_id=campaign.pk, actor=coordinator, kind=DisclosureItem.Kind.PROGRESS
        )
        ExportJob.objects.create(user=coordinator, ledger="tasks")
    client.force_login(admin_user)
    client.get(reverse("admin:oversight_bulletin_changelist"))  # the header's current campaign, cached
    for model, budget in CHANGELIST_QUERIES.items():
        with django_assert_num_queries(budget):
            assert client.get(reverse(f"admin:oversight_{model}_changelist")).status_code == 200, model
