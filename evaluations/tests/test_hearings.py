"""Hearings (听证质询): the panel, questions and answers, the panel's opinion poll run
as a survey with one invitation per member, and the published summary."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns.models import AuditEvent
from campaigns.tests.factories import OfficeFactory
from evaluations import services
from evaluations.models import Ballot, Invitation, Panelist, Survey
from evaluations.selectors import survey_results
from evaluations.tests.factories import full_answers

pytestmark = pytest.mark.django_db
Kind = Panelist.Kind


@pytest.fixture
def hearing(coordinator, campaign, offices):
    return services.hearing_create(
        actor=coordinator,
        campaign=campaign,
        title="作风建设听证质询会",
        date=timezone.localdate(),
        place="三楼会议室",
        offices=offices[:2],
    )


def add(hearing, coordinator, name, kind, affiliation=""):
    return services.panelist_add(
        hearing_id=hearing.pk, actor=coordinator, name=name, kind=kind, affiliation=affiliation
    )


@pytest.fixture
def panel(hearing, coordinator):
    return [
        add(hearing, coordinator, "王建国", Kind.DEPUTY, "区人大代表"),
        add(hearing, coordinator, "李秀英", Kind.DEPUTY),
        add(hearing, coordinator, "孙丽", Kind.SUPERVISOR),
        add(hearing, coordinator, "吴海", Kind.RECIPIENT),
    ]


def poll_for(hearing, coordinator):
    start = timezone.now() - dt.timedelta(minutes=5)
    return services.hearing_poll_create(
        hearing_id=hearing.pk, actor=coordinator, opens_at=start, closes_at=start + dt.timedelta(hours=8)
    )


def test_a_hearing_needs_a_title_a_place_and_offices(coordinator, campaign):
    with pytest.raises(ValidationError) as info:
        services.hearing_create(
            actor=coordinator, campaign=campaign, title=" ", date=timezone.localdate(), place="", offices=[]
        )
    assert set(info.value.message_dict) == {"title", "place", "offices"}


def test_only_the_campaign_office_keeps_hearings(supervisor, campaign, offices):
    with pytest.raises(PermissionDenied):
        services.hearing_create(
            actor=supervisor, campaign=campaign, title="x", date=timezone.localdate(), place="x", offices=offices
        )


def test_a_panel_member_is_on_a_panel_once(hearing, coordinator, panel):
    with pytest.raises(ValidationError) as info:
        add(hearing, coordinator, "王建国", Kind.SUPERVISOR)
    assert "name" in info.value.message_dict


def test_a_question_goes_to_an_office_examined_and_is_asked_by_a_member_of_this_panel(
    hearing, coordinator, panel, offices, campaign
):
    other = services.hearing_create(
        actor=coordinator, campaign=campaign, title="另一场", date=timezone.localdate(), place="x", offices=offices
    )
    stranger = add(other, coordinator, "局外人", Kind.DEPUTY)
    with pytest.raises(ValidationError) as info:
        services.hearing_question_save(
            hearing_id=hearing.pk, actor=coordinator, office=offices[2], asked_by=stranger, question=""
        )
    assert set(info.value.message_dict) == {"office", "asked_by", "question"}
    item = services.hearing_question_save(
        hearing_id=hearing.pk,
        actor=coordinator,
        office=offices[0],
        asked_by=panel[0],
        question="如何落实首问负责制？",
        answer="已设综合窗口。",
    )
    assert (item.order, item.asked_by) == (1, panel[0])


def test_the_opinion_poll_is_a_survey_with_one_invitation_per_panel_member(hearing, coordinator, panel, offices):
    poll = poll_for(hearing, coordinator)
    hearing.refresh_from_db()
    assert hearing.poll == poll and poll.status == Survey.Status.DRAFT
    assert set(poll.offices.all()) == set(offices[:2])
    groups = list(poll.groups.order_by("order").values_list("weight", flat=True))
    assert groups == [34, 33, 33] and sum(groups) == 100
    for member in Panelist.objects.filter(hearing=hearing).select_related("invitation__group"):
        assert member.invitation.note == member.name
        assert member.invitation.group.name == str(Kind(member.kind).label)
    with pytest.raises(ValidationError):
        poll_for(hearing, coordinator)


def test_the_panel_votes_with_its_invitations_and_the_poll_is_ranked_with_a_small_panel(hearing, coordinator, panel):
    poll = poll_for(hearing, coordinator)
    services.survey_open(survey_id=poll.pk, actor=coordinator)
    for member in Panelist.objects.filter(hearing=hearing).select_related("invitation"):
        services.ballot_submit_invitation(token=member.invitation.token, answers=full_answers(poll))
    assert Ballot.objects.filter(survey=poll).count() == 4
    results = survey_results(poll)
    assert all(r.rank == 1 for r in results.offices)  # a panel is small: one valid response is enough
    assert not results.most_satisfactory and not results.lagging  # and nobody is singled out


def test_a_member_added_after_the_poll_gets_an_invitation_in_their_group(hearing, coordinator, panel):
    poll_for(hearing, coordinator)
    late = add(hearing, coordinator, "赵志强", Kind.DEPUTY)
    assert late.invitation.group == Panelist.objects.get(name="王建国").invitation.group
    assert late.invitation.note == "赵志强"


def test_a_member_whose_kind_has_no_group_in_the_poll_is_refused(hearing, coordinator, offices):
    add(hearing, coordinator, "王建国", Kind.DEPUTY)
    poll_for(hearing, coordinator)
    with pytest.raises(ValidationError) as info:
        add(hearing, coordinator, "吴海", Kind.RECIPIENT)
    assert "kind" in info.value.message_dict
    assert not Panelist.objects.filter(name="吴海").exists()


def test_a_member_who_answered_stays_on_the_panel_and_one_removed_loses_the_invitation(hearing, coordinator, panel):
    poll = poll_for(hearing, coordinator)
    services.survey_open(survey_id=poll.pk, actor=coordinator)
    voter, leaver = Panelist.objects.filter(hearing=hearing).select_related("invitation")[:2]
    services.ballot_submit_invitation(token=voter.invitation.token, answers=full_answers(poll))
    with pytest.raises(ValidationError):
        services.panelist_remove(panelist_id=voter.pk, actor=coordinator)
    services.panelist_remove(panelist_id=leaver.pk, actor=coordinator)
    assert Invitation.objects.get(pk=leaver.invitation.pk).revoked_at is not None


def test_the_offices_examined_are_fixed_once_the_poll_exists(hearing, coordinator, panel, offices):
    poll_for(hearing, coordinator)
    with pytest.raises(ValidationError) as info:
        services.hearing_update(hearing_id=hearing.pk, actor=coordinator, offices=offices)
    assert "offices" in info.value.message_dict


def test_the_summary_is_published_after_the_hearing_and_can_be_withdrawn(hearing, coordinator):
    with pytest.raises(ValidationError):
        services.hearing_publish(hearing_id=hearing.pk, actor=coordinator)  # no summary yet
    services.hearing_update(hearing_id=hearing.pk, actor=coordinator, summary="质询组听取了汇报。")
    services.hearing_publish(hearing_id=hearing.pk, actor=coordinator)
    with pytest.raises(ValidationError):
        services.hearing_publish(hearing_id=hearing.pk, actor=coordinator)
    with pytest.raises(ValidationError):
        services.hearing_update(hearing_id=hearing.pk, actor=coordinator, summary="")
    services.hearing_withdraw(hearing_id=hearing.pk, actor=coordinator, reason="内容需核实")
    hearing.refresh_from_db()
    assert hearing.published_at is None
    assert list(
        AuditEvent.objects.filter(target_id=hearing.pk, target_type__model="hearing")
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["hearing.create", "hearing.update", "hearing.publish", "hearing.withdraw"]


def test_questions_put_to_an_office_keep_it_among_the_offices_examined(hearing, coordinator, offices):
    services.hearing_question_save(hearing_id=hearing.pk, actor=coordinator, office=offices[0], question="问题？")
    with pytest.raises(ValidationError) as info:
        services.hearing_update(hearing_id=hearing.pk, actor=coordinator, offices=[offices[1], OfficeFactory()])
    assert "offices" in info.value.message_dict


def test_the_panel_of_each_group_gets_one_batch_to_print(hearing, coordinator, panel):
    poll = poll_for(hearing, coordinator)
    batches = {g.name: list(g.batches.all()) for g in poll.groups.all()}
    assert [len(b) for b in batches.values()] == [1, 1, 1]
    deputies = batches[str(Kind.DEPUTY.label)][0]
    assert (deputies.size, sorted(deputies.invitations.values_list("note", flat=True))) == (2, ["李秀英", "王建国"])
