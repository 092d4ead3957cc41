"""Excel (.xlsx) exports of the staff complaint queue and the accountability cases.

Never a column about who complained: the export carries what the queue shows."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _local_date(value):
    return timezone.localdate(value) if value else None


def _office(office) -> str:
    return office.name if office else ""


def _workbook(title: str, headers: list[str], widths: list[int], rows: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=True)
    # Sheet titles may not hold []:*?/\ and stop at 31 characters.
    sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            elif hasattr(value, "isoformat"):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def complaints_workbook(complaints) -> bytes:
    """``complaints``: a queue queryset (``annotate_due`` applied, offices and types joined)."""
    headers = [
        _("Tracking number"), _("Received on"), _("Channel"), _("Problem type"), _("Office complained about"),
        _("Handling office"), _("Transfer pending to"), _("Status"), _("Acceptance due"), _("Completion due"),
        _("Overdue"), _("Clock paused since"), _("Accepted on time"), _("Replied on"), _("Completed on time"),
        _("Substantiated"), _("Complainant's rating"),
    ]
    widths = [18, 12, 14, 18, 24, 24, 24, 16, 12, 12, 9, 12, 10, 12, 10, 10, 14]

    def rows():
        for c in complaints.iterator(chunk_size=1000):
            yield [
                c.tracking_number, c.received_on, c.get_channel_display(), c.problem_type.display_name,
                _office(c.office), _office(c.handling_office) or _("Complaint centre"), _office(c.pending_transfer_to),
                c.get_status_display(), c.accept_due, c.complete_due, _yes_no(c.is_overdue), c.paused_since,
                _yes_no(c.accepted_on_time), _local_date(c.replied_at), _yes_no(c.replied_on_time),
                _yes_no(c.substantiated), c.get_rating_display(),
            ]

    return _workbook(_("Complaints"), headers, widths, rows())


def cases_workbook(cases) -> bytes:
    headers = [
        _("Tracking number"), _("Reason"), _("Office"), _("Responsible person"), _("Opened on"), _("Decision"),
        _("Reasoning"), _("Decided on"), _("Decided by"),
    ]
    widths = [18, 24, 24, 16, 12, 22, 40, 12, 16]

    def rows():
        for case in cases.iterator(chunk_size=1000):
            yield [
                case.complaint.tracking_number, case.get_reason_display(), _office(case.office), case.person,
                _local_date(case.created_at), case.get_decision_display(), case.reasoning, case.decided_on,
                str(case.decided_by) if case.decided_by else "",
            ]

    return _workbook(_("Accountability cases"), headers, widths, rows())


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
