"""Levels of government in the Django admin (campaigns/adminscope.py): nobody but a
superuser reads or changes another subtree's records there, nor the node their own
reach hangs from, nor grants themselves more.

The walk: three staff accounts holding the campaign office's role at the zone
(高新区管委会), at 惠阳区 and at the city, each allowed to view every model, open
the change page of every record one district's account lists in the admin and the
other does not: 404 for the other district, 200 for its own and for the city. An
admin registered without scoping fails ``test_every_admin_is_scoped_or_named``.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from campaigns import demo as campaign_demo
from campaigns import scope
from campaigns.adminscope import INFRASTRUCTURE_APPS, ScopedAdminMixin
from campaigns.models import Office, Phase, Task, TaskAssignment, User
from campaigns.planning.copy import campaign_copy
from campaigns.roles import Role
from campaigns.tests.factories import TaskFactory, UserFactory
from campaigns.tests.test_admin import _campaign_post as campaign_admin_post

from .test_levels import _world, huiyang_records, world  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.django_db

#: Admins of configuration with no office (kept by permission alone).
UNSCOPED = {
    "auth.Group",
    "kernel.CalendarDay",
    "complaints.ProblemType",
    "complaints.Open311Key",
    "notifications.ReminderRule",
    "rectification.RectificationSettings",
}
#: Models the walk must find a record of on both sides (so it is never vacuous).
MUST_WALK = {
    "campaigns.Campaign",
    "campaigns.Phase",
    "campaigns.Office",
    "campaigns.User",
    "campaigns.Task",
    "complaints.Complaint",
    "rectification.Problem",
    "rectification.Plan",
    "rectification.Commitment",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_admin_is_scoped_or_named():
    unscoped = {
        _label(model)
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ScopedAdminMixin) and model._meta.app_label not in INFRASTRUCTURE_APPS
    }
    assert unscoped == UNSCOPED


def test_the_sites_machinery_is_for_superusers_only(client, world):  # noqa: F811
    """Sign-in attempts and periodic tasks span every subtree: no permission opens them."""
    user = UserFactory(username="all_views", office=world["huiyang"], is_staff=True, role=Role.CAMPAIGN_OFFICE)
    user.user_permissions.add(*Permission.objects.all())
    client.force_login(user)
    infrastructure = [m for m in admin.site._registry if m._meta.app_label in INFRASTRUCTURE_APPS]
    assert len(infrastructure) >= 5
    for model in infrastructure:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 403, url
    client.force_login(world["demo_users"]["admin"])
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


@pytest.fixture
def readers(world):  # noqa: F811
    """Staff accounts at the zone, 惠阳区 and the city: the campaign office's role and
    every view permission (a staff account given model permissions)."""
    views = Permission.objects.filter(codename__startswith="view_")
    group = Group.objects.get(name=Role.CAMPAIGN_OFFICE)
    made = {}
    for key, office in (
        ("zone", world["zone"]),
        ("huiyang", world["huiyang"]),
        ("city", world["offices"][campaign_demo.CITY]),
    ):
        user = UserFactory(username=f"{key}_staff", office=office, is_staff=True)
        user.groups.set([group])
        user.user_permissions.add(*views)
        made[key] = User.objects.get(pk=user.pk)  # no cached permissions
    return made


def _listed(model_admin, user) -> set[int]:
    request = RequestFactory().get("/")
    request.user = user
    return set(model_admin.get_queryset(request).values_list("pk", flat=True))


def test_every_admin_change_page_answers_404_to_the_other_district(world, readers):  # noqa: F811
    huiyang_records(world)  # a township of 惠阳区 with records of each kind
    clients = {}
    for key, user in readers.items():
        clients[key] = Client()
        clients[key].force_login(user)
    wrong, walked = [], {"zone": set(), "huiyang": set()}
    for model, model_admin in admin.site._registry.items():
        if _label(model) in UNSCOPED:
            continue
        seen = {key: _listed(model_admin, user) for key, user in readers.items()}
        for own, other in (("zone", "huiyang"), ("huiyang", "zone")):
            only = sorted(seen[own] - seen[other])
            if not only:
                continue
            assert set(only) <= seen["city"], f"{_label(model)}: the city misses {own}'s records"
            walked[own].add(_label(model))
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[only[0]])
            for key, expected in ((own, 200), ("city", 200), (other, 404)):
                code = clients[key].get(url).status_code
                if code != expected:
                    wrong.append(f"{key} {url}: {code}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    assert walked["zone"] >= MUST_WALK, walked
    assert walked["huiyang"] >= MUST_WALK, walked


def test_the_district_never_sees_another_districts_records_listed(world, readers):  # noqa: F811
    """Every row the 惠阳区 account lists in the admin's office-bound lists is of 惠阳区."""
    huiyang_records(world)
    huiyang = world["huiyang"]
    request = RequestFactory().get("/")
    request.user = readers["huiyang"]
    checks = {
        Office: "path",
        User: "office__path",
        **{
            m: "office__path"
            for m in admin.site._registry
            if _label(m) in {"rectification.Problem", "rectification.Plan"}
        },
    }
    for model, lookup in checks.items():
        rows = admin.site._registry[model].get_queryset(request)
        assert rows.exists(), model
        assert not rows.exclude(**{f"{lookup}__startswith": huiyang.path}).exists(), model


