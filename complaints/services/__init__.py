"""Every change to a complaint: one transaction, the rule checked on the server
whoever asks (public form, staff page, Open311, admin or a periodic sweep), and a
``ComplaintEvent`` on the complaint's timeline. One module per part of the
workflow; the names below are what the rest of the project calls."""

from .accountability import case_decide
from .centres import complaint_escalate, complaint_take_over
from .closing import complaint_close, complaint_record_callback
from .common import (
    ACCESS_CODE_ALPHABET,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    MAX_ATTACHMENTS,
)
from .complainant import complaint_add_info, complaint_rate, complaint_request_review
from .deadlines import recompute_open_due_dates, set_due_dates, working_days_left
from .identity import complaint_view_identity
from .intake import (
    ACKNOWLEDGEMENT_KIND,
    Submission,
    access_code_matches,
    complaint_submit,
    normalise_access_code,
    validate_submission,
)
from .sweep import complaints_sweep
from .transfers import complaint_transfer_accept, complaint_transfer_refuse, complaint_transfer_request
from .typical_cases import typical_case_publish
from .workflow import (
    complaint_accept,
    complaint_not_accept,
    complaint_reply,
    complaint_request_info,
    complaint_start_investigation,
)

__all__ = [
    "ACCESS_CODE_ALPHABET",
    "ACKNOWLEDGEMENT_KIND",
    "DESCRIPTION_MAX",
    "DESCRIPTION_MIN",
    "MAX_ATTACHMENTS",
    "Submission",
    "access_code_matches",
    "case_decide",
    "complaint_accept",
    "complaint_add_info",
    "complaint_close",
    "complaint_escalate",
    "complaint_not_accept",
    "complaint_rate",
    "complaint_record_callback",
    "complaint_reply",
    "complaint_request_info",
    "complaint_request_review",
    "complaint_start_investigation",
    "complaint_take_over",
    "complaint_submit",
    "complaint_transfer_accept",
    "complaint_transfer_refuse",
    "complaint_transfer_request",
    "complaint_view_identity",
    "complaints_sweep",
    "normalise_access_code",
    "recompute_open_due_dates",
    "set_due_dates",
    "typical_case_publish",
    "validate_submission",
    "working_days_left",
]
