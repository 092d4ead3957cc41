#!/usr/bin/env python
"""Keep the three catalogues (zh_Hans, zh_Hant, en) complete.

    python scripts/translations.py missing            # what `make makemessages` left untranslated, as TSV
    python scripts/translations.py fill FILE.tsv       # put the translations of FILE.tsv into the catalogues
    python scripts/translations.py merge BASE OURS THEIRS   # git merge driver for .po files (see below)

FILE.tsv has one message per line: ``context<TAB>msgid<TAB>简体[<TAB>繁體]``, with
``\\n`` for a newline and an empty context for none. English repeats the msgid; the
traditional text, when not given, starts from the simplified one through OpenCC's
``s2t`` (characters only: the government's own terms stay as they are), which a
person then reads over. Entries with a plural take the same text for every form.

The merge driver keeps the union of two branches' entries, so two branches that
each add strings merge without a conflict. Enable it in a clone with::

    git config merge.po.driver "python3 scripts/translations.py merge %O %A %B"

(``.gitattributes`` already maps ``*.po`` to it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "zh_Hant", "en")


def catalogue(locale: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"), wrapwidth=79)


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def _escape(text: str) -> str:
    return text.replace("\t", "\\t").replace("\n", "\\n")


def missing() -> int:
    seen = set()
    for locale in LOCALES:
        for entry in catalogue(locale):
            done = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            if entry.obsolete or done or (entry.msgctxt, entry.msgid) in seen:
                continue
            seen.add((entry.msgctxt, entry.msgid))
            print(f"{entry.msgctxt or ''}\t{_escape(entry.msgid)}\t")
    return 0


def _set(entry: polib.POEntry, text: str) -> None:
    if entry.msgid_plural:
        forms = entry.msgstr_plural.keys() or [0]
        entry.msgstr_plural = dict.fromkeys(forms, text)
    else:
        entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")


def fill(path: str) -> int:
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    wanted: dict[tuple[str | None, str], tuple[str, str]] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            print(f"{path}:{number}: expected context, msgid and 简体, got {parts!r}", file=sys.stderr)
            return 2
        context, msgid, simplified = parts[0] or None, _unescape(parts[1]), _unescape(parts[2])
        traditional = _unescape(parts[3]) if len(parts) > 3 and parts[3] else to_traditional.convert(simplified)
        wanted[(context, msgid)] = (simplified, traditional)
    for locale in LOCALES:
        po = catalogue(locale)
        found = 0
        for entry in po:
            key = (entry.msgctxt, entry.msgid)
            if key not in wanted:
                continue
            found += 1
            simplified, traditional = wanted[key]
            if locale == "en" and entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            elif locale == "en":
                _set(entry, entry.msgid)
            else:
                _set(entry, simplified if locale == "zh_Hans" else traditional)
        po.save()
        if found != len(wanted):
            absent = set(wanted) - {(e.msgctxt, e.msgid) for e in po}
            print(f"{locale}: not in the catalogue (run make makemessages?): {sorted(absent)[:5]}", file=sys.stderr)
    return 0


def merge(base: str, ours: str, theirs: str) -> int:
    """Union of both sides; where both translated one message differently, ours wins."""
    mine = polib.pofile(ours, wrapwidth=79)
    other = polib.pofile(theirs, wrapwidth=79)
    index = {(e.msgctxt, e.msgid): e for e in mine}
    for entry in other:
        key = (entry.msgctxt, entry.msgid)
        current = index.get(key)
        if current is None:
            mine.append(entry)
            index[key] = entry
        elif not (current.msgstr or any(current.msgstr_plural.values())):
            current.msgstr, current.msgstr_plural = entry.msgstr, entry.msgstr_plural
            current.flags = entry.flags
        for occurrence in entry.occurrences:
            if current is not None and occurrence not in current.occurrences:
                current.occurrences.append(occurrence)
    mine.save(ours)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["missing"]:
        return missing()
    if argv[:1] == ["fill"] and len(argv) == 2:
        return fill(argv[1])
    if argv[:1] == ["merge"] and len(argv) == 4:
        return merge(*argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