# --- The campaign office keeps its own subtree, never the node above it ----------------------
@pytest.fixture
def district(world):  # noqa: F811
    return world["demo_users"]["district"]


def _office_form(office: Office, **changes) -> dict:
    data = {
        "name": office.name,
        "short_name": office.short_name,
        "level": office.level,
        "parent": office.parent_id or "",
        "is_active": "on" if office.is_active else "",
        "_save": "Save",
    }
    if office.is_complaint_centre:
        data["is_complaint_centre"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_district_cannot_relabel_or_move_its_own_district_or_office(client, world, district):  # noqa: F811
    huiyang, city = world["huiyang"], world["offices"][campaign_demo.CITY]
    own = district.office
    reach = set(scope.offices(district).values_list("pk", flat=True))
    client.force_login(district)
    # Its district and its own office: read, never changed (a department label on
    # 惠阳区 would hand the district the whole city).
    for node in (huiyang, own):
        url = reverse("admin:campaigns_office_change", args=[node.pk])
        assert client.get(url).status_code == 200
        with transaction.atomic():
            assert client.post(url, _office_form(node, level="department")).status_code == 403
            transaction.set_rollback(True)
    assert client.get(reverse("admin:campaigns_office_change", args=[city.pk])).status_code == 404
    huiyang.refresh_from_db()
    assert huiyang.level == Office.Level.DISTRICT and huiyang.parent_id == city.pk
    assert set(scope.offices(district).values_list("pk", flat=True)) == reach


def test_the_district_adds_and_edits_offices_below_its_level_only(client, world, district):  # noqa: F811
    huiyang, zone = world["huiyang"], world["zone"]
    danshui = world["offices"][campaign_demo.DANSHUI]
    client.force_login(district)
    add = reverse("admin:campaigns_office_add")
    form = client.get(add).context["adminform"].form
    assert {value for value, _label in form.fields["level"].choices if value} == {"township", "department", "section"}
    # A district or a city under its own district: refused.
    for level in ("district", "city"):
        response = client.post(add, {"name": f"新{level}", "level": level, "parent": huiyang.pk, "is_active": "on"})
        assert response.status_code == 200 and "level" in response.context["adminform"].form.errors
    # Under another district: refused.
    response = client.post(add, {"name": "新街道", "level": "township", "parent": zone.pk, "is_active": "on"})
    assert response.status_code == 200 and "parent" in response.context["adminform"].form.errors
    # A township moved to the other district: refused; its short name: kept.
    url = reverse("admin:campaigns_office_change", args=[danshui.pk])
    response = client.post(url, _office_form(danshui, parent=zone.pk))
    assert response.status_code == 200 and "parent" in response.context["adminform"].form.errors
    assert client.post(url, _office_form(danshui, short_name="淡水")).status_code == 302
    danshui.refresh_from_db()
    assert danshui.short_name == "淡水" and danshui.parent_id == huiyang.pk
    response = client.post(add, {"name": "新圩镇", "level": "township", "parent": huiyang.pk, "is_active": "on"})
    assert response.status_code == 302
    assert Office.objects.get(name="新圩镇").path.startswith(huiyang.path)


def test_a_campaign_is_given_a_level_in_the_districts_reach_only(client, world, district):  # noqa: F811
    from campaigns.models import Campaign

    client.force_login(district)
    campaign = Campaign.objects.filter(is_current=True).get()
    request = RequestFactory().get("/")
    request.user = district
    field = admin.site._registry[Campaign].get_form(request, campaign).base_fields["office"]
    offered = set(field.queryset.values_list("pk", flat=True))
    assert world["huiyang"].pk in offered
    assert offered <= set(scope.offices(district).values_list("pk", flat=True))
    assert world["offices"][campaign_demo.CITY].pk not in offered and world["zone"].pk not in offered


def test_the_offices_offered_for_an_assignment_are_the_districts(client, world, district):  # noqa: F811
    client.force_login(district)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "campaigns", "model_name": "taskassignment", "field_name": "office", "term": ""},
    )
    assert response.status_code == 200
    offered = {int(row["id"]) for row in response.json()["results"]}
    assert offered and offered <= set(scope.offices(district).values_list("pk", flat=True))
    assert world["zone"].pk not in offered


