"""Writing .xlsx files row by row (openpyxl's write-only mode): headers in bold on a
frozen first row, column widths, date formats, and never a formula from data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FORBIDDEN_IN_TITLE = set("[]:*?/\\")


def sheet_title(title: str) -> str:
    return "".join(c for c in str(title) if c not in FORBIDDEN_IN_TITLE)[:31] or "Sheet"


def _cell(sheet, value):
    """A plain value where openpyxl can write it as is; a styled cell for dates and
    for text that would otherwise be taken for a formula."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text that looks like a formula stays text
        return cell
    return value


def write_workbook(target, *, title: str, headers: list[str], widths: list[int], rows: Iterable[list]) -> int:
    """Write one sheet to ``target`` (a path or a binary file); returns the number of data rows.

    ``rows`` is consumed lazily: only openpyxl's current row and the caller's
    current chunk of records are in memory at any time."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(vertical="center", wrap_text=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        cell.alignment = wrap
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    workbook.save(target)
    return count
