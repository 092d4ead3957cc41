"""Levels of government: which part of the office tree a user's role reaches.

The one rule every staff page, export, ledger, home panel and admin list asks
(through the ``visible_to(user)`` querysets, which call ``within``):

- a role that reads more than its own office (the campaign office, a complaint
  centre, a supervisor: ``LEVEL_PERMISSIONS``) is held for the level of
  government its office belongs to, the nearest city, district or township at or
  above the office (``Office.level_path``), and reaches that node's whole
  subtree: a district's campaign office sees the district and its townships, the
  city's sees the city. A role held with no office, or in a directory with no
  levels above the office, reaches the whole tree; so does a superuser;
- an office head (``campaigns.follow_sub_offices``) reaches their own office and
  every office under it;
- everyone else reaches their own office only, which each queryset writes itself
  (the office's tasks, the complaints it handles...).

The reach is a SQL expression (a subquery on the user's office), never a Python
walk of the tree, so scoping costs no query of its own and stays one indexed
prefix match however large the tree: ``Office.path`` is a materialised path.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.lookups import Exact

#: Permissions that make a role reach a whole level rather than one office.
LEVEL_PERMISSIONS = (
    "campaigns.coordinate_campaign",
    "campaigns.view_all_tasks",
    "complaints.handle_complaints",
    "complaints.view_all_complaints",
    "rectification.coordinate_rectification",
    "rectification.view_all_rectification",
    "oversight.view_dashboard",
    "oversight.review_deliverables",
)
HEAD_PERMISSION = "campaigns.follow_sub_offices"
#: A condition every row meets (an empty Q would vanish when combined with |).
EVERYTHING = ~Q(pk__in=[])


def holds_level_role(user) -> bool:
    return bool(user and user.is_authenticated and any(user.has_perm(p) for p in LEVEL_PERMISSIONS))


def follows_sub_offices(user) -> bool:
    """An office head: reads the records of the offices under their own."""
    return bool(user and user.is_authenticated and user.has_perm(HEAD_PERMISSION))


def reaches_beyond_office(user) -> bool:
    """The user's scope is a subtree (or the whole tree), not just their office."""
    return bool(
        user and user.is_authenticated and (user.is_superuser or holds_level_role(user) or follows_sub_offices(user))
    )


def reaches_everything(user) -> bool:
    """Known without a query to reach the whole tree: a superuser, or a level role
    held with no office (a role held at the top)."""
    return bool(
        user and user.is_authenticated and (user.is_superuser or (user.office_id is None and holds_level_role(user)))
    )


def prefix(user):
    """The path every office in ``user``'s reach starts with, as an expression
    (empty: the whole tree). Only for users who ``reaches_beyond_office``."""
    from .models import Office

    if reaches_everything(user):
        return Value("")
    column = "level_path" if holds_level_role(user) else "path"
    return Subquery(Office.objects.filter(pk=user.office_id).values(column)[:1])


def within(user, field: str = "") -> Q:
    """Records whose office (``field``: the lookup to an Office, "" for offices
    themselves) lies in ``user``'s reach. For users who ``reaches_beyond_office``;
    a user who reaches everything gets ``EVERYTHING``."""
    if reaches_everything(user):
        return EVERYTHING
    if user.office_id is None:
        return Q(pk__in=[])
    start = prefix(user)
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    # An empty prefix (no level above the office) reaches everything, rows with no
    # office included.
    return Q(Exact(start, Value(""))) | Q(**{lookup: start})


def within_any(user, through: QuerySet, link: str, field: str = "office") -> Q:
    """Records linked to several offices (a task's assignments, a deliverable's
    offices): those with at least one office in reach. ``through`` is the link
    model's queryset, ``link`` its field pointing back at the record."""
    if reaches_everything(user):
        return EVERYTHING
    if user.office_id is None:
        return Q(pk__in=[])
    start = prefix(user)
    linked = through.filter(**{link: OuterRef("pk"), f"{field}__path__startswith": start})
    return Q(Exact(start, Value(""))) | Q(Exists(linked))


def offices(user) -> QuerySet:
    """The offices ``user`` reaches: their reach for level roles and heads, their
    own office otherwise (for filters and choice lists)."""
    from .models import Office

    if not (user and user.is_authenticated):
        return Office.objects.none()
    if reaches_beyond_office(user):
        return Office.objects.filter(within(user))
    return Office.objects.filter(pk=user.office_id) if user.office_id else Office.objects.none()


def office_in_reach(user, office) -> bool:
    """The same rule in Python for one office already loaded (services)."""
    if office is None or not (user and user.is_authenticated):
        return False
    if reaches_everything(user):
        return True
    if not reaches_beyond_office(user):
        return office.pk == user.office_id
    own = user.office
    start = own.level_path if holds_level_role(user) else own.path
    return not start or office.path.startswith(start)


def restrict(queryset: QuerySet, user, field: str = "office") -> QuerySet:
    """``queryset`` cut to the rows whose office (``field``: the lookup to an
    Office, "" for offices themselves) ``user`` reaches: everything for a
    superuser, the subtree for a level role or a head, the user's own office
    otherwise (the admin's lists and change pages, campaigns/adminscope.py)."""
    if not (user and user.is_authenticated):
        return queryset.none()
    if user.is_superuser:
        return queryset
    if reaches_beyond_office(user):
        return queryset.filter(within(user, field))
    if user.office_id is None:
        return queryset.none()
    return queryset.filter(**{field or "pk": user.office_id})


def users(user) -> QuerySet:
    """The staff ``user`` reaches: those of the offices in their reach (choice
    lists and the admin's user pages); every account for a superuser."""
    from .models import User

    return restrict(User.objects.all(), user, "office")


def above_or_own(user, office) -> bool:
    """``office`` is the user's own office or one above it: the nodes a user's
    role hangs from, which the user may read but never edit (moving or relabelling
    them would move the user's own reach)."""
    own = getattr(user, "office", None)
    if own is None or office is None or not office.path:
        return False
    return own.path.startswith(office.path)


def within_all(user, through: QuerySet, link: str, field: str = "office") -> Q:
    """Records linked to several offices (an appraisal's offices) none of which lies
    outside ``user``'s reach: a city's appraisal of every district is the city's to
    read and run, a district's of its own offices the district's and the city's.
    Records with no office yet are included."""
    if reaches_everything(user):
        return EVERYTHING
    if user.office_id is None:
        return Q(pk__in=[])
    outside = through.filter(**{link: OuterRef("pk")}).exclude(within(user, field))
    return ~Q(Exists(outside))


def issued_at_or_above(user, field: str) -> Q:
    """Records issued (``field``: the lookup to the issuing Office) at the level of
    government the user's own office belongs to or at a level above it: a city's
    bulletin reaches every district's staff, a district's its own staff, never the
    district beside it. An office with no level above it reaches every staff member."""
    from django.db.models import F
    from django.db.models.lookups import StartsWith

    from .models import Office

    if reaches_everything(user):
        return EVERYTHING
    if user.office_id is None:
        return Q(pk__in=[])
    own = Subquery(Office.objects.filter(pk=user.office_id).values("path")[:1])
    return Q(StartsWith(own, F(f"{field}__level_path")))
