#!/usr/bin/env python
"""Compile every locale/<lang>/LC_MESSAGES/django.po into its .mo with Babel.

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt``; Babel does the
same in pure Python, so ``make run`` works on a machine with nothing but Python.
Fuzzy entries are left out, as msgfmt does.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name.replace("_", "-").split("-")[0])
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        count += 1
    print(f"compiled {count} message catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
