"""The staff home (/staff/): what each person must do today, in panels.

Each app says what it has for a user in ``<app>/home.py``: ``PANELS``, functions
``(user, today) -> Panel | None``, discovered like the reminder sources, so this
module names none of the apps standing on it. A panel is one kind of work — the
complaint centre's intake, an office's tasks, what waits for the campaign
office's review, what is late across the campaign — with a few counts, each a
link to the list that shows exactly those, and sometimes the first rows of that
list. The rules behind every count live where they always do (querysets, rules
modules, selectors): a panel only asks them.

Which panels a user sees follows from their permissions, so someone with two
roles gets both. Panels of several apps with the same key are one panel (the
campaign office's review, what is late), in the order of ``Panel.order``:

    10 the complaint centre's intake                     (complaints)
    15 the campaigns being planned and running           (campaigns, the campaign office)
    20 the user's office: its tasks                      (campaigns)
    21 … the complaints it handles                       (complaints)
    22 … its commitments and plan                        (rectification)
    23 … its deliverables                                (oversight)
    30 waiting for the campaign office's review          (rectification, oversight)
    40 late across the campaign, for those who read all  (every app; oversight's late offices)
    90 the newest unread notices                         (notifications)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count as Counted
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kernel.pagination import COUNT_LIMIT

from .current import shown_campaign
from .models import Task

#: Rows a panel lists at most; its counts link to the whole list.
ROWS = 5


@dataclass
class Count:
    """A number of things waiting, linking to the list of exactly those."""

    key: str  # data-testid "count-<key>"
    label: str
    value: int
    url: str
    late: bool = False  # in red when not zero
    more: bool = False  # counted up to ``COUNT_LIMIT``: "1000+"


@dataclass
class Panel:
    key: str  # the section's id; panels with the same key are merged
    order: int
    title: str
    counts: list[Count] = field(default_factory=list)
    # (template, rows): the first rows of a list; each app keeps its template.
    lists: list[tuple[str, list]] = field(default_factory=list)
    more: tuple[str, str] | None = None  # (label, url) of the whole list


def bounded(queryset: QuerySet) -> tuple[int, bool]:
    """How many rows match, counted up to ``COUNT_LIMIT`` (one row more says whether
    there are more): the home stays as quick at a million complaints as at ten."""
    n = queryset[: COUNT_LIMIT + 1].count()
    return min(n, COUNT_LIMIT), n > COUNT_LIMIT


def count(key: str, label: str, queryset: QuerySet, url: str, *, late: bool = False) -> Count:
    value, more = bounded(queryset)
    return Count(key, label, value, url, late=late, more=more)


def all_panel_makers() -> list[Callable]:
    """Every installed app's ``<app>/home.py`` PANELS, in the order of INSTALLED_APPS."""
    makers: list[Callable] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.home"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        makers.extend(getattr(module, "PANELS", []))
    return makers


def panels_for(user, today: dt.date) -> list[Panel]:
    merged: dict[str, Panel] = {}
    for make in all_panel_makers():
        panel = make(user, today)
        if panel is None:
            continue
        if panel.key in merged:
            into = merged[panel.key]
            into.counts += panel.counts
            into.lists += panel.lists
            into.more = into.more or panel.more
        else:
            merged[panel.key] = panel
    return sorted(merged.values(), key=lambda panel: panel.order)


# --- The campaigns app's own panels ---------------------------------------------------------
def works_on_tasks(user) -> bool:
    return bool(user.office_id and user.has_perm("campaigns.report_on_task"))


def tasks_url(state: str = "", office_id: int | None = None) -> str:
    query = urlencode({key: value for key, value in (("state", state), ("office", office_id)) if value})
    return reverse("staff:tasks") + (f"?{query}" if query else "")


def office_tasks(user, today: dt.date) -> Panel | None:
    """The user's office's open tasks in the campaign the page shows, by urgency
    (``TaskQuerySet.with_urgency``); the overdue and the soon ones listed."""
    if not works_on_tasks(user):
        return None
    tasks = (
        Task.objects.visible_to(user)
        .for_office(user.office_id)
        .filter(phase__campaign__in=shown_campaign())
        .open()
        .with_urgency(user, today)
        .select_related("phase")
    )
    by_urgency = dict(tasks.order_by().values_list("urgency").annotate(n=Counted("pk")))
    # Those who read every office's tasks see their own office's in the list.
    office = user.office_id if user.can_read_all else None
    rows = list(tasks.filter(urgency__in=["overdue", "soon"]).order_by("my_due", "phase__order", "number")[:ROWS])
    return Panel(
        "tasks",
        20,
        _("Your office's tasks"),
        [
            Count("tasks-overdue", _("Overdue"), by_urgency.get("overdue", 0), tasks_url("overdue", office), late=True),
            Count("tasks-soon", _("Due within 7 days"), by_urgency.get("soon", 0), tasks_url("soon", office)),
            Count("tasks-later", _("Later"), by_urgency.get("later", 0), tasks_url("later", office)),
        ],
        [("staff/home/tasks.html", rows)],
        (_("All your office's tasks"), tasks_url(office_id=office)),
    )


def late_tasks(user, today: dt.date) -> Panel | None:
    """For those who read every office's tasks: the overdue ones, in every office."""
    if not user.can_read_all:
        return None
    overdue = (
        Task.objects.visible_to(user)
        .filter(phase__campaign__in=shown_campaign())
        .with_urgency(user, today)
        .filter(urgency="overdue")
    )
    return Panel(
        "late",
        40,
        _("Late across the campaign"),
        [count("late-tasks", _("Tasks overdue"), overdue, tasks_url("overdue"), late=True)],
    )


def planning(user, today: dt.date) -> Panel | None:
    """For the campaign office: the campaigns it is planning or running (those of
    its level and the levels in it: ``CampaignQuerySet.planned_by``; the levels
    above are read in the switcher, not planned here), newest first, each opening
    in the admin, and the way to import the next plan."""
    from .models import Campaign
    from .planning.rules import may_plan

    if not may_plan(user):
        return None
    rows = list(
        Campaign.objects.exclude(status=Campaign.Status.CLOSED)
        .planned_by(user)
        .annotate(phase_count=Counted("phases", distinct=True), task_count=Counted("phases__tasks"))
        .order_by("-created_at", "-pk")[:ROWS]
    )
    return Panel(
        "planning",
        15,
        _("Campaigns you are planning and running"),
        lists=[("staff/home/campaigns.html", rows)],
        more=(_("Import a plan"), reverse("staff:plan-import")),
    )


PANELS = [planning, office_tasks, late_tasks]
