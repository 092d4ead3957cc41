"""Several campaigns at once, each at a level of the office tree (campaigns/current.py,
``CampaignQuerySet.for_user``).

The tree: the city 惠州市 with its campaign office, and two districts, 惠阳区 (its
campaign office and the township 淡水街道) and 高新区 (its office 党委办公室). Three
campaigns run at once: the city's (shown first), 惠阳区's and 高新区's. A township's
staff take part in the city's and their district's; a district's campaign office
follows its own district's and the city's; the city's campaign office follows all
three. A page shows one campaign, named by ``?campaign=<id>`` (else the first);
another district's campaign is 404 by its address.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from campaigns.figures import CampaignFigures
from campaigns.home import planning
from campaigns.models import Campaign, Office
from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, TaskFactory, UserFactory, today
from notifications import services as notification_services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    city = OfficeFactory(name="惠州市", level=Office.Level.CITY)
    huiyang = OfficeFactory(name="惠阳区", level=Office.Level.DISTRICT, parent=city)
    zone = OfficeFactory(name="高新区", level=Office.Level.DISTRICT, parent=city)
    return {
        "city": city,
        "city_office": OfficeFactory(name="惠州市作风效能办", parent=city),
        "huiyang": huiyang,
        "huiyang_office": OfficeFactory(name="惠阳区作风效能办", parent=huiyang),
        "danshui": OfficeFactory(name="淡水街道办事处", level=Office.Level.TOWNSHIP, parent=huiyang),
        "zone": zone,
        "party": OfficeFactory(name="党委办公室", parent=zone),
    }


@pytest.fixture
def campaigns(tree):
    city = CampaignFactory(name="全市机关作风效能建设", office=tree["city"], is_current=True)
    huiyang = CampaignFactory(name="惠阳区政务公开专项行动", office=tree["huiyang"])
    zone = CampaignFactory(name="高新区效能提升活动", office=tree["zone"])
    for campaign in (city, huiyang, zone):
        PhaseFactory(campaign=campaign, order=1, name=f"{campaign.name}·动员部署")
    return {"city": city, "huiyang": huiyang, "zone": zone}


@pytest.fixture
def users(tree):
    return {
        "danshui": UserFactory(username="danshui", office=tree["danshui"], role=Role.OFFICE_STAFF),
        "district": UserFactory(username="district", office=tree["huiyang_office"], role=Role.CAMPAIGN_OFFICE),
        "zone": UserFactory(username="zone", office=tree["party"], role=Role.CAMPAIGN_OFFICE),
        "city": UserFactory(username="city", office=tree["city_office"], role=Role.CAMPAIGN_OFFICE),
    }


def names(queryset) -> list[str]:
    return list(queryset.values_list("name", flat=True))


# --- Which campaigns a user sees: one place -------------------------------------------------
def test_each_user_sees_the_campaigns_of_their_level_and_above(campaigns, users):
    city, huiyang, zone = campaigns["city"].name, campaigns["huiyang"].name, campaigns["zone"].name
    assert names(Campaign.objects.for_user(users["danshui"])) == [city, huiyang]
    assert names(Campaign.objects.for_user(users["district"])) == [city, huiyang]
    assert names(Campaign.objects.for_user(users["zone"])) == [city, zone]
    assert names(Campaign.objects.for_user(users["city"])) == [city, huiyang, zone]
    assert names(Campaign.objects.running()) == [city, huiyang, zone]


def test_drafts_and_closed_campaigns_do_not_run(campaigns, users, tree):
    CampaignFactory(name="草拟中", office=tree["city"], status=Campaign.Status.DRAFT)
    CampaignFactory(name="已结束", office=tree["city"], status=Campaign.Status.CLOSED)
    assert "草拟中" not in names(Campaign.objects.for_user(users["city"]))
    assert "已结束" not in names(Campaign.objects.running())


def test_a_campaign_with_no_level_belongs_to_the_whole_tree(tree, users):
    CampaignFactory(name="全树活动", office=None)
    assert all(names(Campaign.objects.for_user(user)) == ["全树活动"] for user in users.values())


def test_the_campaign_office_plans_the_campaigns_of_its_level_and_below(campaigns, users, tree):
    draft = CampaignFactory(name="惠阳区明年活动", office=tree["huiyang"], status=Campaign.Status.DRAFT)

    def planned(user):
        panel = planning(user, today())
        return sorted(c.name for c in panel.lists[0][1]) if panel else None

    # The city's campaign is read by the districts (the switcher), planned by the city.
    assert planned(users["district"]) == sorted([campaigns["huiyang"].name, draft.name])
    assert planned(users["zone"]) == [campaigns["zone"].name]
    assert planned(users["city"]) == sorted(c.name for c in [*campaigns.values(), draft])


# --- The address says which campaign a page shows --------------------------------------------
@pytest.fixture
def tasks(campaigns, tree):
    """A task of each campaign for 淡水街道 (the city's and 惠阳区's) and one for 高新区."""
    phases = {key: c.phases.get() for key, c in campaigns.items()}
    return {
        "city": TaskFactory(phase=phases["city"], lead=tree["danshui"], title="市级任务：建立首问负责制"),
        "huiyang": TaskFactory(phase=phases["huiyang"], lead=tree["danshui"], title="区级任务：公开办事指南"),
        "zone": TaskFactory(phase=phases["zone"], lead=tree["party"], title="高新区任务：整治庸懒散"),
    }


def task_list(client, user, campaign=None):
    client.force_login(user)
    query = {"campaign": campaign.pk} if campaign else {}
    return client.get(reverse("staff:tasks"), query)


def test_two_campaigns_at_once_each_show_their_own_tasks(client, users, campaigns, tasks):
    first = task_list(client, users["danshui"]).content.decode()
    assert tasks["city"].title in first and tasks["huiyang"].title not in first
    huiyang = task_list(client, users["danshui"], campaigns["huiyang"]).content.decode()
    assert tasks["huiyang"].title in huiyang and tasks["city"].title not in huiyang
    # The switcher offers both, the one shown selected.
    assert 'data-testid="campaign-switcher"' in huiyang
    assert f'<option value="{campaigns["huiyang"].pk}" selected>' in huiyang


def test_another_district_s_campaign_is_404_by_its_address(client, users, campaigns, tasks):
    assert task_list(client, users["district"], campaigns["zone"]).status_code == 404
    assert task_list(client, users["zone"], campaigns["huiyang"]).status_code == 404
    assert task_list(client, users["danshui"], campaigns["zone"]).status_code == 404
    assert task_list(client, users["district"], campaigns["huiyang"]).status_code == 200
    client.force_login(users["district"])
    assert client.get(reverse("staff:tasks"), {"campaign": "999999"}).status_code == 404
    assert client.get(reverse("staff:tasks"), {"campaign": "x"}).status_code == 404


def test_a_city_user_sees_both_districts_campaigns(client, users, campaigns, tasks):
    huiyang = task_list(client, users["city"], campaigns["huiyang"])
    zone = task_list(client, users["city"], campaigns["zone"])
    assert huiyang.status_code == zone.status_code == 200
    assert tasks["huiyang"].title in huiyang.content.decode()
    assert tasks["zone"].title in zone.content.decode()
    assert tasks["zone"].title not in huiyang.content.decode()


def test_the_home_shows_the_campaign_named_by_the_address(client, users, campaigns, tasks):
    for task in tasks.values():
        task.deadline = today() + dt.timedelta(days=2)
        task.save()
    client.force_login(users["danshui"])
    home = client.get(reverse("staff:workspace")).content.decode()
    assert tasks["city"].title in home and tasks["huiyang"].title not in home
    home = client.get(reverse("staff:workspace"), {"campaign": campaigns["huiyang"].pk}).content.decode()
    assert tasks["huiyang"].title in home and tasks["city"].title not in home


def test_a_single_campaign_has_no_switcher(client, users, tree):
    CampaignFactory(name="唯一活动", office=tree["city"], is_current=True)
    body = task_list(client, users["danshui"]).content.decode()
    assert "唯一活动" in body and 'data-testid="campaign-switcher"' not in body


def test_the_public_home_shows_every_running_campaign(client, campaigns):
    body = client.get(reverse("home")).content.decode()
    assert all(c.name in body for c in campaigns.values())
    assert f'href="?campaign={campaigns["zone"].pk}"' in body
    body = client.get(reverse("home"), {"campaign": campaigns["zone"].pk}).content.decode()
    assert f'<h1 id="campaign-title" class="h2">{campaigns["zone"].name}</h1>' in body
    assert client.get(reverse("home"), {"campaign": "999999"}).status_code == 404


def test_the_menu_keeps_the_campaign_chosen_in_the_switcher(client, users, campaigns, tasks):
    huiyang = f"?campaign={campaigns['huiyang'].pk}"
    body = task_list(client, users["danshui"], campaigns["huiyang"]).content.decode()
    for name in ("staff:workspace", "rectification-staff:overview", "oversight-staff:deliverables"):
        assert f'href="{reverse(name)}{huiyang}"' in body, name
    # Without a choice in the address the menu's links name none.
    body = task_list(client, users["danshui"]).content.decode()
    assert f'href="{reverse("staff:workspace")}"' in body and huiyang not in body


def test_the_public_menu_keeps_the_campaign_chosen_on_every_public_page(client, campaigns):
    zone = f"?campaign={campaigns['zone'].pk}"
    for page in ("rectification:board", "evaluations:index", "complaints:track"):
        body = client.get(reverse(page), {"campaign": campaigns["zone"].pk}).content.decode()
        # The header's switcher lists every running campaign, the one chosen selected.
        assert 'data-testid="campaign-switcher"' in body, page
        assert all(c.name in body for c in campaigns.values()), page
        assert f'<option value="{campaigns["zone"].pk}" selected>' in body, page
        assert f'href="{reverse("rectification:board")}{zone}"' in body, page
        assert f'href="{reverse("oversight:index")}{zone}"' in body, page


def test_a_staff_member_on_a_public_page_gets_no_public_choice_in_the_menu(client, users, campaigns):
    client.force_login(users["danshui"])
    body = client.get(reverse("rectification:board"), {"campaign": campaigns["zone"].pk}).content.decode()
    menu = body.split('id="main-nav"')[1].split("</nav>")[0]
    assert not re.search(r'href="[^"]*\?campaign=', menu)


def test_saving_a_campaign_refreshes_the_header_at_once(client, users, campaigns):
    client.force_login(users["danshui"])
    assert "惠阳区政务公开专项行动" in client.get(reverse("staff:tasks")).content.decode()
    campaigns["huiyang"].name = "惠阳区政务公开年"
    campaigns["huiyang"].save()
    assert "惠阳区政务公开年" in client.get(reverse("staff:tasks")).content.decode()


# --- Reminders cover every running campaign, once -------------------------------------------
def test_reminders_go_out_for_both_campaigns_once(users, campaigns, tasks, tree):
    for task in (tasks["city"], tasks["huiyang"]):
        task.deadline = today() + dt.timedelta(days=3)
        task.save()
    draft = CampaignFactory(name="草拟", office=tree["huiyang"], status=Campaign.Status.DRAFT)
    TaskFactory(phase=PhaseFactory(campaign=draft), lead=tree["danshui"], deadline=today() + dt.timedelta(days=3))
    notification_services.run_sweep(inline=True)
    notification_services.run_sweep(inline=True)
    notices = Notification.objects.filter(recipient=users["danshui"])
    assert sorted(n.target_id for n in notices) == sorted(
        a.pk for t in (tasks["city"], tasks["huiyang"]) for a in t.assignments.all()
    )


def test_the_figures_are_counted_again_for_every_running_campaign_once(campaigns, tree):
    CampaignFactory(name="草拟", office=tree["huiyang"], status=Campaign.Status.DRAFT)
    counted: list[int] = []
    CampaignFigures("test:several", lambda pk: counted.append(pk) or pk).refresh_current()
    assert sorted(counted) == sorted(c.pk for c in campaigns.values())


# --- Query budgets: 5 campaigns cost what 1 does ----------------------------------------------
def more_campaigns(tree, n: int) -> None:
    """``n`` campaigns running in all, each with a phase and a task for 淡水街道."""
    for i in range(n):
        campaign = CampaignFactory(name=f"活动{i}", office=tree["huiyang"], is_current=i == 0)
        TaskFactory(phase=PhaseFactory(campaign=campaign), lead=tree["danshui"], deadline=today())


@pytest.mark.parametrize("n", [1, 5])
def test_task_list_query_budget_with_several_campaigns(client, tree, users, n, django_assert_num_queries):
    more_campaigns(tree, n)
    client.force_login(users["danshui"])
    # 12 queries: session, user, user permissions, group permissions, the campaigns the user sees (the switcher,
    # +levels), their phases today, taskassignment (+offices, task, phases, campaign), taskassignment (+offices),
    # count of task, taskassignment (+offices, task, phases, campaign), inbox badge, the user's office
    with django_assert_num_queries(12):
        assert client.get(reverse("staff:tasks")).status_code == 200


@pytest.mark.parametrize("n", [1, 5])
def test_staff_home_query_budget_with_several_campaigns(client, tree, users, n, django_assert_num_queries):
    more_campaigns(tree, n)
    client.force_login(users["danshui"])
    # 20 queries: session, user, user permissions, group permissions, the office's tasks by urgency, its overdue and
    # soon tasks, complaints handled (rows), 3 complaint counts, the office's plan, 3 commitment counts, the newest
    # notices, the campaigns the user sees (the switcher, +levels), their phases today, deliverables due, inbox
    # badge, the user's office
    with django_assert_num_queries(20):
        assert client.get(reverse("staff:workspace")).status_code == 200


@pytest.mark.parametrize("n", [1, 5])
def test_public_home_query_budget_with_several_campaigns(client, tree, n, django_assert_num_queries):
    more_campaigns(tree, n)
    # 4 queries: the campaigns on show (+their levels), their phases (+task counts), the header's campaigns on
    # show (+levels), their phases today
    with django_assert_num_queries(4):
        assert client.get(reverse("home")).status_code == 200


# --- A complaint belongs to a campaign its office takes part in ---------------------------------
def test_a_complaint_goes_to_the_campaign_its_office_takes_part_in(campaigns, tree):
    from campaigns.current import campaign_for_office

    danshui, party = tree["danshui"], tree["party"]
    # The nearest level's campaign: 淡水街道's district's, not the city's shown first.
    assert campaign_for_office(danshui) == campaigns["huiyang"]
    assert campaign_for_office(party) == campaigns["zone"]
    assert campaign_for_office(tree["city_office"]) == campaigns["city"]
    # The campaign the page shows, when the office takes part in it; never one it does not.
    assert Campaign.objects.for_office(danshui, preferred=campaigns["city"].pk).first() == campaigns["city"]
    assert Campaign.objects.for_office(danshui, preferred=campaigns["zone"].pk).first() == campaigns["huiyang"]
    # No office named: the campaign shown first.
    assert campaign_for_office(None) == campaigns["city"]


def test_the_public_form_files_a_complaint_under_the_office_s_campaign(client, campaigns, tree):
    from complaints.tests.factories import submit

    complaint, _code = submit(office=tree["danshui"])
    assert complaint.campaign == campaigns["huiyang"]
