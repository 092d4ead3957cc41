"""Excel (.xlsx) exports of the staff complaint queue and the accountability cases.

Never a column about who complained: the export carries what the queue shows."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.xlsx import workbook_bytes


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _local_date(value):
    return timezone.localdate(value) if value else None


def _office(office) -> str:
    return office.name if office else ""


def complaints_workbook(complaints) -> bytes:
    """``complaints``: a queue queryset (``with_due`` applied, offices and types joined)."""
    headers = [
        _("Tracking number"),
        _("Received on"),
        _("Channel"),
        _("Problem type"),
        _("Office complained about"),
        _("Handling office"),
        _("Transfer pending to"),
        _("Status"),
        _("Acceptance due"),
        _("Completion due"),
        _("Overdue"),
        _("Clock paused since"),
        _("Accepted on time"),
        _("Replied on"),
        _("Completed on time"),
        _("Substantiated"),
        _("Complainant's rating"),
    ]
    widths = [18, 12, 14, 18, 24, 24, 24, 16, 12, 12, 9, 12, 10, 12, 10, 10, 14]

    def rows():
        for c in complaints.iterator(chunk_size=1000):
            yield [
                c.tracking_number,
                c.received_on,
                c.get_channel_display(),
                c.problem_type.display_name,
                _office(c.office),
                _office(c.handling_office) or _("Complaint centre"),
                _office(c.pending_transfer_to),
                c.get_status_display(),
                c.accept_due,
                c.complete_due,
                _yes_no(c.is_overdue),
                c.paused_since,
                _yes_no(c.accepted_on_time),
                _local_date(c.replied_at),
                _yes_no(c.replied_on_time),
                _yes_no(c.substantiated),
                c.get_rating_display(),
            ]

    return workbook_bytes(title=_("Complaints"), headers=headers, widths=widths, rows=rows())


def cases_workbook(cases) -> bytes:
    headers = [
        _("Tracking number"),
        _("Reason"),
        _("Office"),
        _("Responsible person"),
        _("Opened on"),
        _("Decision"),
        _("Reasoning"),
        _("Decided on"),
        _("Decided by"),
    ]
    widths = [18, 24, 24, 16, 12, 22, 40, 12, 16]

    def rows():
        for case in cases.iterator(chunk_size=1000):
            yield [
                case.complaint.tracking_number,
                case.get_reason_display(),
                _office(case.office),
                case.person,
                _local_date(case.created_at),
                case.get_decision_display(),
                case.reasoning,
                case.decided_on,
                str(case.decided_by) if case.decided_by else "",
            ]

    return workbook_bytes(title=_("Accountability cases"), headers=headers, widths=widths, rows=rows())
