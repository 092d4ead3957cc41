"""What every ledger is made of: the ``Ledger`` record and the small helpers
that turn values into cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

CHUNK = 2000


def yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def yes_no_labels() -> dict:
    """``{True: "Yes", False: "No", None: ""}`` translated once per export, not once per cell."""
    return {True: _("Yes"), False: _("No"), None: ""}


def labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def local_date(value):
    return timezone.localdate(value) if value else None


@dataclass(frozen=True)
class Ledger:
    key: str
    label: Promise
    description: Promise
    stem: str
    allowed: Callable  # (user) -> bool
    count: Callable  # (user, campaign, params) -> int
    sheet: Callable  # (user, campaign, params, today) -> (title, headers, widths, rows iterator)


def office_param(params) -> int | None:
    value = str((params or {}).get("office") or "")
    return int(value) if value.isdigit() else None
