"""The staff roles, as Django groups with the permissions each one carries.

Access is decided by permissions (``user.has_perm``) plus office scoping in the
querysets; a role is just the bundle of permissions a kind of user gets. Where in
the office tree a role reaches is campaigns/scope.py's rule: the level (city,
district, township) of the user's office for the campaign office, the complaint
centre and supervisors; the office and those under it for office heads.
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
        # It plans its campaigns in the admin (campaigns/planning/rules.py), and
        # keeps the offices of its own area there, which it never deletes.
        *[
            f"campaigns.{verb}_{model}"
            for model in ("campaign", "phase", "task", "taskassignment")
            for verb in ("add", "change", "delete", "view")
        ],
        "campaigns.add_office",
        "campaigns.change_office",
        "campaigns.view_office",
    ],
    # Whoever first takes a complaint by phone or at the counter registers it (首问负责).
    Role.OFFICE_STAFF: ["campaigns.report_on_task", "complaints.add_complaint"],
    # Heads of office do what their staff do, are told when things run late, and
    # read the records of the offices under their own (campaigns/scope.py).
    Role.OFFICE_HEAD: ["campaigns.report_on_task", "complaints.add_complaint", "campaigns.follow_sub_offices"],
    # Supervisors read everything and change nothing: every complaint without the
    # complainant's identity, and no step (complaints/rules.py).
    Role.SUPERVISOR: ["campaigns.view_all_tasks", "campaigns.comment_on_task", "complaints.view_all_complaints"],
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


def _split(dotted: str) -> tuple[str, str]:
    app_label, codename = dotted.split(".")
    return app_label, codename


def sync_role_groups(**kwargs) -> None:
    """Create the role groups and give each its permissions (post_migrate, after each
    of our apps has its permissions, and after every flush in the tests: the
    permissions are read in one query)."""
    from django.contrib.auth.models import Group, Permission

    roles = {role: [_split(dotted) for dotted in perms] for role, perms in all_role_permissions().items()}
    codenames = {codename for perms in roles.values() for _app_label, codename in perms}
    existing = Permission.objects.filter(codename__in=codenames).order_by("-pk")
    # (app label, codename) -> pk; ordered so that the first of two alike wins, as it did.
    pks = {
        (app_label, codename): pk
        for app_label, codename, pk in existing.values_list("content_type__app_label", "codename", "pk")
    }
    for role, perms in roles.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*[pks[perm] for perm in perms if perm in pks])
