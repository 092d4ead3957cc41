"""Office names as a plan writes them, matched against the office directory:
across scripts (黨委辦公室 = 党委办公室) and by short name (黨辦 = 党办 = 党委办公室)."""

from __future__ import annotations

import re
from collections import defaultdict

from ..models import Office
from .reader import simplified

PLACE_PREFIX = re.compile(r"^(省|市|县|区|镇|乡|街道)")


def _key(name: str) -> str:
    return re.sub(r"\s+", "", simplified(name or ""))


class OfficeDirectory:
    """The offices a plan may name, indexed by every name they go by. A name that
    could mean two offices matches neither: the campaign office chooses."""

    def __init__(self, offices):
        self.offices = list(offices)
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._by_pk = {o.pk: o for o in self.offices}
        for office in self.offices:
            for name in (office.name, office.short_name):
                if name:
                    self._by_key[_key(name)].add(office.pk)

    def match(self, raw: str) -> Office | None:
        key = _key(raw)
        for candidate in (key, PLACE_PREFIX.sub("", key)):
            pks = self._by_key.get(candidate)
            if pks and len(pks) == 1:
                return self._by_pk[next(iter(pks))]
        return None

    def get(self, pk: int) -> Office | None:
        return self._by_pk.get(pk)
