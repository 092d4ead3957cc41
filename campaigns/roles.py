"""The staff roles, as Django groups with the permissions each one carries.

Access is decided by permissions (``user.has_perm``) plus office scoping in the
querysets; a role is just the bundle of permissions a kind of user gets.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CAMPAIGN_OFFICE = "campaign_office", _("Campaign office coordinator")
    OFFICE_STAFF = "office_staff", _("Office staff")
    OFFICE_HEAD = "office_head", _("Office head")
    SUPERVISOR = "supervisor", _("Supervisor")
    COMPLAINT_CENTRE = "complaint_centre", _("Complaint centre")


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CAMPAIGN_OFFICE: [
        "campaigns.coordinate_campaign",
        "campaigns.view_all_tasks",
        "campaigns.report_on_task",
        "campaigns.comment_on_task",
        "complaints.view_all_complaints",
        "complaints.add_complaint",
    ],
    # Whoever first takes a complaint by phone or at the counter registers it (首问负责).
    Role.OFFICE_STAFF: ["campaigns.report_on_task", "complaints.add_complaint"],
    # Heads of office do what their staff do, and are told when things run late.
    Role.OFFICE_HEAD: ["campaigns.report_on_task", "complaints.add_complaint"],
    Role.SUPERVISOR: ["campaigns.view_all_tasks", "campaigns.comment_on_task"],
    Role.COMPLAINT_CENTRE: [
        "complaints.handle_complaints",
        "complaints.view_complainant_identity",
        "complaints.view_all_complaints",
        "complaints.add_complaint",
    ],
}


def all_role_permissions() -> dict[str, list[str]]:
    """ROLE_PERMISSIONS above plus each app's own ``<app>/roles.py`` ROLE_PERMISSIONS,
    so an app brings its permissions without editing this file."""
    from importlib import import_module

    from django.apps import apps

    merged = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        if config.name == "campaigns":
            continue
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.roles":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(role, []).extend(perms)
    return merged


def sync_role_groups(**kwargs) -> None:
    """Create the role groups and give each its permissions (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in all_role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.add(*wanted)
