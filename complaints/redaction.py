"""Personal data in text meant for the public (a typical case's title and
summary): the complainant's own name, phone and e-mail in whatever way they are
written, and anything that looks like a phone number, an ID card number or an
e-mail address, whoever's it is.

Text is NFKC-normalised first, so full-width digits, brackets and ＠ count as
their ASCII forms; digits may be grouped with spaces, dashes or dots.
"""

from __future__ import annotations

import re
import unicodedata

SEP = r"[\s\-.]*"
COUNTRY = rf"(?:(?:\+|00){SEP}86{SEP}|\(\s*\+?86\s*\){SEP})"
MOBILE = re.compile(rf"(?<![\d])(?:{COUNTRY})?1[3-9]\d(?:{SEP}\d){{8}}(?!\d)")
# 0xx-xxxxxxxx, (0752) 123 4567, +86 752 1234 567: area code, then 7 or 8 digits.
LANDLINE = re.compile(rf"(?<![\d])(?:{COUNTRY}\(?0?|\(?0)[1-9]\d{{1,2}}\)?{SEP}\d(?:{SEP}\d){{6,7}}(?!\d)")
# Resident ID: 18 characters (the last may be X), or the old 15 digits; grouped or not.
ID_NUMBER = re.compile(rf"(?<![\dA-Za-z])[1-9](?:{SEP}\d){{16}}{SEP}[\dXx](?![\dA-Za-z])|(?<!\d)[1-9]\d{{14}}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)+")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def personal_data(text: str, identity=None) -> list[str]:
    """What kinds of personal data ``text`` holds: any of "name", "phone",
    "id_number", "email" (empty when none). ``identity`` is the complainant's
    (anything with ``name``, ``phone`` and ``email``), or None."""
    text = _normal(text)
    found = []
    if identity is not None:
        name = re.sub(r"\s+", "", _normal(identity.name))
        if name and name in re.sub(r"\s+", "", text):
            found.append("name")
        phone = _digits(_normal(identity.phone))
        if len(phone) >= 7 and any(phone in _digits(m.group()) for m in re.finditer(r"\d(?:[\s\-.()]*\d)*", text)):
            found.append("phone")
        email = _normal(identity.email).strip().lower()
        if email and email in re.sub(r"\s+", "", text).lower():
            found.append("email")
    if "phone" not in found and (MOBILE.search(text) or LANDLINE.search(text)):
        found.append("phone")
    if ID_NUMBER.search(text):
        found.append("id_number")
    if "email" not in found and EMAIL.search(text):
        found.append("email")
    return found
