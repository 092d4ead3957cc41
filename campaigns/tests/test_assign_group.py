"""A task goes to a group of offices in one step — all departments, all townships,
every office under a node — as ordinary co-office assignments, once, inside the
campaign office's own area."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.models import AuditEvent, Office, TaskAssignment
from campaigns.planning.groups import OfficeGroup, task_assign_group
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """A district with three departments and two streets (one with a department of
    its own, one inactive office), and another district beside it."""
    city = OfficeFactory(name="惠州市", level=Office.Level.CITY)
    district = OfficeFactory(name="惠阳区", parent=city, level=Office.Level.DISTRICT)
    offices = {"district": district}
    for name in ("区政府办公室", "区财政局", "区教育局"):
        offices[name] = OfficeFactory(name=name, parent=district)
    for name in ("淡水街道", "秋长街道"):
        offices[name] = OfficeFactory(name=name, parent=district, level=Office.Level.TOWNSHIP)
    offices["淡水党政办"] = OfficeFactory(name="淡水党政办", parent=offices["淡水街道"])
    offices["淡水旧办"] = OfficeFactory(name="淡水旧办", parent=offices["淡水街道"], is_active=False)
    other = OfficeFactory(name="惠城区", parent=city, level=Office.Level.DISTRICT)
    offices["惠城区财政局"] = OfficeFactory(name="惠城区财政局", parent=other)
    offices["惠城区"] = other
    return offices


@pytest.fixture
def planner(tree):
    return UserFactory(username="planner", office=tree["区政府办公室"], role=Role.CAMPAIGN_OFFICE)


def _offices(task):
    return {a.office.name: a.role for a in task.assignments.select_related("office")}


def test_all_departments_are_the_departments_of_the_campaign_offices_body(tree, planner):
    task = TaskFactory(lead=tree["区财政局"])
    added = task_assign_group(task_id=task.pk, group=OfficeGroup.DEPARTMENTS, actor=planner)
    # The lead stays the lead; a street's own department and another district's are not "各部门".
    assert {o.name for o in added} == {"区政府办公室", "区教育局"}
    assert _offices(task) == {"区财政局": "lead", "区政府办公室": "co", "区教育局": "co"}
    assert AuditEvent.objects.get(verb="task.assign_group").data["offices"] == [o.pk for o in added]


def test_all_townships_and_every_office_under_a_node(tree, planner):
    task = TaskFactory(lead=tree["区财政局"])
    task_assign_group(task_id=task.pk, group=OfficeGroup.TOWNSHIPS, actor=planner)
    task_assign_group(task_id=task.pk, group=OfficeGroup.UNDER, node=tree["淡水街道"], actor=planner)
    # The node itself came with the townships; under it, the active office only.
    assert _offices(task) == {"区财政局": "lead", "淡水街道": "co", "秋长街道": "co", "淡水党政办": "co"}


def test_assigning_a_group_twice_adds_each_office_once(tree, planner):
    task = TaskFactory(lead=tree["区财政局"])
    task_assign_group(task_id=task.pk, group=OfficeGroup.DEPARTMENTS, actor=planner)
    again = task_assign_group(task_id=task.pk, group=OfficeGroup.DEPARTMENTS, actor=planner)
    assert again == [] and task.assignments.count() == 3
    # The database says so too.
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskAssignment.objects.create(task=task, office=tree["区教育局"], role="co")


def test_a_node_outside_the_area_and_a_missing_node_are_refused(tree, planner):
    task = TaskFactory(lead=tree["区财政局"])
    for node in (tree["惠城区"], None):
        with pytest.raises(ValidationError) as refused:
            task_assign_group(task_id=task.pk, group=OfficeGroup.UNDER, node=node, actor=planner)
        assert "assign_node" in refused.value.message_dict
    assert task.assignments.count() == 1


def test_only_the_campaign_office_assigns_groups(tree):
    task = TaskFactory(lead=tree["区财政局"])
    staff = UserFactory(office=tree["区财政局"], role=Role.OFFICE_STAFF)
    with pytest.raises(PermissionDenied):
        task_assign_group(task_id=task.pk, group=OfficeGroup.DEPARTMENTS, actor=staff)
    assert task.assignments.count() == 1


def _change(task, **extra):
    lead = task.assignments.get()
    return {
        "phase": task.phase_id,
        "number": task.number,
        "title": "改过的标题",
        "description": "",
        "deadline": task.deadline.isoformat(),
        "assignments-TOTAL_FORMS": 1,
        "assignments-INITIAL_FORMS": 1,
        "assignments-MIN_NUM_FORMS": 0,
        "assignments-MAX_NUM_FORMS": 1000,
        "assignments-0-id": lead.pk,
        "assignments-0-task": task.pk,
        "assignments-0-office": lead.office_id,
        "assignments-0-role": "lead",
        "_save": "Save",
        **extra,
    }


def test_the_campaign_office_assigns_a_group_on_the_task_page_of_the_admin(client, tree, planner):
    task = TaskFactory(lead=tree["区财政局"], title="原标题", phase__campaign__office=tree["district"])
    client.force_login(planner)
    url = reverse("admin:campaigns_task_change", args=[task.pk])
    # "Under" without its node: the error is next to the field and nothing is saved.
    refused = client.post(url, _change(task, assign_group="under"))
    assert refused.status_code == 200 and "assign_node" in refused.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.title == "原标题" and task.assignments.count() == 1
    # Another district's office is not a choice.
    refused = client.post(url, _change(task, assign_group="under", assign_node=tree["惠城区"].pk))
    assert refused.status_code == 200 and task.assignments.count() == 1
    done = client.post(url, _change(task, assign_group="under", assign_node=tree["淡水街道"].pk))
    assert done.status_code == 302
    assert _offices(task) == {"区财政局": "lead", "淡水党政办": "co"}
    task.refresh_from_db()
    assert task.title == "改过的标题"
