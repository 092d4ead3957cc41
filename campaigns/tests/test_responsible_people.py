"""落实到人: a responsible person per assignment, a head and a liaison per office,
each a member of that office; shown on the task page and in the admin, and filled
by the plan import when the plan names the person."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from campaigns.models import Office, TaskAssignment
from campaigns.planning.importer import plan_import, plan_preview, preview_json
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = OfficeFactory(name="高新区管委会", short_name="高新区", level=Office.Level.DISTRICT)
    own = OfficeFactory(name="管委会办公室", short_name="管委办", parent=zone)
    party = OfficeFactory(name="党委办公室", short_name="党办", parent=zone)
    return {"zone": zone, "own": own, "party": party}


@pytest.fixture
def planner(zone):
    return UserFactory(username="planner", office=zone["own"], role=Role.CAMPAIGN_OFFICE)


def test_a_responsible_person_from_another_office_is_refused(zone):
    task = TaskFactory(lead=zone["party"])
    outsider = UserFactory(office=zone["own"])
    assignment = task.assignments.get()
    assignment.responsible = outsider
    with pytest.raises(ValidationError) as refused:
        assignment.full_clean()
    assert "responsible" in refused.value.message_dict
    assignment.responsible = UserFactory(office=zone["party"])
    assignment.full_clean()  # a member of the office is accepted


@pytest.mark.parametrize("field", ["head", "liaison"])
def test_an_office_head_or_liaison_must_be_a_member_of_the_office(zone, field):
    office = zone["party"]
    setattr(office, field, UserFactory(office=zone["own"]))
    with pytest.raises(ValidationError) as refused:
        office.full_clean()
    assert field in refused.value.message_dict
    setattr(office, field, UserFactory(office=office))
    office.full_clean()


def test_the_task_page_names_the_responsible_person(client, zone, planner):
    task = TaskFactory(lead=zone["party"])
    person = UserFactory(office=zone["party"], first_name="陈", last_name="")
    TaskAssignment.objects.filter(task=task).update(responsible=person)
    client.force_login(planner)
    page = client.get(reverse("staff:task-detail", args=[task.pk]))
    assert page.status_code == 200
    assert "陈" in page.content.decode().split('data-testid="responsible"')[1].split("</td>")[0]


def _task_change(task, office, responsible):
    return {
        "phase": task.phase_id,
        "number": task.number,
        "title": task.title,
        "description": "",
        "deadline": task.deadline.isoformat(),
        "assignments-TOTAL_FORMS": 1,
        "assignments-INITIAL_FORMS": 1,
        "assignments-MIN_NUM_FORMS": 0,
        "assignments-MAX_NUM_FORMS": 1000,
        "assignments-0-id": task.assignments.get().pk,
        "assignments-0-task": task.pk,
        "assignments-0-office": office.pk,
        "assignments-0-role": "lead",
        "assignments-0-responsible": responsible.pk,
        "_save": "Save",
    }


def test_the_campaign_office_names_the_responsible_person_in_the_admin(client, zone, planner):
    task = TaskFactory(lead=zone["party"], phase__campaign__office=zone["zone"])
    member, outsider = UserFactory(office=zone["party"]), UserFactory(office=zone["own"])
    client.force_login(planner)
    url = reverse("admin:campaigns_task_change", args=[task.pk])
    assert f'value="{member.pk}"' in client.get(url).content.decode()
    # Someone of another office is not offered, and refused if posted.
    refused = client.post(url, _task_change(task, zone["party"], outsider))
    assert refused.status_code == 200
    assert task.assignments.get().responsible is None
    assert client.post(url, _task_change(task, zone["party"], member)).status_code == 302
    assert task.assignments.get().responsible == member


def test_the_campaign_office_names_an_offices_head_and_liaison_in_the_admin(client, zone, planner):
    office = zone["party"]
    head, liaison, outsider = (
        UserFactory(office=office),
        UserFactory(office=office),
        UserFactory(office=zone["own"]),
    )
    client.force_login(planner)
    url = reverse("admin:campaigns_office_change", args=[office.pk])
    data = {
        "name": office.name,
        "short_name": office.short_name,
        "level": office.level,
        "parent": zone["zone"].pk,
        "is_active": "on",
        "head": head.pk,
        "liaison": outsider.pk,
        "_save": "Save",
    }
    assert client.post(url, data).status_code == 200  # the outsider is not a choice
    office.refresh_from_db()
    assert office.head is None and office.liaison is None
    data["liaison"] = liaison.pk
    assert client.post(url, data).status_code == 302
    office.refresh_from_db()
    assert (office.head, office.liaison) == (head, liaison)


PLAN = """2026年作风建设实施方案
一、宣传发动阶段（3月1日—3月31日）
1.召开动员大会，部署作风建设工作。责任人：张三。（党委办公室负责）
2.制定宣传方案。（党委办公室负责）
3.开展督查，责任人：李四。（党委办公室负责）
"""


def test_the_import_fills_the_responsible_person_the_plan_names(zone, planner):
    zhang = UserFactory(office=zone["party"], first_name="三", last_name="张")
    with translation.override("en"):
        preview = plan_preview(PLAN, year=2026, offices=Office.objects.all())
        read = preview_json(preview)
        assert [t["responsible"] for t in read["phases"][0]["tasks"]] == ["张三", None, "李四"]
        # Nobody called 李四 works in the office: said, not guessed.
        assert any("李四" in w for w in read["warnings"])
        campaign = plan_import(preview=preview, actor=planner, new_campaign_name="作风建设")
    leads = TaskAssignment.objects.filter(task__phase__campaign=campaign, role="lead").order_by("task__number")
    assert [a.responsible for a in leads] == [zhang, None, None]


def test_the_office_directory_import_names_the_head_of_each_office(tmp_path):
    from campaigns.officeimport import import_offices, read_rows

    from .test_office_import import DIRECTORY, workbook

    import_offices(rows=read_rows(workbook(tmp_path, DIRECTORY)))
    office = Office.objects.get(name="党政办公室", parent__name="淡水街道办事处")
    assert office.head is not None and office.head.username == "ds_head"
