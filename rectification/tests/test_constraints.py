"""The invariants the database keeps even when code forgets them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from complaints.models import ProblemType
from rectification.models import Commitment, Plan, Problem, PublicComment, Rating, SupervisorFlag
from rectification.tests.factories import approved_plan, record_problem, start_plan, today

pytestmark = pytest.mark.django_db


def refused(update_or_create):
    with pytest.raises(IntegrityError), transaction.atomic():
        update_or_create()


def test_a_step_by_step_commitment_without_its_explanation_cannot_be_stored(staff_a, coordinator, phase):
    commitment = approved_plan(staff_a, coordinator)[1][0]
    refused(lambda: Commitment.objects.filter(pk=commitment.pk).update(handling="gradual", explanation=""))


def test_an_upward_report_without_the_higher_office_cannot_be_stored(staff_a, coordinator, phase):
    commitment = approved_plan(staff_a, coordinator)[1][0]
    refused(lambda: Commitment.objects.filter(pk=commitment.pk).update(handling="upward", higher_office=None))


def test_a_commitment_without_measures_cannot_be_stored(staff_a, coordinator, phase):
    commitment = approved_plan(staff_a, coordinator)[1][0]
    refused(lambda: Commitment.objects.filter(pk=commitment.pk).update(measures=""))


def test_a_verified_commitment_has_its_verification_date(staff_a, coordinator, phase):
    commitment = approved_plan(staff_a, coordinator)[1][0]
    refused(lambda: Commitment.objects.filter(pk=commitment.pk).update(status="verified", verified_at=None))
    refused(lambda: Commitment.objects.filter(pk=commitment.pk).update(status="sent_back", send_back_reason=""))
    refused(lambda: Commitment.objects.filter(pk=commitment.pk).update(progress=101))


def test_an_office_has_one_plan_per_campaign(staff_a, phase):
    plan = start_plan(staff_a)
    refused(lambda: Plan.objects.create(campaign=plan.campaign, office=plan.office))


def test_a_submitted_plan_has_its_leadership_approval_date(staff_a, phase):
    plan = start_plan(staff_a, approved_collectively_on=None)
    refused(lambda: Plan.objects.filter(pk=plan.pk).update(status="submitted"))


def test_a_returned_plan_has_comments(staff_a, phase):
    plan = start_plan(staff_a)
    refused(lambda: Plan.objects.filter(pk=plan.pk).update(status="returned", review_comments=""))


def test_one_browser_rates_a_commitment_once(staff_a, coordinator, phase):
    commitment = approved_plan(staff_a, coordinator)[1][0]
    Rating.objects.create(commitment=commitment, value="satisfied", browser_key="k1")
    refused(lambda: Rating.objects.create(commitment=commitment, value="dissatisfied", browser_key="k1"))


def test_a_comment_is_moderated_exactly_when_it_is_no_longer_held(staff_a, coordinator, phase):
    commitment = approved_plan(staff_a, coordinator)[1][0]
    refused(lambda: PublicComment.objects.create(commitment=commitment, text="好", state="published"))


def test_a_hotspot_is_raised_once_per_office_and_problem_type(office_a, phase, db):
    kind = ProblemType.objects.get(code="attitude")
    fields = {
        "campaign": phase.campaign,
        "office": office_a,
        "problem_type": kind,
        "is_hotspot": True,
        "source": "complaint",
        "description": "热点",
    }
    Problem.objects.create(**fields)
    refused(lambda: Problem.objects.create(**fields))
    # Problems recorded by hand are not hotspots and may repeat.
    Problem.objects.create(**{**fields, "is_hotspot": False})
    Problem.objects.create(**{**fields, "is_hotspot": False})


def test_an_appraisal_problem_names_the_appraisal(staff_a, phase):
    problem = record_problem(staff_a)
    refused(lambda: Problem.objects.filter(pk=problem.pk).update(source="appraisal", appraisal_reference=""))


def test_a_supervisor_has_one_open_flag_per_commitment(staff_a, coordinator, supervisor, phase):
    commitment = approved_plan(staff_a, coordinator)[1][0]
    SupervisorFlag.objects.create(commitment=commitment, flagged_by=supervisor, reason="请复查")
    refused(lambda: SupervisorFlag.objects.create(commitment=commitment, flagged_by=supervisor, reason="再次"))


def test_the_migration_is_up_to_date():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "rectification", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.parametrize("deadline_offset", [0, 30])
def test_a_commitments_original_deadline_is_its_first(staff_a, coordinator, phase, deadline_offset):
    commitment = approved_plan(staff_a, coordinator, deadline=today() + dt.timedelta(days=deadline_offset))[1][0]
    assert commitment.original_deadline == commitment.deadline
