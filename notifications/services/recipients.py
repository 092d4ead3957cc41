"""Who hears of a due item: the staff of its office, or of the source's
oversight role, by role, resolved when the step comes due."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.db.models import F

from campaigns.roles import Role

from ..notices import language_of, nearest_level
from ..sources import DueItem
from ..steps import Step

if TYPE_CHECKING:
    from campaigns.models import Office, User

__all__ = ["StaffDirectory", "language_of", "resolve_recipients"]


class StaffDirectory:
    """The active staff by role and office, read in one query. The users table is
    small, so the sweep reads it once and resolves every item's recipients from it
    instead of asking the database per item."""

    def __init__(self, users_with_roles: Iterable[tuple[User, str]]):
        self._by_role: dict[str, list[User]] = defaultdict(list)
        self._by_role_office: dict[tuple[str, int | None], list[User]] = defaultdict(list)
        for user, role in users_with_roles:
            self._by_role[role].append(user)
            self._by_role_office[(role, user.office_id)].append(user)

    @classmethod
    def load(cls) -> StaffDirectory:
        rows = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .annotate(role=F("groups__name"))
            .select_related("office")
            .order_by("pk")
        )
        users: dict[int, User] = {}
        # One row per (user, role): share one object per user, as the inbox does.
        return cls((users.setdefault(user.pk, user), user.role) for user in rows)

    def staff_with(self, role: str, office_id: int | None = None) -> list[User]:
        if office_id is None:
            return self._by_role.get(role, [])
        return self._by_role_office.get((role, office_id), [])

    def oversight_over(self, role: str, office: Office | None) -> list[User]:
        """The staff of ``role`` who answer for ``office`` (``notices.nearest_level``);
        everyone in ``role`` when ``office`` is None."""
        staff = self.staff_with(role)
        return staff if office is None else nearest_level(staff, office)

    def recipients(self, item: DueItem, step: Step, oversight_role: str) -> list[User]:
        """Who hears about ``item`` at ``step``: the office's staff with the matching
        role as they are now, so someone who joined or left the office is right."""
        users: dict[int, User] = {}

        def add(candidates: Iterable[User]) -> None:
            for user in candidates:
                if item.excluded_office_id and user.office_id == item.excluded_office_id:
                    continue
                users.setdefault(user.pk, user)

        oversight = self.oversight_over(oversight_role, cast("Office | None", item.oversight_over or item.office))
        if item.office is None:
            # No single office holds it (a complaint at the complaint centre, a survey
            # run by the campaign office): the source's oversight role is responsible.
            if step.notify_responsible or step.notify_office_head:
                add(oversight)
        else:
            if step.notify_responsible:
                add(self.staff_with(Role.OFFICE_STAFF, item.office.pk))
            if step.notify_office_head:
                add(self.staff_with(Role.OFFICE_HEAD, item.office.pk))
        if step.notify_oversight:
            add(oversight)
        return list(users.values())


def resolve_recipients(item: DueItem, step: Step, oversight_role: str) -> list[User]:
    """Who hears about ``item`` at ``step`` (one item; the sweep keeps one
    ``StaffDirectory`` for all of them)."""
    return StaffDirectory.load().recipients(item, step, oversight_role)
