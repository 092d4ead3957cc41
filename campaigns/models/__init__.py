"""Offices, users, campaigns, phases and tasks: the backbone every other app uses.
One module per part, all re-exported here (Django and the migrations import them
from ``campaigns.models``)."""

from .audit import AuditEvent
from .campaigns import Campaign, Phase, Section
from .offices import Office, User, rebuild_paths
from .tasks import Task, TaskAssignment, TaskComment, TaskReport, task_report_upload_to

__all__ = [
    "AuditEvent",
    "Campaign",
    "Office",
    "Phase",
    "Section",
    "Task",
    "TaskAssignment",
    "TaskComment",
    "TaskReport",
    "User",
    "rebuild_paths",
    "task_report_upload_to",
]
