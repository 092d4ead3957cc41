"""Every Excel (.xlsx) file the portal writes: the ledgers, the complaint queue and
case exports, the appraisal results and invitation sheets.

Rows are streamed (openpyxl's write-only mode): only the current row is held, so
a ledger of a million rows needs no more memory than one of ten. Headers are bold
on a frozen first row; dates and times carry a number format; and every text cell
follows the same two rules:

- **Never a formula from data.** A spreadsheet program takes a cell for a formula
  when it begins with ``=``, ``+``, ``-`` or ``@`` (also after leading spaces), a
  tab or a carriage return (OWASP, "CSV injection"). Such a cell is written as an
  explicit text cell with Excel's quote prefix — what Excel itself stores when one
  types a leading apostrophe: the text is shown as it is, and stays text even when
  the cell is edited. The text itself is not changed.
- **Never a character XML cannot hold.** Control characters (openpyxl's
  ``ILLEGAL_CHARACTERS_RE``: what Word pastes as a manual line break, a stray
  escape…) would make openpyxl refuse the row and the whole export fail. Word's
  line and page breaks (``\\v``, ``\\f``) become line breaks; the others are
  dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FORBIDDEN_IN_TITLE = set("[]:*?/\\")
FORMULA_START = re.compile(r"[\t\r]|\s*[=+\-@]")
_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})
HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


def sheet_title(title: object) -> str:
    """Sheet titles may not hold []:*?/\\ and stop at 31 characters."""
    return "".join(c for c in str(title) if c not in FORBIDDEN_IN_TITLE)[:31] or "Sheet"


def clean_text(text: str) -> str:
    """``text`` without the control characters an .xlsx file cannot hold."""
    if ILLEGAL_CHARACTERS_RE.search(text) is None:
        return text
    return ILLEGAL_CHARACTERS_RE.sub("", text.translate(_BREAKS))


def looks_like_formula(text: str) -> bool:
    return FORMULA_START.match(text) is not None


def cell(sheet: Worksheet, value: Any, *, font: Font | None = None, alignment: Alignment | None = None) -> Any:
    """What to append for ``value``: the value itself where openpyxl may write it as
    it is, otherwise a cell with its type and format set (text that looks like a
    formula, dates, times, and anything styled)."""
    number_format = None
    as_text = False
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = clean_text(value)
        as_text = looks_like_formula(value)
    elif isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        number_format = DATE_FORMAT
    if not (as_text or number_format or font or alignment):
        return value
    written = WriteOnlyCell(sheet, value=value)
    if as_text:
        written.data_type = "s"  # openpyxl would take a leading "=" for a formula
        written.quotePrefix = True
    if number_format:
        written.number_format = number_format
    if font:
        written.font = font
    if alignment:
        written.alignment = alignment
    return written


class Sheet:
    """One worksheet being written, row after row."""

    def __init__(self, worksheet: Worksheet) -> None:
        self.worksheet = worksheet
        self.rows = 0  # rows written so far, the header included

    def append(self, values: Iterable[Any], *, alignment: Alignment | None = None, height: float | None = None) -> int:
        """Write one row; returns its number (1 for the first row)."""
        row = self.rows + 1
        if height is not None:
            self.worksheet.row_dimensions[row].height = height  # before the row is streamed
        self.worksheet.append([cell(self.worksheet, value, alignment=alignment) for value in values])
        self.rows = row
        return row

    def extend(self, rows: Iterable[Iterable[Any]]) -> int:
        """Write every row of ``rows`` (consumed lazily); returns how many."""
        count = 0
        for values in rows:
            self.append(values)
            count += 1
        return count

    def add_image(self, png: bytes, anchor: str) -> None:
        self.worksheet.add_image(Image(io.BytesIO(png)), anchor)


class XlsxWriter:
    """A workbook of one or more sheets, streamed as they are written."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def sheet(
        self, title: object, *, headers: Iterable[Any] = (), widths: Iterable[float] = (), freeze: str | None = "A2"
    ) -> Sheet:
        """A new sheet with its column widths, its header row in bold, and the panes
        frozen at ``freeze`` (below the header by default; None for none)."""
        worksheet = self.workbook.create_sheet(title=sheet_title(title))
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            worksheet.freeze_panes = freeze
        sheet = Sheet(worksheet)
        headers = [str(h) for h in headers]
        if headers:
            worksheet.append([cell(worksheet, h, font=HEADER_FONT, alignment=HEADER_ALIGNMENT) for h in headers])
            sheet.rows = 1
        return sheet

    def save(self, target: Any) -> None:
        """Write the file to ``target`` (a path or a binary file)."""
        self.workbook.save(target)

    def getvalue(self) -> bytes:
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()


def write_workbook(
    target: Any, *, title: object, headers: list[Any], widths: Sequence[float], rows: Iterable[Iterable[Any]]
) -> int:
    """Write one sheet to ``target`` (a path or a binary file); returns the number of
    data rows. ``rows`` is consumed lazily: only openpyxl's current row and the
    caller's current chunk of records are in memory at any time."""
    writer = XlsxWriter()
    count = writer.sheet(title, headers=headers, widths=widths).extend(rows)
    writer.save(target)
    return count


def workbook_bytes(
    *, title: object, headers: list[Any], widths: Sequence[float], rows: Iterable[Iterable[Any]]
) -> bytes:
    """``write_workbook`` into memory, for the exports small enough to answer at once."""
    out = io.BytesIO()
    write_workbook(out, title=title, headers=headers, widths=widths, rows=rows)
    return out.getvalue()


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    """``content`` as a download named ``<stem>-<today>.xlsx``."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response
