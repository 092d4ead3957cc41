"""The task ledger: one row per office and task."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, Task, TaskAssignment

from .base import CHUNK, Ledger, labels, local_date, office_param, yes_no_labels


def _tasks_allowed(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.can_read_all or user.office_id is not None)


def _task_rows_qs(user, campaign: Campaign, params):
    visible = Task.objects.visible_to(user).filter(phase__campaign=campaign)
    qs = TaskAssignment.objects.filter(task__in=visible)
    if (office := office_param(params)) is not None:
        qs = qs.filter(office_id=office)
    return qs


def _task_count(user, campaign, params) -> int:
    return _task_rows_qs(user, campaign, params).count()


def _task_sheet(user, campaign, params, today):
    headers = [
        _("Phase"),
        _("No."),
        _("Task"),
        _("Office"),
        _("Role"),
        _("Task deadline"),
        _("Office due date"),
        _("Status"),
        _("Progress (%)"),
        _("Completed on"),
        _("Done on time"),
        _("Overdue"),
    ]
    widths = [18, 7, 44, 24, 10, 12, 12, 12, 10, 12, 10, 9]
    statuses = labels(Task.Status.choices)
    roles = labels(TaskAssignment.Role.choices)
    yn = yes_no_labels()
    qs = (
        _task_rows_qs(user, campaign, params)
        .annotate(office_due=Coalesce("due_date", "task__deadline"))
        .order_by("task__phase__order", "task__number", "-role", "office__name")
        .values_list(
            "task__phase__order",
            "task__phase__name",
            "task__number",
            "task__title",
            "office__name",
            "role",
            "task__deadline",
            "office_due",
            "task__status",
            "task__progress",
            "task__completed_at",
            "submitted_at",
            "waived_at",
        )
    )

    def rows() -> Iterator[list]:
        for (
            p_order,
            p_name,
            number,
            title,
            office,
            role,
            deadline,
            due,
            status,
            progress,
            completed,
            submitted,
            waived,
        ) in qs.iterator(chunk_size=CHUNK):
            done = status == Task.Status.DONE
            completed_on = local_date(completed)
            overdue = not done and due < today and submitted is None and waived is None
            yield [
                f"{p_order}. {p_name}",
                f"{p_order}.{number}",
                title,
                office,
                roles.get(role, role),
                deadline,
                due,
                statuses.get(status, status),
                progress,
                completed_on,
                yn[completed_on <= deadline] if done and completed_on else "",
                yn[overdue],
            ]

    return _("Task ledger"), headers, widths, rows()


LEDGER = Ledger(
    "tasks",
    gettext_lazy("Task ledger"),
    gettext_lazy(
        "One row per office and task: deadline, the office's due date, status, progress, "
        "completion and whether it was on time."
    ),
    "task-ledger",
    _tasks_allowed,
    _task_count,
    _task_sheet,
)
