"""The campaign office plans its campaigns in the admin, without an IT administrator:
exactly the permissions it needs (campaigns, phases, tasks, assignments, the offices of
its own area) and nothing else; the phase rules hold whoever saves."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.models import Campaign, Office, Phase, Task
from campaigns.roles import Role
from campaigns.services import campaign_make_current
from campaigns.tests.factories import PASSWORD, CampaignFactory, OfficeFactory, PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def area():
    """A zone with the campaign office's own office and two departments under it,
    and another district beside it."""
    city = OfficeFactory(name="惠州市", level=Office.Level.CITY)
    zone = OfficeFactory(name="高新区管委会", parent=city, level=Office.Level.DISTRICT)
    own = OfficeFactory(name="管委会办公室", short_name="管委办", parent=zone)
    party = OfficeFactory(name="党委办公室", short_name="党办", parent=zone)
    publicity = OfficeFactory(name="宣传办公室", short_name="宣传办", parent=zone)
    other_district = OfficeFactory(name="惠城区", parent=city, level=Office.Level.DISTRICT)
    other_office = OfficeFactory(name="惠城区财政局", parent=other_district)
    return {"zone": zone, "own": own, "party": party, "publicity": publicity, "other": other_office}


@pytest.fixture
def planner(area):
    return UserFactory(username="planner", office=area["own"], role=Role.CAMPAIGN_OFFICE)


def _user(username):
    from campaigns.models import User

    return User.objects.get(username=username)


def _campaign_form(name, start, end, phases, status="draft", is_current=False, initial=0):
    data = {
        "name": name,
        "year": start.year,
        "description": "",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "status": status,
        "phases-TOTAL_FORMS": len(phases),
        "phases-INITIAL_FORMS": initial,
        "phases-MIN_NUM_FORMS": 0,
        "phases-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    if is_current:
        data["is_current"] = "on"
    for i, row in enumerate(phases):
        for key, value in row.items():
            data[f"phases-{i}-{key}"] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def _phase(order, name, start, end, pk=None, campaign=None):
    row = {"order": order, "name": name, "start_date": start, "end_date": end, "goal": ""}
    if pk:
        row["id"] = pk
        row["campaign"] = campaign
    return row


def test_the_campaign_office_signs_in_to_the_admin_without_being_a_staff_account(client, planner):
    assert not planner.is_staff
    response = client.post(
        reverse("admin:login"), {"username": "planner", "password": PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")
    index = client.get(reverse("admin:index"))
    models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    # Exactly what it plans with; no users, groups, complaints or anything else.
    assert models == {"Campaign", "Phase", "Task", "Office"}


def test_office_staff_still_cannot_sign_in_to_the_admin(client, area):
    UserFactory(username="clerk", office=area["party"], role=Role.OFFICE_STAFF)
    response = client.post(reverse("admin:login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    client.force_login(_user("clerk"))
    assert client.get(reverse("admin:campaigns_campaign_changelist")).status_code == 302  # to the admin login


def test_the_campaign_office_is_refused_the_rest_of_the_admin(client, planner):
    client.force_login(planner)
    for name in (
        "admin:campaigns_user_changelist",
        "admin:auth_group_changelist",
        "admin:campaigns_auditevent_changelist",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("admin:campaigns_office_delete", args=[planner.office_id])).status_code == 403


def test_the_campaign_office_adds_edits_and_reorders_phases(client, planner):
    client.force_login(planner)
    start, end = dt.date(2026, 9, 1), dt.date(2026, 12, 31)
    response = client.post(
        reverse("admin:campaigns_campaign_add"),
        _campaign_form(
            "2026年作风效能建设活动",
            start,
            end,
            [
                _phase(1, "动员部署阶段", dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
                _phase(2, "整改提高阶段", dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
                _phase(3, "考核总结阶段", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
            ],
        ),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else None
    campaign = Campaign.objects.get(name="2026年作风效能建设活动")
    first, second, third = campaign.phases.order_by("order")

    # Move the boundary between the first two phases by two weeks in one save,
    # and swap the last two (their dates with their order).
    response = client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        _campaign_form(
            campaign.name,
            start,
            end,
            [
                _phase(1, "动员部署阶段", dt.date(2026, 9, 1), dt.date(2026, 10, 14), first.pk, campaign.pk),
                _phase(3, "整改提高阶段", dt.date(2026, 11, 16), dt.date(2026, 12, 31), second.pk, campaign.pk),
                _phase(2, "考核总结阶段", dt.date(2026, 10, 15), dt.date(2026, 11, 15), third.pk, campaign.pk),
            ],
            initial=3,
        ),
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert [(p.order, p.name, p.start_date) for p in campaign.phases.order_by("order")] == [
        (1, "动员部署阶段", dt.date(2026, 9, 1)),
        (2, "考核总结阶段", dt.date(2026, 10, 15)),
        (3, "整改提高阶段", dt.date(2026, 11, 16)),
    ]


def test_a_phase_numbered_against_its_dates_is_refused_and_nothing_is_saved(client, planner, area):
    campaign = CampaignFactory(start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 31), office=area["zone"])
    first = PhaseFactory(
        campaign=campaign, order=1, name="一", start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 30)
    )
    second = PhaseFactory(
        campaign=campaign, order=2, name="二", start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 12, 31)
    )
    client.force_login(planner)
    response = client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        _campaign_form(
            campaign.name,
            campaign.start_date,
            campaign.end_date,
            [
                _phase(2, "一 renamed", first.start_date, first.end_date, first.pk, campaign.pk),
                _phase(1, "二", second.start_date, second.end_date, second.pk, campaign.pk),
            ],
            status=campaign.status,
            initial=2,
        ),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "order" in formset.forms[0].errors
    first.refresh_from_db()
    assert (first.order, first.name) == (1, "一")


def test_the_model_refuses_a_phase_numbered_against_its_dates(campaign):
    day = campaign.start_date
    PhaseFactory(
        campaign=campaign, order=2, start_date=day + dt.timedelta(days=10), end_date=day + dt.timedelta(days=10)
    )
    later = dt.timedelta(days=20)
    Phase(campaign=campaign, order=3, name="after", start_date=day + later, end_date=day + later).full_clean()
    with pytest.raises(ValidationError) as refused:
        Phase(campaign=campaign, order=1, name="before?", start_date=day + later, end_date=day + later).full_clean()
    assert list(refused.value.message_dict) == ["order"]


def test_the_campaign_office_adds_and_renumbers_tasks(client, planner, area):
    campaign = CampaignFactory(start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 31), office=area["zone"])
    phase = PhaseFactory(campaign=campaign, order=1, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 31))
    client.force_login(planner)
    for number, title, lead in ((1, "召开动员大会", area["party"]), (2, "制定宣传报道计划", area["publicity"])):
        response = client.post(
            reverse("admin:campaigns_task_add"),
            {
                "phase": phase.pk,
                "number": number,
                "title": title,
                "description": "",
                "deadline": "2026-09-30",
                "assignments-TOTAL_FORMS": 2,
                "assignments-INITIAL_FORMS": 0,
                "assignments-MIN_NUM_FORMS": 0,
                "assignments-MAX_NUM_FORMS": 1000,
                "assignments-0-office": lead.pk,
                "assignments-0-role": "lead",
                "assignments-1-office": area["own"].pk,
                "assignments-1-role": "co",
                "_save": "Save",
            },
        )
        assert response.status_code == 302
    one, two = Task.objects.order_by("number")
    # Swap the two tasks' numbers on the phase page.
    data = {
        "campaign": campaign.pk,
        "order": 1,
        "name": phase.name,
        "goal": "",
        "start_date": "2026-09-01",
        "end_date": "2026-12-31",
        "tasks-TOTAL_FORMS": 2,
        "tasks-INITIAL_FORMS": 2,
        "tasks-MIN_NUM_FORMS": 0,
        "tasks-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for i, (task, number) in enumerate(((one, 2), (two, 1))):
        data.update(
            {
                f"tasks-{i}-id": task.pk,
                f"tasks-{i}-phase": phase.pk,
                f"tasks-{i}-number": number,
                f"tasks-{i}-title": task.title,
                f"tasks-{i}-deadline": "2026-09-30",
            }
        )
    response = client.post(reverse("admin:campaigns_phase_change", args=[phase.pk]), data)
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"][0].formset.errors
    assert list(Task.objects.order_by("number").values_list("title", flat=True)) == ["制定宣传报道计划", "召开动员大会"]


def test_the_campaign_office_cannot_assign_an_office_of_another_area(client, planner, area):
    phase = PhaseFactory(campaign=CampaignFactory(), start_date=TODAY, end_date=TODAY + dt.timedelta(days=30))
    client.force_login(planner)
    response = client.post(
        reverse("admin:campaigns_task_add"),
        {
            "phase": phase.pk,
            "number": 1,
            "title": "清理行政审批项目",
            "description": "",
            "deadline": (TODAY + dt.timedelta(days=10)).isoformat(),
            "assignments-TOTAL_FORMS": 1,
            "assignments-INITIAL_FORMS": 0,
            "assignments-MIN_NUM_FORMS": 0,
            "assignments-MAX_NUM_FORMS": 1000,
            "assignments-0-office": area["other"].pk,
            "assignments-0-role": "lead",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert not Task.objects.exists()


def test_the_campaign_office_keeps_the_offices_of_its_own_area_only(client, planner, area):
    client.force_login(planner)
    listed = client.get(reverse("admin:campaigns_office_changelist")).context["cl"].result_list
    assert {o.name for o in listed} == {"高新区管委会", "管委会办公室", "党委办公室", "宣传办公室"}
    # Another area's office is not there to open or change.
    response = client.get(reverse("admin:campaigns_office_change", args=[area["other"].pk]))
    assert response.status_code == 404
    # A new office goes under one of its own.
    response = client.post(
        reverse("admin:campaigns_office_add"),
        {
            "name": "科技发展办公室",
            "short_name": "科发办",
            "level": "department",
            "parent": area["zone"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:campaigns_office_add"),
        {"name": "惠城区教育局", "level": "department", "parent": area["other"].parent_id, "is_active": "on"},
    )
    assert response.status_code == 200 and "parent" in response.context["adminform"].form.errors
    response = client.post(
        reverse("admin:campaigns_office_add"), {"name": "无上级", "level": "department", "is_active": "on"}
    )
    assert response.status_code == 200 and "parent" in response.context["adminform"].form.errors
    assert set(
        Office.objects.filter(name__in=["科技发展办公室", "惠城区教育局", "无上级"]).values_list("name", flat=True)
    ) == {"科技发展办公室"}


def test_a_draft_campaign_cannot_be_current(client, planner):
    client.force_login(planner)
    response = client.post(
        reverse("admin:campaigns_campaign_add"),
        _campaign_form("草稿", dt.date(2026, 9, 1), dt.date(2026, 12, 31), [], status="draft", is_current=True),
    )
    assert response.status_code == 200
    assert "is_current" in response.context["adminform"].form.errors
    assert not Campaign.objects.exists()

    draft = CampaignFactory(status=Campaign.Status.DRAFT)
    with pytest.raises(ValidationError):
        campaign_make_current(campaign_id=draft.pk, actor=planner)
    draft.refresh_from_db()
    assert not draft.is_current
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=draft.pk).update(is_current=True)
