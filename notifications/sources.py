"""What the reminder sweep watches: sources of items with a deadline.

A source lists the open items whose deadline falls in a window, each with the
office responsible for it. Each app declares its own in ``<app>/reminders.py``
(``SOURCES``: task deadlines in campaigns, complaint time limits in complaints,
commitments, surveys, deliverables); adding a kind of deadline is a subclass
there plus a ``DeadlineKind`` value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from campaigns.roles import Role

# Rows a source fetches from the database at a time: the sweep never holds all the
# items of a source in memory. 500 keeps the sweep's ``IN (...)`` lists under
# SQLite's 999 parameters.
CHUNK_SIZE = 500


@dataclass
class DueItem:
    target: models.Model
    deadline: dt.date
    office: models.Model | None  # None: no single office holds it; the source's oversight role does
    title: object  # a texts.Text, translated for each reader; or plain text
    link: str
    # Staff of this office never hear about it (the office a complaint is about).
    excluded_office_id: int | None = None
    # The office whose level's oversight staff hear about it (the source's oversight
    # role at the nearest level at or above it: a district's, never the district
    # beside it); None: the item's ``office``; neither: every one of them.
    oversight_over: models.Model | None = None


class DeadlineSource:
    kind: str
    oversight_role: str = Role.CAMPAIGN_OFFICE

    def items(self, start: dt.date, end: dt.date) -> Iterable[DueItem]:
        """Stream the items (``.iterator(chunk_size=CHUNK_SIZE)``) and select every
        related row that ``title``, ``link`` and ``office`` read: building a
        ``DueItem`` must never query, or the sweep makes one query per item."""
        raise NotImplementedError


def all_sources() -> list[DeadlineSource]:
    """Every installed app's ``<app>/reminders.py`` SOURCES, in the order of
    INSTALLED_APPS. This module names none of them."""
    from importlib import import_module

    from django.apps import apps

    sources: list[DeadlineSource] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.reminders")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reminders":
                raise
            continue
        sources.extend(getattr(module, "SOURCES", []))
    return sources
