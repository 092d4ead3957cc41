"""Who plans campaigns, and over which offices.

The campaign office plans in the Django admin with the permissions its role
carries (campaigns/roles.py), without being a Django "staff" account: the admin
site and its login ask ``may_use_admin``. Its offices are those of its own area
(``planning_area``, the reach of campaigns/scope.py), so it can add a department
or a township under the level it serves but never touch another area's directory,
nor the node its own reach hangs from (campaigns/admin.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .. import scope
from ..models import Office

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ..models import User


def may_plan(user: User | AnonymousUser) -> bool:
    return bool(user.is_active and user.has_perm("campaigns.coordinate_campaign"))


def may_use_admin(user: User | AnonymousUser) -> bool:
    """Django's staff as before, and the campaign office, which plans there."""
    return bool(user.is_active and (user.is_staff or may_plan(user)))


def area_root_id(user: User) -> int | None:
    """The office whose subtree the user's campaign office plans for: the level of
    government its office belongs to (``Office.level_path``), else, in a directory
    with no levels, the body its own office serves (its parent), or its own office
    when it stands at the top."""
    office = user.office
    if office is None:
        return None
    if office.level_path:
        return int(office.level_path.rstrip(".").rsplit(".", 1)[-1])
    return office.parent_id or office.pk


def level_office_id(user: User) -> int | None:
    """The level of government (city, district, township) the user's office belongs
    to, read from its ``level_path``: the node a campaign it plans belongs to
    (Campaign.office). None without an office or a level above it."""
    office = getattr(user, "office", None)
    if office is None or not office.level_path:
        return None
    return int(office.level_path.rstrip(".").rsplit(".", 1)[-1])


def planning_area(user: User) -> QuerySet[Office]:
    """The offices a user may edit and assign in the admin: all of them for a
    superuser; for the campaign office, the offices in its reach
    (campaigns/scope.py: the level of government its office belongs to and
    everything under it), one indexed prefix match on the tree's paths."""
    if user.is_superuser:
        return Office.objects.all()
    if getattr(user, "office_id", None) is None or not may_plan(user):
        return Office.objects.none()
    return scope.restrict(Office.objects.all(), user, "")
