"""Who may do what in rectification. Permissions decide the kind of user; the
office decides which records. Views use these to choose what to offer; the
services call them again, so a forged request meets the same refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from campaigns.models import User

    from .models import Commitment

    #: Whoever a page or a service asks about: the rules answer no for nobody.
    AnyUser: TypeAlias = User | AnonymousUser | None


def is_coordinator(user: AnyUser) -> bool:
    """The campaign office: reviews plans, verifies, moderates, runs look-backs."""
    return bool(user and user.is_authenticated and user.has_perm("rectification.coordinate_rectification"))


def sees_all(user: AnyUser) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.has_perm("rectification.view_all_rectification") or is_coordinator(user))
    )


def works_on(user: AnyUser, office_id: int | None = None) -> bool:
    """Office staff writing their own office's rectification (``office_id`` given:
    that office's)."""
    if not (user and user.is_authenticated and user.office_id):
        return False
    if not user.has_perm("rectification.work_on_rectification"):
        return False
    return office_id is None or user.office_id == office_id


def can_flag(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("rectification.flag_commitment"))


def can_open_staff_pages(user: User | AnonymousUser) -> bool:
    return sees_all(user) or works_on(user) or can_flag(user) or bool(user.is_authenticated and user.office_id)


def commitment_offices(commitment: Commitment) -> set[int]:
    """The offices whose staff carry a commitment out: the plan's and the responsible one."""
    return {commitment.plan.office_id, commitment.responsible_office_id}


def can_edit_commitment(user: AnyUser, commitment: Commitment) -> bool:
    return works_on(user, commitment.plan.office_id)


def can_report_on(user: User, commitment: Commitment) -> bool:
    return works_on(user) and user.office_id in commitment_offices(commitment)
