"""Every write in rectification goes through one of these functions: one
transaction, the rule checked on the server whoever calls (staff page, public
page, admin action, signal or shell), and an ``AuditEvent``."""

from .commitments import (
    commitment_claim_completion,
    commitment_create,
    commitment_delete,
    commitment_publish,
    commitment_send_back,
    commitment_update,
    commitment_verify,
    progress_report,
)
from .feedback import comment_moderate, comment_submit, commitment_flag, has_link, rating_submit
from .hotspots import hotspot_check, hotspot_check_for_complaint, hotspots_scan
from .lookback import lookback_decide
from .plans import plan_approve, plan_return, plan_save, plan_submit
from .problems import (
    complaints_offered,
    complaints_to_record,
    problem_create,
    problem_from_complaint,
    recordable_complaints,
)
from .results import office_figures, publish_refusal, results_publish

__all__ = [
    "comment_moderate",
    "comment_submit",
    "commitment_claim_completion",
    "commitment_create",
    "commitment_delete",
    "commitment_flag",
    "commitment_publish",
    "commitment_send_back",
    "commitment_update",
    "commitment_verify",
    "complaints_offered",
    "complaints_to_record",
    "recordable_complaints",
    "has_link",
    "hotspot_check",
    "hotspot_check_for_complaint",
    "hotspots_scan",
    "lookback_decide",
    "office_figures",
    "plan_approve",
    "plan_return",
    "plan_save",
    "plan_submit",
    "problem_create",
    "problem_from_complaint",
    "progress_report",
    "publish_refusal",
    "rating_submit",
    "results_publish",
]