def test_a_task_shared_with_another_district_is_read_not_changed(client, world, district):  # noqa: F811
    huiyang, zone = world["huiyang"], world["zone"]
    # In 惠阳区's own campaign: what stops the change is the other district's office.
    task = Task.objects.filter(phase__campaign__office=huiyang).first()
    shared = cast(Task, TaskFactory(phase=task.phase, lead=zone, title="两区共同任务", number=98))
    TaskAssignment.objects.create(task=shared, office=world["offices"][campaign_demo.DANSHUI], role="assist")
    own = cast(
        Task, TaskFactory(phase=task.phase, lead=world["offices"][campaign_demo.DANSHUI], title="区内任务", number=97)
    )
    client.force_login(district)
    change = reverse("admin:campaigns_task_change", args=[shared.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"title": "改掉", "_save": "Save"}).status_code == 403
    assert client.post(reverse("admin:campaigns_task_delete", args=[shared.pk]), {"post": "yes"}).status_code == 403
    assert Task.objects.filter(pk=shared.pk, title="两区共同任务").exists()
    listing = client.get(reverse("admin:campaigns_task_changelist"))
    # "Delete selected" asks no per-task permission: not offered.
    action_form = listing.context["action_form"]
    assert action_form is None or "delete_selected" not in dict(action_form.fields["action"].choices)
    assert client.get(reverse("admin:campaigns_task_change", args=[own.pk])).status_code == 200
    zone_only = Task.objects.exclude(assignments__office__path__startswith=huiyang.path).filter(
        assignments__isnull=False
    )
    assert client.get(reverse("admin:campaigns_task_change", args=[zone_only.first().pk])).status_code == 404


# --- Campaigns: read at the levels below, planned only at one's own ---------------------------
@pytest.fixture
def city_campaign(world):  # noqa: F811
    """A campaign of the whole city, with a phase: 惠阳区 takes part in it."""
    from campaigns.tests.factories import CampaignFactory, PhaseFactory

    campaign = CampaignFactory(name="全市效能提升行动", office=world["offices"][campaign_demo.CITY])
    PhaseFactory(campaign=campaign, order=1, name="全市动员", start_date=campaign.start_date)
    return campaign


def _campaign_post(campaign, **changes) -> dict:
    """The campaign's change form as posted, with no phase rows, and ``changes``."""
    return {**campaign_admin_post(campaign, []), **changes}


