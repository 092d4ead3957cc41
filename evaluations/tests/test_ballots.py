"""Casting ballots: one per invitation, checked whole, stored whole, and never
traceable to whoever received the invitation."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from campaigns.models import AuditEvent
from campaigns.tests.factories import OfficeFactory
from evaluations import services
from evaluations.models import Answer, Ballot, Invitation, Participation, Question, Survey
from evaluations.services import BallotRefused
from evaluations.tests.factories import B, D, S, U, full_answers, group, invite, make_survey, matrix, vote
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db
Kind = Question.Kind
ALL_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.TEXT)


@pytest.fixture
def survey(campaign, offices):
    return make_survey(campaign, offices, extra_questions=ALL_KINDS)


def question(survey, kind):
    return survey.questions.get(kind=kind)


def nothing_stored():
    return not Ballot.objects.exists() and not Answer.objects.exists() and not Participation.objects.exists()


def refused(call) -> str:
    with pytest.raises(BallotRefused) as info:
        call()
    return info.value.reason


# --- A good ballot ------------------------------------------------------------------------------
def test_a_complete_ballot_is_stored_with_every_answer_and_uses_up_the_invitation(survey, offices):
    invitation = invite(group(survey))[0]
    ballot = vote(invitation, full_answers(survey, B))
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert (ballot.survey, ballot.group, ballot.channel) == (survey, invitation.group, Ballot.Channel.INVITATION)
    ratings = dict(ballot.answers.filter(office__isnull=False).values_list("office", "rating"))
    assert ratings == {o.pk: B for o in offices}
    assert ballot.answers.filter(option__isnull=False).count() == 3  # one single + two multiple
    assert ballot.answers.get(scale__isnull=False).scale == 4
    assert ballot.answers.exclude(text="").get().text == "窗口服务态度好。"
    assert Participation.objects.get().invitation == invitation


def test_an_optional_question_may_be_left_unanswered(survey):
    text = question(survey, Kind.TEXT)
    assert not text.required
    ballot = vote(invite(group(survey))[0], full_answers(survey, overrides={text.pk: "   "}))
    assert not ballot.answers.exclude(text="").exists()


def test_dont_know_is_an_answer_to_the_required_matrix(survey):
    ballot = vote(invite(group(survey))[0], full_answers(survey, U))
    assert set(ballot.answers.filter(office__isnull=False).values_list("rating", flat=True)) == {U}


# --- Bad ballots: refused whole, nothing stored ----------------------------------------------------
def errors_of(survey, answers) -> dict:
    invitation = invite(group(survey))[0]
    with pytest.raises(ValidationError) as info:
        services.ballot_submit_invitation(token=invitation.token, answers=answers)
    invitation.refresh_from_db()
    assert invitation.used_at is None, "a refused ballot must leave the invitation unused"
    assert nothing_stored()
    return info.value.message_dict


def test_a_ballot_with_an_office_left_unrated_is_refused_and_nothing_is_stored(survey, offices):
    q = matrix(survey)
    answers = full_answers(survey)
    del answers[q.pk][offices[1].pk]
    errors = errors_of(survey, answers)
    assert list(errors) == [f"q{q.pk}_o{offices[1].pk}"]
    assert "Rate this office" in errors[f"q{q.pk}_o{offices[1].pk}"][0]


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE])
def test_a_missing_required_answer_is_refused(survey, kind):
    q = question(survey, kind)
    errors = errors_of(survey, full_answers(survey, overrides={q.pk: [] if kind == Kind.MULTIPLE else None}))
    assert list(errors) == [f"q{q.pk}"]


@pytest.mark.parametrize("value", [0, 6, "7", "five", 4.5, True])
def test_a_scale_value_out_of_range_is_refused(survey, value):
    q = question(survey, Kind.SCALE)
    assert list(errors_of(survey, full_answers(survey, overrides={q.pk: value}))) == [f"q{q.pk}"]


def test_a_rating_that_is_not_one_of_the_four_is_refused(survey, offices):
    q = matrix(survey)
    answers = full_answers(survey)
    answers[q.pk][offices[0].pk] = "excellent"
    assert list(errors_of(survey, answers)) == [f"q{q.pk}_o{offices[0].pk}"]


def test_a_forged_office_in_the_matrix_is_refused(survey):
    q = matrix(survey)
    outsider = OfficeFactory(name="未参评单位")
    answers = full_answers(survey)
    answers[q.pk][outsider.pk] = D
    errors = errors_of(survey, answers)
    assert list(errors) == [f"q{q.pk}"] and "not being appraised" in errors[f"q{q.pk}"][0]


def test_an_option_of_another_question_is_refused(survey):
    single, multiple = question(survey, Kind.SINGLE), question(survey, Kind.MULTIPLE)
    foreign = multiple.options.first().pk
    assert list(errors_of(survey, full_answers(survey, overrides={single.pk: foreign}))) == [f"q{single.pk}"]
    assert list(errors_of(survey, full_answers(survey, overrides={multiple.pk: [foreign, foreign]}))) == [
        f"q{multiple.pk}"
    ]


def test_a_single_choice_question_takes_one_option(survey):
    single = question(survey, Kind.SINGLE)
    two = list(single.options.values_list("pk", flat=True)[:2])
    assert list(errors_of(survey, full_answers(survey, overrides={single.pk: two}))) == [f"q{single.pk}"]


def test_an_overlong_text_answer_is_refused(survey):
    text = question(survey, Kind.TEXT)
    assert list(errors_of(survey, full_answers(survey, overrides={text.pk: "长" * 2001}))) == [f"q{text.pk}"]


def test_an_answer_to_a_question_not_on_the_ballot_is_refused(survey, campaign):
    other = make_survey(campaign)
    answers = full_answers(survey, overrides={matrix(other).pk: {}})
    errors_of_any = pytest.raises(ValidationError)
    invitation = invite(group(survey))[0]
    with errors_of_any:
        services.ballot_submit_invitation(token=invitation.token, answers=answers)
    assert nothing_stored()


def test_every_mistake_is_reported_at_once(survey, offices):
    q, scale = matrix(survey), question(survey, Kind.SCALE)
    answers = full_answers(survey, overrides={scale.pk: 9})
    answers[q.pk] = {}
    errors = errors_of(survey, answers)
    assert set(errors) == {f"q{q.pk}_o{o.pk}" for o in offices} | {f"q{scale.pk}"}


# --- One ballot per invitation ----------------------------------------------------------------------
def test_a_used_invitation_cannot_vote_again(survey):
    invitation = invite(group(survey))[0]
    vote(invitation)
    assert refused(lambda: vote(invitation, rating=D)) == BallotRefused.USED
    assert Ballot.objects.count() == 1
    assert not Answer.objects.filter(rating=D).exists()


def test_the_database_allows_one_participation_per_invitation(survey):
    invitation = invite(group(survey))[0]
    vote(invitation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(survey=survey, group=invitation.group, invitation=invitation)


def test_a_revoked_invitation_cannot_vote(survey, coordinator):
    invitation = invite(group(survey))[0]
    services.invitation_revoke(invitation_id=invitation.pk, actor=coordinator)
    assert refused(lambda: vote(invitation)) == BallotRefused.REVOKED
    assert nothing_stored()


def test_an_unknown_token_is_refused(survey):
    assert refused(lambda: services.ballot_submit_invitation(token="0" * 25, answers={})) == BallotRefused.UNKNOWN


@pytest.mark.parametrize(
    "when, reason",
    [
        ({"status": Survey.Status.DRAFT}, BallotRefused.NOT_OPEN_YET),
        ({"opens_at_days": 1}, BallotRefused.NOT_OPEN_YET),
        ({"closes_at_days": -1}, BallotRefused.CLOSED),
        ({"status": Survey.Status.CLOSED}, BallotRefused.CLOSED),
        ({"status": Survey.Status.PUBLISHED}, BallotRefused.CLOSED),
    ],
)
def test_no_ballot_outside_the_voting_window(survey, when, reason):
    invitation = invite(group(survey))[0]
    now = timezone.now()
    changes = {}
    if "status" in when:
        changes["status"] = when["status"]
        changes["published_at"] = now if when["status"] == Survey.Status.PUBLISHED else None
    if "opens_at_days" in when:
        changes["opens_at"] = now + dt.timedelta(days=when["opens_at_days"])
    if "closes_at_days" in when:
        changes.update(opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=when["closes_at_days"]))
    Survey.objects.filter(pk=survey.pk).update(**changes)
    assert refused(lambda: vote(invitation)) == reason
    invitation.refresh_from_db()
    assert invitation.used_at is None and nothing_stored()


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_token_at_the_same_moment_store_one_ballot(campaign, offices):
    require_postgresql()
    survey = make_survey(campaign, offices)
    invitation = invite(group(survey))[0]
    answers = full_answers(survey)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            services.ballot_submit_invitation(token=invitation.token, answers=answers)
            outcomes.append("stored")
        except BallotRefused as exc:
            outcomes.append(exc.reason)
        except Exception as exc:  # pragma: no cover - shown on failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(outcomes) == ["stored", BallotRefused.USED]
    assert Ballot.objects.count() == 1 and Participation.objects.count() == 1
    assert Answer.objects.count() == len(offices)


# --- Unlinkable -----------------------------------------------------------------------------------------
def test_a_ballot_cannot_be_joined_to_its_invitation(survey):
    first, second = invite(group(survey), 2, note="张三")
    vote(first, rating=S)
    vote(second, rating=D)
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert not ballot_fields & {"invitation", "participation", "created_at", "submitted_at", "note"}
    assert {f.name for f in Participation._meta.get_fields()}.isdisjoint({"ballot"})
    # Random keys and the day only: nothing orders or times the ballots.
    assert all(isinstance(b.pk, type(Ballot().pk)) for b in Ballot.objects.all())
    assert set(Ballot.objects.values_list("submitted_on", flat=True)) == {timezone.localdate()}
    # The audit trail records the invitation's use, never the ballot.
    assert not AuditEvent.objects.filter(target_type__model__in=["ballot", "answer"]).exists()
    assert AuditEvent.objects.filter(verb="invitation.used").count() == 2


# --- The open public link -----------------------------------------------------------------------------
@pytest.fixture
def public_survey(campaign, offices):
    return make_survey(campaign, offices, groups=(("企业", 70), ("公众", 30)), open_link_groups=("公众",))


def test_the_open_link_takes_one_ballot_per_browser(public_survey):
    public = group(public_survey, "公众")
    answers = full_answers(public_survey)
    ballot = services.ballot_submit_open(
        survey_id=public_survey.pk, group_id=public.pk, browser_cookie="abc", answers=answers
    )
    assert (ballot.group, ballot.channel) == (public, Ballot.Channel.OPEN_LINK)
    again = lambda: services.ballot_submit_open(  # noqa: E731
        survey_id=public_survey.pk, group_id=public.pk, browser_cookie="abc", answers=answers
    )
    assert refused(again) == BallotRefused.ALREADY_ANSWERED
    services.ballot_submit_open(survey_id=public_survey.pk, group_id=public.pk, browser_cookie="other", answers=answers)
    assert Ballot.objects.count() == 2
    # The register keeps a keyed hash of the cookie, not the cookie.
    assert not Participation.objects.filter(browser_key="abc").exists()


def test_the_open_link_works_only_for_a_group_that_allows_it(public_survey):
    firms = group(public_survey, "企业")
    call = lambda: services.ballot_submit_open(  # noqa: E731
        survey_id=public_survey.pk, group_id=firms.pk, browser_cookie="abc", answers=full_answers(public_survey)
    )
    assert refused(call) == BallotRefused.NO_OPEN_LINK
    assert nothing_stored()


def test_the_open_link_needs_the_browser_cookie(public_survey):
    call = lambda: services.ballot_submit_open(  # noqa: E731
        survey_id=public_survey.pk,
        group_id=group(public_survey, "公众").pk,
        browser_cookie="",
        answers=full_answers(public_survey),
    )
    assert refused(call) == BallotRefused.NO_COOKIE


# --- Many at once ----------------------------------------------------------------------------------------
def test_bulk_ballots_pass_the_same_checks_and_store_all_or_nothing(survey, offices, coordinator):
    invitations = invite(group(survey), 3)
    good = full_answers(survey)
    bad = full_answers(survey)
    bad[matrix(survey).pk] = {}
    with pytest.raises(ValidationError):
        services.ballots_submit_bulk(
            survey_id=survey.pk, actor=coordinator, entries=[(invitations[0].token, good), (invitations[1].token, bad)]
        )
    assert nothing_stored() and not Invitation.objects.filter(used_at__isnull=False).exists()
    assert (
        services.ballots_submit_bulk(
            survey_id=survey.pk, actor=coordinator, entries=[(i.token, good) for i in invitations]
        )
        == 3
    )
    assert Ballot.objects.count() == 3 and Answer.objects.filter(office__isnull=False).count() == 3 * len(offices)
    with pytest.raises(BallotRefused):
        services.ballots_submit_bulk(survey_id=survey.pk, actor=coordinator, entries=[(invitations[0].token, good)])
