"""Setting up a survey and its life: draft → open → closed → published. Every rule
refused on the server, with nothing half-saved, and an audit event for every change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import AuditEvent
from campaigns.tests.factories import OfficeFactory
from evaluations import services
from evaluations.models import Option, Question, RespondentGroup, Survey
from evaluations.services import GroupSpec
from evaluations.tests.factories import full_answers, group, invite, make_survey, vote

pytestmark = pytest.mark.django_db
Kind = Question.Kind
Status = Survey.Status


def window(days_from_now=1, length=14):
    opens = timezone.now() + dt.timedelta(days=days_from_now)
    return {"opens_at": opens, "closes_at": opens + dt.timedelta(days=length)}


@pytest.fixture
def draft(campaign, offices, coordinator):
    return services.survey_create(
        actor=coordinator, campaign=campaign, title="年度民主评议", offices=offices, **window()
    )


def verbs(target):
    return list(
        AuditEvent.objects.filter(target_id=target.pk, target_type__model=target._meta.model_name)
        .order_by("pk")
        .values_list("verb", flat=True)
    )


# --- Creating ---------------------------------------------------------------------------------------
def test_a_new_survey_starts_from_the_standard_ballot_as_a_draft(draft, offices):
    assert draft.status == Status.DRAFT
    assert set(draft.offices.all()) == set(offices)
    assert list(draft.questions.values_list("kind", flat=True)) == [Kind.MATRIX]
    weights = list(draft.groups.values_list("weight", flat=True))
    assert sum(weights) == 100 and len(set(weights)) > 1
    assert draft.groups.filter(open_link=True).count() == 1
    assert (draft.score_satisfied, draft.score_basic, draft.score_dissatisfied) == (100, 60, 0)
    assert draft.min_valid_responses == 10
    assert verbs(draft) == ["survey.create"]


def test_a_survey_cannot_close_before_it_opens(campaign, coordinator):
    times = window()
    with pytest.raises(ValidationError) as info:
        services.survey_create(
            actor=coordinator, campaign=campaign, title="x", opens_at=times["closes_at"], closes_at=times["opens_at"]
        )
    assert "closes_at" in info.value.message_dict
    assert not Survey.objects.exists()


def test_the_database_refuses_a_closing_time_before_the_opening(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=draft.pk).update(closes_at=draft.opens_at - dt.timedelta(hours=1))


def test_scores_must_not_rise_as_the_rating_falls(draft, coordinator):
    with pytest.raises(ValidationError) as info:
        services.survey_update(
            survey_id=draft.pk, actor=coordinator, score_basic=Decimal("100"), score_satisfied=Decimal("90")
        )
    assert "score_basic" in info.value.message_dict
    draft.refresh_from_db()
    assert draft.score_satisfied == 100
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=draft.pk).update(score_dissatisfied=Decimal("70"))


def test_only_the_campaign_office_runs_appraisals(campaign, staff_a, supervisor, draft):
    for user in (staff_a, supervisor):
        with pytest.raises(PermissionDenied):
            services.survey_create(actor=user, campaign=campaign, title="x", **window())
        with pytest.raises(PermissionDenied):
            services.survey_open(survey_id=draft.pk, actor=user)


# --- Groups and weights ---------------------------------------------------------------------------------
def test_weights_that_do_not_add_up_to_100_are_refused_and_nothing_changes(draft, coordinator):
    before = list(draft.groups.values_list("name", "weight"))
    with pytest.raises(ValidationError) as info:
        services.groups_replace(
            survey_id=draft.pk, actor=coordinator, groups=[GroupSpec("企业", 60), GroupSpec("代表", 30)]
        )
    assert "add up to 90" in " ".join(info.value.messages)
    assert list(draft.groups.values_list("name", "weight")) == before


def test_groups_are_replaced_as_a_whole_keeping_the_ones_sent_back(draft, coordinator):
    keep = draft.groups.order_by("order").first()
    saved = services.groups_replace(
        survey_id=draft.pk,
        actor=coordinator,
        groups=[GroupSpec("企业", 45, id=keep.pk), GroupSpec("代表", 35), GroupSpec("公众", 20, open_link=True)],
    )
    assert [g.pk for g in saved][0] == keep.pk
    assert list(draft.groups.order_by("order").values_list("name", "weight", "open_link")) == [
        ("企业", 45, False),
        ("代表", 35, False),
        ("公众", 20, True),
    ]
    assert "survey.groups" in verbs(draft)


def test_two_groups_may_swap_names(draft, coordinator):
    a, b = draft.groups.order_by("order")[:2]
    others = [GroupSpec(g.name, g.weight, g.open_link, g.pk) for g in draft.groups.order_by("order")[2:]]
    services.groups_replace(
        survey_id=draft.pk,
        actor=coordinator,
        groups=[GroupSpec(b.name, a.weight, id=a.pk), GroupSpec(a.name, b.weight, id=b.pk), *others],
    )
    assert RespondentGroup.objects.get(pk=a.pk).name == b.name


@pytest.mark.parametrize(
    "groups, message",
    [
        ([], "at least one"),
        ([GroupSpec("企业", 50), GroupSpec("企业", 50)], "same name"),
        ([GroupSpec(" ", 100)], "needs a name"),
        ([GroupSpec("企业", 120), GroupSpec("代表", -20)], "between 0 and 100"),
    ],
)
def test_bad_groups_are_refused(draft, coordinator, groups, message):
    with pytest.raises(ValidationError) as info:
        services.groups_replace(survey_id=draft.pk, actor=coordinator, groups=groups)
    assert message in " ".join(info.value.messages)


def test_the_database_keeps_weights_between_0_and_100(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        RespondentGroup.objects.filter(survey=draft).update(weight=101)


# --- Questions --------------------------------------------------------------------------------------------
def test_questions_are_added_at_the_end_with_their_options(draft, coordinator):
    q = services.question_save(
        survey_id=draft.pk,
        actor=coordinator,
        text="您主要通过什么方式办事？",
        kind=Kind.SINGLE,
        options=["窗口", "", " 网上 ", "电话"],
    )
    assert q.order == 2 and list(q.options.values_list("text", flat=True)) == ["窗口", "网上", "电话"]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"text": "", "kind": Kind.TEXT}, "text"),
        ({"text": "x", "kind": "essay"}, "kind"),
        ({"text": "x", "kind": Kind.SINGLE, "options": ["只有一个"]}, "options"),
        ({"text": "x", "kind": Kind.MULTIPLE, "options": ["甲", "甲"]}, "options"),
        ({"text": "第二个矩阵", "kind": Kind.MATRIX}, "kind"),
    ],
)
def test_bad_questions_are_refused_next_to_the_field(draft, coordinator, kwargs, field):
    with pytest.raises(ValidationError) as info:
        services.question_save(survey_id=draft.pk, actor=coordinator, **kwargs)
    assert field in info.value.message_dict
    assert draft.questions.count() == 1 and not Option.objects.exists()


def test_the_database_allows_one_office_matrix_per_survey(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(survey=draft, order=9, kind=Kind.MATRIX, text="again")


def test_questions_can_be_moved_and_deleted_before_voting(draft, coordinator):
    scale = services.question_save(survey_id=draft.pk, actor=coordinator, text="评分", kind=Kind.SCALE)
    services.question_move(question_id=scale.pk, actor=coordinator, up=True)
    assert list(draft.questions.order_by("order").values_list("kind", flat=True)) == [Kind.SCALE, Kind.MATRIX]
    services.question_delete(question_id=scale.pk, actor=coordinator)
    assert list(draft.questions.values_list("kind", flat=True)) == [Kind.MATRIX]


# --- Frozen once anyone has answered ------------------------------------------------------------------------
@pytest.fixture
def voted(campaign, offices):
    survey = make_survey(campaign, offices)
    vote(invite(group(survey))[0], full_answers(survey))
    return survey


def test_a_question_cannot_be_added_after_the_first_ballot(voted, coordinator):
    with pytest.raises(ValidationError) as info:
        services.question_save(survey_id=voted.pk, actor=coordinator, text="新问题", kind=Kind.TEXT)
    assert "Voting has begun" in " ".join(info.value.messages)
    assert voted.questions.count() == 1


def test_an_office_cannot_be_added_or_removed_after_the_first_ballot(voted, coordinator, offices):
    with pytest.raises(ValidationError) as info:
        services.survey_update(survey_id=voted.pk, actor=coordinator, offices=[*offices, OfficeFactory()])
    assert "offices" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.survey_update(survey_id=voted.pk, actor=coordinator, offices=offices[:1])
    assert set(voted.offices.all()) == set(offices)


def test_whoever_writes_the_ballot_stays_frozen_even_past_the_services(voted):
    outsider = OfficeFactory()
    with pytest.raises(ValidationError), transaction.atomic():
        voted.offices.add(outsider)
    with pytest.raises(ValidationError), transaction.atomic():
        Question.objects.create(survey=voted, order=5, kind=Kind.TEXT, text="后加的问题")
    assert voted.offices.count() == 3 and voted.questions.count() == 1


def test_weights_and_groups_are_frozen_after_the_first_ballot_but_a_name_may_change(voted, coordinator):
    specs = [GroupSpec(g.name, g.weight, g.open_link, g.pk) for g in voted.groups.order_by("order")]
    moved = [
        GroupSpec(specs[0].name, specs[0].weight - 10, id=specs[0].id),
        GroupSpec(specs[1].name, specs[1].weight + 10, id=specs[1].id),
        specs[2],
    ]
    with pytest.raises(ValidationError):
        services.groups_replace(survey_id=voted.pk, actor=coordinator, groups=moved)
    renamed = [GroupSpec("服务对象和企业", specs[0].weight, id=specs[0].id), *specs[1:]]
    services.groups_replace(survey_id=voted.pk, actor=coordinator, groups=renamed)
    assert voted.groups.order_by("order").first().name == "服务对象和企业"


def test_wording_dates_and_scores_may_still_change_after_voting_began(voted, coordinator):
    services.survey_update(
        survey_id=voted.pk,
        actor=coordinator,
        title="新标题",
        closes_at=voted.closes_at + dt.timedelta(days=3),
        score_basic=Decimal("70"),
    )
    voted.refresh_from_db()
    assert (voted.title, voted.score_basic) == ("新标题", 70)


# --- The life of a survey --------------------------------------------------------------------------------------
def test_a_draft_opens_only_when_it_is_ready(campaign, coordinator):
    survey = services.survey_create(actor=coordinator, campaign=campaign, title="x", standard_ballot=False, **window())
    with pytest.raises(ValidationError) as info:
        services.survey_open(survey_id=survey.pk, actor=coordinator)
    problems = " ".join(info.value.messages)
    assert "at least one question" in problems and "at least one respondent group" in problems
    survey.refresh_from_db()
    assert survey.status == Status.DRAFT


def test_a_matrix_without_offices_or_offices_without_a_matrix_cannot_open(campaign, coordinator, offices):
    survey = services.survey_create(actor=coordinator, campaign=campaign, title="x", **window())
    assert any("offices" in p for p in services.readiness_errors(survey))
    services.survey_update(survey_id=survey.pk, actor=coordinator, offices=offices)
    matrix = survey.questions.get()
    services.question_save(
        survey_id=survey.pk, actor=coordinator, question_id=matrix.pk, text="满意度", kind=Kind.SCALE
    )
    assert any("office rating matrix" in p for p in services.readiness_errors(survey))


def test_a_survey_past_its_closing_time_cannot_open(draft, coordinator):
    Survey.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as info:
        services.survey_open(survey_id=draft.pk, actor=coordinator)
    assert "closing time has passed" in " ".join(info.value.messages)


def test_the_whole_life_of_a_survey_is_recorded(draft, coordinator):
    services.survey_open(survey_id=draft.pk, actor=coordinator)
    services.survey_close(survey_id=draft.pk, actor=coordinator)
    services.survey_reopen(survey_id=draft.pk, actor=coordinator)
    services.survey_close(survey_id=draft.pk, actor=coordinator)
    services.survey_publish(survey_id=draft.pk, actor=coordinator)
    services.survey_withdraw(survey_id=draft.pk, actor=coordinator, reason="数据核对有误")
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Status.CLOSED, None)
    assert verbs(draft) == [
        "survey.create",
        "survey.open",
        "survey.close",
        "survey.reopen",
        "survey.close",
        "survey.publish",
        "survey.withdraw",
    ]


@pytest.mark.parametrize(
    "status, call",
    [
        (Status.OPEN, services.survey_open),
        (Status.DRAFT, services.survey_close),
        (Status.DRAFT, services.survey_publish),
        (Status.PUBLISHED, services.survey_publish),
        (Status.OPEN, services.survey_reopen),
        (Status.PUBLISHED, services.survey_reopen),
    ],
)
def test_disallowed_state_changes_are_refused(campaign, coordinator, status, call):
    survey = make_survey(campaign, status=status)
    with pytest.raises(ValidationError):
        call(survey_id=survey.pk, actor=coordinator)
    assert Survey.objects.get(pk=survey.pk).status == status


def test_an_open_survey_cannot_be_published_before_its_closing_time(campaign, coordinator):
    survey = make_survey(campaign)
    with pytest.raises(ValidationError):
        services.survey_publish(survey_id=survey.pk, actor=coordinator)


def test_an_open_survey_past_its_closing_time_is_closed_when_published(campaign, coordinator):
    survey = make_survey(
        campaign, opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    services.survey_publish(survey_id=survey.pk, actor=coordinator)
    survey.refresh_from_db()
    assert survey.status == Status.PUBLISHED and survey.closed_at and survey.published_by == coordinator


def test_publishing_records_the_ranking_as_published(campaign, coordinator, offices):
    survey = make_survey(campaign, offices, min_valid_responses=1)
    vote(invite(group(survey))[0], full_answers(survey))
    services.survey_close(survey_id=survey.pk, actor=coordinator)
    services.survey_publish(survey_id=survey.pk, actor=coordinator)
    event = AuditEvent.objects.get(verb="survey.publish")
    assert event.data["ballots"] == 1
    assert {row[0] for row in event.data["ranking"]} == {o.pk for o in offices}
    assert all(row[2] == "100.00" for row in event.data["ranking"])


def test_a_published_survey_cannot_be_edited_until_withdrawn(campaign, coordinator):
    survey = make_survey(campaign, status=Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.survey_update(survey_id=survey.pk, actor=coordinator, score_basic=Decimal("50"))
    with pytest.raises(ValidationError) as info:
        services.survey_withdraw(survey_id=survey.pk, actor=coordinator, reason=" ")
    assert "reason" in info.value.message_dict


# --- Invitations -------------------------------------------------------------------------------------------------
def test_invitations_come_in_batches_of_unguessable_distinct_codes(draft, coordinator):
    g = group(draft)
    batch = services.invitation_batch_create(
        group_id=g.pk, actor=coordinator, size=40, label="企业座谈会", note="座谈会"
    )
    tokens = list(batch.invitations.values_list("token", flat=True))
    assert len(set(tokens)) == 40 and all(len(t) == 25 for t in tokens)
    assert list(batch.invitations.values_list("number", flat=True)) == list(range(1, 41))
    assert set(batch.invitations.values_list("note", flat=True)) == {"座谈会"}
    assert "invitations.generate" in verbs(draft)


@pytest.mark.parametrize("size", [0, 301, -1])
def test_a_batch_size_out_of_range_is_refused(draft, coordinator, size):
    with pytest.raises(ValidationError) as info:
        services.invitation_batch_create(group_id=group(draft).pk, actor=coordinator, size=size)
    assert "size" in info.value.message_dict


def test_no_invitations_for_a_closed_survey(campaign, coordinator):
    survey = make_survey(campaign, status=Status.CLOSED)
    with pytest.raises(ValidationError):
        services.invitation_batch_create(group_id=group(survey).pk, actor=coordinator, size=5)


def test_a_used_invitation_cannot_be_revoked(voted, coordinator):
    used = voted.groups.get(order=1).invitations.get()
    with pytest.raises(ValidationError):
        services.invitation_revoke(invitation_id=used.pk, actor=coordinator)


def test_a_note_is_kept_out_of_the_audit_trail(voted, coordinator):
    invitation = invite(group(voted))[0]
    services.invitation_note_set(invitation_id=invitation.pk, actor=coordinator, note="李四，某公司")
    event = AuditEvent.objects.get(verb="invitation.note")
    assert "李四" not in str(event.data)
