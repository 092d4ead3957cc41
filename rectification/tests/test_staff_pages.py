"""Staff pages: who sees which commitments, the lists' query budgets, and what
each kind of user is offered."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from campaigns.roles import Role, all_role_permissions
from campaigns.tests.factories import OfficeFactory, UserFactory
from rectification import services
from rectification.models import Commitment
from rectification.staff_views.commitments import offered_actions
from rectification.tests.factories import add_commitment, approved_plan, claim, published, record_problem, start_plan

pytestmark = pytest.mark.django_db
LIST = reverse("rectification-staff:commitments")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _pks(response):
    return {c.pk for c in response.context["page"].object_list}


def test_the_staff_pages_need_a_login(client, phase):
    response = client.get(reverse("rectification-staff:overview"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_office_staff_see_their_offices_commitments_internal_ones_included(
    client, staff_a, staff_b, coordinator, phase
):
    own_internal = published(staff_a, coordinator, scope="internal")
    own_draft = add_commitment(staff_a, own_internal.plan)
    other_public = published(staff_b, coordinator)
    other_internal = published(staff_b, coordinator, scope="internal")
    client.force_login(staff_a)
    assert _pks(client.get(LIST)) == {own_internal.pk, own_draft.pk}
    client.force_login(coordinator)
    assert _pks(client.get(LIST)) == {own_internal.pk, own_draft.pk, other_public.pk, other_internal.pk}


def test_supervisors_see_the_public_commitments_and_may_flag_them(client, staff_a, coordinator, supervisor, phase):
    public = published(staff_a, coordinator)
    internal = published(staff_a, coordinator, scope="internal")
    add_commitment(staff_a, public.plan)
    client.force_login(supervisor)
    assert _pks(client.get(LIST)) == {public.pk}
    assert client.get(reverse("rectification-staff:commitment-detail", args=[internal.pk])).status_code == 404
    assert "flag" in client.get(reverse("rectification-staff:commitment-detail", args=[public.pk])).context["actions"]


def test_each_kind_of_user_is_offered_what_the_services_allow(staff_a, staff_b, coordinator, supervisor, phase):
    commitment = published(staff_a, coordinator)
    assert offered_actions(staff_a, commitment) == {"edit", "progress", "complete"}
    assert offered_actions(staff_b, commitment) == set()
    assert offered_actions(coordinator, commitment) == {"lookback"}
    assert offered_actions(supervisor, commitment) == {"flag"}
    claim(staff_a, commitment)
    commitment.refresh_from_db()
    assert offered_actions(staff_a, commitment) == set()
    assert offered_actions(coordinator, commitment) == {"verify", "send_back", "lookback"}


def test_the_campaign_office_pages_are_refused_to_office_staff(client, staff_a, phase):
    client.force_login(staff_a)
    for name in ("verification", "moderation", "lookback", "results", "plans"):
        assert client.get(reverse(f"rectification-staff:{name}")).status_code == 403, name


def test_users_without_an_office_or_a_rectification_role_are_refused(client, phase):
    stranger = UserFactory(office=None)
    client.force_login(stranger)
    assert client.get(reverse("rectification-staff:overview")).status_code == 403


def test_the_overview_shows_the_office_its_plan_and_the_campaign_office_its_queues(client, staff_a, coordinator, phase):
    plan, (commitment,) = approved_plan(staff_a, coordinator)
    claim(staff_a, commitment)
    client.force_login(staff_a)
    response = client.get(reverse("rectification-staff:overview"))
    assert response.context["my_plan"] == plan and 'data-testid="my-plan-status"' in response.content.decode()
    client.force_login(coordinator)
    response = client.get(reverse("rectification-staff:overview"))
    assert response.context["queues"]["to_verify"] == 1


def test_the_roles_carry_the_rectification_permissions(db):
    merged = all_role_permissions()
    assert "rectification.coordinate_rectification" in merged[Role.CAMPAIGN_OFFICE]
    assert "rectification.work_on_rectification" in merged[Role.OFFICE_STAFF]
    assert "rectification.flag_commitment" in merged[Role.SUPERVISOR]
    group = Group.objects.get(name=Role.OFFICE_HEAD)
    assert group.permissions.filter(codename="work_on_rectification").exists()


@pytest.mark.parametrize("n", [5, 50])
def test_staff_commitment_list_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    for _i in range(n):
        user = UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF)
        published(user, coordinator, problems=[record_problem(user)])
    client.force_login(coordinator)
    # 11 queries: session, user, user permissions, group permissions, current campaign, offices for the filter, count
    # of commitment, current campaign, its phases, inbox badge, commitment (+plan, campaign, offices)
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_verification_queue_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    for _i in range(n):
        user = UserFactory(office=OfficeFactory(), role=Role.OFFICE_STAFF)
        claim(user, published(user, coordinator, problems=[record_problem(user)]))
    client.force_login(coordinator)
    # 10 queries: session, user, user permissions, group permissions, current campaign, count of commitment, current
    # campaign, its phases, inbox badge, commitment (+plan, offices)
    with django_assert_num_queries(10):
        response = client.get(reverse("rectification-staff:verification"))
    assert len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_staff_detail_query_budget(client, staff_a, coordinator, phase, n, django_assert_num_queries):
    commitment = published(staff_a, coordinator)
    for i in range(n):
        services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=min(i, 100), text=f"进展{i}")
    client.force_login(staff_a)
    # 15 queries: session, user, user permissions, group permissions, commitment (+plan, offices, campaign, user),
    # problem (+commitment_problems, offices), progressupdate (+user, offices), evidence, commitmentrevision
    # (+commitment, user), lookback (+user), supervisorflag (+user, lookback), count of rating, current campaign, its
    # phases, inbox badge
    with django_assert_num_queries(15):
        response = client.get(reverse("rectification-staff:commitment-detail", args=[commitment.pk]))
    assert len(response.context["updates"]) == n


@pytest.mark.parametrize("n", [5, 50])
def test_plan_detail_query_budget(client, staff_a, coordinator, phase, n, django_assert_num_queries):
    problem = record_problem(staff_a)
    plan = start_plan(staff_a)
    for _ in range(n):
        add_commitment(staff_a, plan, problems=[problem])
    client.force_login(staff_a)
    # 9 queries: session, user, user permissions, group permissions, plan (+offices, campaign, user), commitment
    # (+plan, offices), current campaign, its phases, inbox badge
    with django_assert_num_queries(9):
        response = client.get(reverse("rectification-staff:plan-detail", args=[plan.pk]))
    assert len(response.context["commitments"]) == n
    assert Commitment.objects.count() == n


def test_evidence_of_internal_commitments_reaches_the_office_and_the_campaign_office_only(
    client, staff_a, staff_b, coordinator, supervisor, phase
):
    from rectification.models import Evidence
    from rectification.tests.factories import pdf

    commitment = published(staff_a, coordinator, scope="internal")
    services.progress_report(
        actor=staff_a, commitment_id=commitment.pk, percent=10, text="x", evidence=[pdf("内部.pdf")]
    )
    url = reverse("rectification-staff:evidence", args=[Evidence.objects.get().pk])
    for user, status in ((staff_a, 200), (coordinator, 200), (staff_b, 404), (supervisor, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.logout()
    assert client.get(reverse("rectification:evidence", args=[Evidence.objects.get().pk])).status_code == 404
