"""The demo appraisals, the role permissions and the admin window."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from campaigns.roles import Role
from evaluations.models import Answer, Ballot, Hearing, Invitation, Survey
from evaluations.selectors import survey_results
from evaluations.tests.factories import make_survey

pytestmark = pytest.mark.django_db


def quiet_demo():
    """The campaign's demo (offices, users, campaign) and this app's, as the load_demo command
    runs them; called directly so that another app's demo cannot hide a problem in this one."""
    from campaigns.demo import load_demo as load_campaign
    from evaluations.demo import load_demo

    return load_demo(users=load_campaign()["user_objects"])


def test_the_demo_has_a_published_survey_with_hundreds_of_ballots_and_loads_once():
    assert quiet_demo() > 400
    published = Survey.objects.get(status=Survey.Status.PUBLISHED, hearing__isnull=True)
    results = survey_results(published)
    assert results.ballot_total >= 300 and results.open_total > 0
    weights = [g.weight for g in results.groups]
    assert len(weights) >= 3 and sum(weights) == 100 and len(set(weights)) > 2
    assert len(results.ranked) == 5 and results.most_satisfactory and results.lagging
    assert Survey.objects.filter(status=Survey.Status.OPEN).exists()
    assert Invitation.objects.filter(group__survey__status=Survey.Status.OPEN, used_at__isnull=True).exists()
    hearing = Hearing.objects.get()
    assert hearing.is_published and hearing.poll.is_published and hearing.questions.count() == 3
    counts = (Survey.objects.count(), Ballot.objects.count(), Answer.objects.count(), Invitation.objects.count())
    assert quiet_demo() == 0
    assert (
        Survey.objects.count(),
        Ballot.objects.count(),
        Answer.objects.count(),
        Invitation.objects.count(),
    ) == counts


def test_the_demo_ballots_are_dated_on_their_days_not_all_today():
    quiet_demo()
    published = Survey.objects.get(title__startswith="2025")
    days = set(Ballot.objects.filter(survey=published).values_list("submitted_on", flat=True))
    assert len(days) >= 5 and all(published.opens_at.date() <= d <= published.closes_at.date() for d in days)


def test_the_roles_carry_the_appraisal_permissions(db):
    call_command("migrate", verbosity=0)  # post_migrate syncs the role groups
    office = set(Group.objects.get(name=Role.CAMPAIGN_OFFICE).permissions.values_list("codename", flat=True))
    supervisor = set(Group.objects.get(name=Role.SUPERVISOR).permissions.values_list("codename", flat=True))
    staff = set(Group.objects.get(name=Role.OFFICE_STAFF).permissions.values_list("codename", flat=True))
    assert {"manage_appraisal", "view_appraisal_results"} <= office
    assert "view_appraisal_results" in supervisor and "manage_appraisal" not in supervisor
    assert not {"manage_appraisal", "view_appraisal_results"} & staff


def test_the_admin_edits_scores_and_publishes_through_the_services(client, admin_user, campaign):
    survey = make_survey(campaign, status=Survey.Status.CLOSED)
    client.force_login(admin_user)
    change = reverse("admin:evaluations_survey_change", args=[survey.pk])
    page = client.get(change)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(
        score_basic="70",
        opens_at_0=survey.opens_at.strftime("%Y-%m-%d"),
        opens_at_1=survey.opens_at.strftime("%H:%M:%S"),
        closes_at_0=survey.closes_at.strftime("%Y-%m-%d"),
        closes_at_1=survey.closes_at.strftime("%H:%M:%S"),
        intro="",
    )
    for prefix in ("groups", "questions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(
        change, {k: v for k, v in data.items() if v is not None and k not in ("opens_at", "closes_at")}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    survey.refresh_from_db()
    assert survey.score_basic == 70
    client.post(
        reverse("admin:evaluations_survey_changelist"), {"action": "publish_surveys", "_selected_action": [survey.pk]}
    )
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED and survey.published_by == admin_user
    assert "score_basic" not in client.get(change).context["adminform"].form.fields  # read-only once published


# Each changelist (the header's current campaign cached by the first page): session, user, its filters' choices,
# the paginator's count and the full count, the page with what its columns name, joined.
CHANGELIST_QUERIES = {
    # campaigns for the filter; the page (+campaign); the date hierarchy's first and last date, and its years
    "survey": 8,
    "hearing": 8,
    # no filter; the page (+group, survey, created by)
    "invitationbatch": 5,
}


@pytest.mark.parametrize("n", [5, 50])
def test_appraisal_changelists_query_budget(client, admin_user, campaign, n, django_assert_num_queries):
    from campaigns.tests.factories import OfficeFactory
    from evaluations.tests.factories import group, invite, published_hearing

    offices = [OfficeFactory() for _ in range(3)]
    for _ in range(n):
        survey = make_survey(campaign, offices)
        invite(group(survey), 2)
        published_hearing(campaign, offices, 2)
    client.force_login(admin_user)
    client.get(reverse("admin:evaluations_survey_changelist"))  # the header's current campaign, cached
    for model, budget in CHANGELIST_QUERIES.items():
        with django_assert_num_queries(budget):
            assert client.get(reverse(f"admin:evaluations_{model}_changelist")).status_code == 200, model
