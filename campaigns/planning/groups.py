"""Assigning a task to a group of offices in one step ("各部门", "各镇（街道）", every
office under a node of the tree), expanded into ordinary co-office assignments the
campaign office can still edit or remove one by one.

The group is read inside the campaign office's own area (rules.planning_area), and
an office already on the task is never added twice: the rows that exist are left
as they are, and the database's ``assignment_office_once`` decides any race.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import AuditEvent, Office, Task, TaskAssignment
from .rules import area_root_id, may_plan, planning_area


class OfficeGroup(models.TextChoices):
    DEPARTMENTS = "departments", gettext_lazy("All departments (各部门)")
    TOWNSHIPS = "townships", gettext_lazy("All townships and streets (各镇街)")
    UNDER = "under", gettext_lazy("Every office under an office of the tree")


def offices_in_group(actor, group: str, node: Office | None = None) -> QuerySet[Office]:
    """The active offices of ``group`` in ``actor``'s planning area: the departments
    directly under the body the campaign office serves, every township or street of
    the area, or every office below ``node`` (not ``node`` itself)."""
    area = planning_area(actor).filter(is_active=True)
    if group == OfficeGroup.DEPARTMENTS:
        root = area_root_id(actor)
        departments = area.filter(level=Office.Level.DEPARTMENT)
        return departments.filter(parent_id=root) if root is not None else departments
    if group == OfficeGroup.TOWNSHIPS:
        return area.filter(level=Office.Level.TOWNSHIP)
    if group == OfficeGroup.UNDER:
        if node is None:
            raise ValidationError({"assign_node": _("Choose the office whose sub-offices take part.")})
        if not planning_area(actor).filter(pk=node.pk).exists():
            raise ValidationError({"assign_node": _("This office is outside your area.")})
        return area.filter(path__startswith=node.path).exclude(pk=node.pk)
    raise ValidationError({"assign_group": _("Choose a group of offices.")})


@transaction.atomic
def task_assign_group(*, task_id: int, group: str, actor, node: Office | None = None) -> list[Office]:
    """Add every office of the group to the task as a co-office, once; returns the
    offices added (none when all were already on the task)."""
    if not may_plan(actor):
        raise PermissionDenied
    task = Task.objects.select_for_update().get(pk=task_id)
    members = list(offices_in_group(actor, group, node).order_by("name"))
    present = set(TaskAssignment.objects.filter(task=task).values_list("office_id", flat=True))
    added = [office for office in members if office.pk not in present]
    TaskAssignment.objects.bulk_create(
        [TaskAssignment(task=task, office=office, role=TaskAssignment.Role.CO) for office in added],
        ignore_conflicts=True,
    )
    AuditEvent.record(
        task,
        actor,
        "task.assign_group",
        group=group,
        node=node.pk if node else None,
        offices=[office.pk for office in added],
    )
    return added