def test_a_district_reads_the_citys_campaign_and_never_changes_it(client, world, district, city_campaign):  # noqa: F811
    from campaigns.models import Campaign

    client.force_login(district)
    change = reverse("admin:campaigns_campaign_change", args=[city_campaign.pk])
    page = client.get(change)
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert client.post(change, _campaign_post(city_campaign, name="改名")).status_code == 403
    delete = reverse("admin:campaigns_campaign_delete", args=[city_campaign.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    phase = city_campaign.phases.get()
    phase_change = reverse("admin:campaigns_phase_change", args=[phase.pk])
    assert client.get(phase_change).context["has_change_permission"] is False
    assert client.post(phase_change, {"name": "改名", "_save": "Save"}).status_code == 403
    city_campaign.refresh_from_db()
    phase.refresh_from_db()
    assert (city_campaign.name, phase.name) == ("全市效能提升行动", "全市动员")

    # Nor through the list's actions.
    changelist = reverse("admin:campaigns_campaign_changelist")
    refused = client.post(changelist, {"action": "make_current", "_selected_action": [city_campaign.pk]}, follow=True)
    assert "planned at another level" in str(list(refused.context["messages"])[0])
    assert not Campaign.objects.get(pk=city_campaign.pk).is_current
    # Nor by putting its own campaign in front of the zone's, shown first.
    own = Campaign.objects.get(office=world["huiyang"])
    shown_first = Campaign.objects.get(is_current=True)
    refused = client.post(changelist, {"action": "make_current", "_selected_action": [own.pk]}, follow=True)
    assert shown_first.name in str(list(refused.context["messages"])[0])
    assert Campaign.objects.get(is_current=True) == shown_first
    # Nor copy it: a copy keeps its level, the city's.
    with pytest.raises(PermissionDenied):
        campaign_copy(campaign=city_campaign, start=city_campaign.start_date, actor=district)
    # No task of the district's goes into the city's campaign, nor any phase.
    request = RequestFactory().get("/")
    request.user = district
    task_form = admin.site._registry[Task].get_form(request)
    assert not task_form.base_fields["phase"].queryset.filter(campaign=city_campaign).exists()
    assert task_form.base_fields["phase"].queryset.exists()
    phase_form = admin.site._registry[Phase].get_form(request)
    assert set(phase_form.base_fields["campaign"].queryset) == {Campaign.objects.get(office=world["huiyang"])}


def test_a_district_plans_its_own_campaign_and_a_new_one_is_its_own(client, world, district):  # noqa: F811
    from campaigns.models import Campaign

    huiyang = world["huiyang"]
    own = Campaign.objects.get(office=huiyang)
    client.force_login(district)
    change = reverse("admin:campaigns_campaign_change", args=[own.pk])
    response = client.post(change, _campaign_post(own, name="惠阳区作风效能提升行动"))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else None
    own.refresh_from_db()
    assert own.name == "惠阳区作风效能提升行动"
    # A campaign added with no level is the district's: still the district's to plan.
    added = client.post(
        reverse("admin:campaigns_campaign_add"), _campaign_post(own, name="惠阳区新活动", office="", status="draft")
    )
    assert added.status_code == 302
    new = Campaign.objects.get(name="惠阳区新活动")
    assert new.office_id == huiyang.pk
    assert client.get(reverse("admin:campaigns_campaign_change", args=[new.pk])).context["has_change_permission"]


def test_a_plan_is_imported_only_into_a_campaign_of_ones_own_level(world, district, city_campaign):  # noqa: F811
    from django.core.exceptions import ValidationError

    from campaigns.models import Campaign
    from campaigns.planning.forms import PlanSourceForm
    from campaigns.planning.importer import plan_import, plan_preview

    offered = set(PlanSourceForm(user=district).fields["campaign"].queryset)
    assert offered == {Campaign.objects.get(office=world["huiyang"])}
    text = "一、宣传发动阶段（3月1日—3月31日）\n1.召开动员大会。（区政府办公室负责）"
    found = plan_preview(text, year=2026, offices=Office.objects.all())
    mapping = dict.fromkeys(found.unmatched, world["huiyang"].pk)
    preview = plan_preview(text, year=2026, offices=Office.objects.all(), mapping=mapping)
    phases = city_campaign.phases.count()
    with pytest.raises(ValidationError) as refused:
        plan_import(preview=preview, actor=district, campaign_id=city_campaign.pk)
    assert "campaign" in refused.value.message_dict
    assert city_campaign.phases.count() == phases


# --- Staff accounts: never another subtree's, a superuser's or one's own; no grants ----------
@pytest.fixture
def keeper(world):  # noqa: F811
    """惠阳区's staff account with the user permissions."""
    user = UserFactory(username="huiyang_keeper", office=world["huiyang"], is_staff=True, role=Role.CAMPAIGN_OFFICE)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="campaigns", codename__endswith="_user")
    )
    return User.objects.get(pk=user.pk)


def test_a_staff_account_keeps_the_users_of_its_subtree_only(client, world, keeper):  # noqa: F811
    users = world["demo_users"]
    client.force_login(keeper)
    listed = {u.username for u in client.get(reverse("admin:campaigns_user_changelist")).context["cl"].result_list}
    assert {"district", "danshui"} <= listed
    assert not listed & {"coordinator", "city", "admin", "head", "citycentre"}
    for username in ("coordinator", "city", "admin"):
        assert client.get(reverse("admin:campaigns_user_change", args=[users[username].pk])).status_code == 404
    password = reverse("admin:auth_user_password_change", args=[users["city"].pk])
    assert client.get(password).status_code == 404
    # Its own account: read, never changed here.
    assert client.post(reverse("admin:campaigns_user_change", args=[keeper.pk]), {"username": "x"}).status_code == 403


def test_a_staff_account_grants_no_role_permission_or_superuser(client, world, keeper):  # noqa: F811
    danshui = world["demo_users"]["danshui"]
    before = set(danshui.groups.values_list("name", flat=True))
    client.force_login(keeper)
    url = reverse("admin:campaigns_user_change", args=[danshui.pk])
    form = client.get(url).context["adminform"].form
    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(form.fields)
    assert {o for o, _l in form.fields["office"].choices if o} <= set(
        scope.offices(keeper).values_list("pk", flat=True)
    )
    data = {
        "username": danshui.username,
        "first_name": danshui.first_name,
        "email": danshui.email,
        "is_active": "on",
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name=Role.COMPLAINT_CENTRE).pk],
        "office": world["zone"].pk,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "notify_by_email": "on",
        "_save": "Save",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "office" in response.context["adminform"].form.errors
    data["office"] = danshui.office_id
    assert client.post(url, data).status_code == 302
    danshui.refresh_from_db()
    assert not danshui.is_superuser and not danshui.is_staff
    assert set(danshui.groups.values_list("name", flat=True)) == before
