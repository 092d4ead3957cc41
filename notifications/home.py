"""The inbox's part of the staff home (campaigns/home.py), after the work itself:
the notices not read yet, the newest few listed as in the inbox."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.home import Count, Panel

#: Unread notices listed on the home.
NEWEST = 3


def unread(user, today: dt.date) -> Panel | None:
    rows = list(user.notifications.filter(read_at__isnull=True).order_by("-created_at", "-pk")[: NEWEST + 1])
    if not rows:
        return None
    n = len(rows) if len(rows) <= NEWEST else user.notifications.filter(read_at__isnull=True).count()
    return Panel(
        "inbox",
        90,
        _("New notices"),
        [Count("unread", _("Unread notices"), n, reverse("notifications:inbox") + "?show=unread")],
        [("notifications/home/unread.html", rows[:NEWEST])],
        (_("Inbox"), reverse("notifications:inbox")),
    )


PANELS = [unread]
