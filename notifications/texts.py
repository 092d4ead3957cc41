"""Words kept to be translated when they are read.

A notice is read in the reader's language of the moment — they may switch to
English after it was written in Chinese — so the inbox cannot show text rendered
once when the notice was written. ``Text`` keeps the message id (marked for
extraction where it is written, with ``gettext_noop``), its parameters, and its
plural and context if any; it is stored as JSON on the notice and translated each
time it is shown, as Django's admin log keeps its change messages.

A parameter is a plain value (text, number), another ``Text`` or a lazily
translated string (a choice's label: translated too), a date (shown in the
reader's date format), or ``Localized`` — one value per language, for names kept
in each language in the database (problem types)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from django.conf import settings
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext

logger = logging.getLogger(__name__)


class Localized:
    """One value per language code; the reader's, else the portal's default, else any."""

    def __init__(self, values: Mapping[str, str]):
        self.values = {code: str(value) for code, value in values.items() if value}

    def __str__(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE).lower()
        default = self.values.get(settings.LANGUAGE_CODE) or next(iter(self.values.values()), "")
        return self.values.get(language) or default

    def __eq__(self, other) -> bool:
        return isinstance(other, Localized) and other.values == self.values


def _lazy_text(value: Promise) -> Text | None:
    """A ``gettext_lazy``/``pgettext_lazy`` string (a choice's label, a ledger's name) as
    a ``Text``, read from the proxy's pickling recipe; None for any other lazy object."""
    try:
        func, args = value.__reduce__()[1][:2]  # type: ignore[misc]  # a lazy proxy's (func, args, ...)
    except (TypeError, ValueError, IndexError):
        return None
    if func is gettext and len(args) == 1:
        return Text(args[0])
    if func is pgettext and len(args) == 2:
        return Text(args[1], context=args[0])
    return None


def _encode(value):
    if isinstance(value, Promise):
        value = _lazy_text(value) or str(value)
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, Localized):
        return {"localized": value.values}
    if isinstance(value, dt.datetime):
        raise TypeError("a notice's parameter is a date, never a time")
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        if "text" in value:
            return Text.from_json(value["text"])
        if "localized" in value:
            return Localized(value["localized"])
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
    return value


def _shown(value):
    if isinstance(value, Text | Localized):
        return str(value)
    if isinstance(value, dt.date):
        return formats.date_format(value)
    return value


class Text:
    """``Text(gettext_noop("Transfer of complaint %(number)s"), {"number": "TS-2026-000001"})``;
    ``str(text)`` is the translation in the active language."""

    def __init__(
        self, msgid: str, params: Mapping | None = None, *, plural: str = "", count: str = "", context: str = ""
    ):
        if plural and not count:
            raise ValueError("a plural needs the name of the parameter that counts")
        self.msgid = str(msgid)
        self.params = dict(params or {})
        self.plural = str(plural)
        self.count = count
        self.context = context

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {self.params!r})"

    def __contains__(self, part: str) -> bool:
        return part in self.render()

    def __eq__(self, other) -> bool:
        return isinstance(other, Text) and other.to_json() == self.to_json()

    def render(self) -> str:
        """The text in the active language. A catalogue that lost the message, or a
        translation that names a parameter the notice does not have, shows the
        English words rather than failing the page."""
        params = {key: _shown(value) for key, value in self.params.items()}
        if self.plural:
            n = int(self.params.get(self.count) or 0)
            if self.context:
                template = npgettext(self.context, self.msgid, self.plural, n)
            else:
                template = ngettext(self.msgid, self.plural, n)
        else:
            template = pgettext(self.context, self.msgid) if self.context else gettext(self.msgid)
        try:
            return template % params if params else template
        except (KeyError, ValueError, TypeError):
            logger.warning("notice text %r does not fit its parameters %r", template, sorted(params))
            english = self.plural if self.plural and int(self.params.get(self.count) or 0) != 1 else self.msgid
            try:
                return english % params
            except (KeyError, ValueError, TypeError):
                return self.msgid

    def to_json(self) -> dict:
        data: dict[str, object] = {"msgid": self.msgid}
        if self.params:
            data["params"] = {key: _encode(value) for key, value in self.params.items()}
        if self.plural:
            data["plural"], data["count"] = self.plural, self.count
        if self.context:
            data["context"] = self.context
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Text:
        return cls(
            data.get("msgid", ""),
            {key: _decode(value) for key, value in (data.get("params") or {}).items()},
            plural=data.get("plural", ""),
            count=data.get("count", ""),
            context=data.get("context", ""),
        )


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message and its plural for extraction (``make makemessages`` knows the
    name: kernel/management/commands/makemessages.py) without translating it:
    ``one, many = ngettext_noop(...)``, then ``Text(one, params, plural=many, count=...)``."""
    return singular, plural
