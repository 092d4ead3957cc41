"""Forms of the rectification pages. They turn the request into typed values
and check its shape; the rules live in ``services``, whose errors are put back
next to these forms' fields (``kernel.forms.apply_service_errors``)."""

from .filters import CommitmentFilterForm, StaffCommitmentFilterForm
from .public import CommentForm, RatingForm
from .staff import (
    CommitmentForm,
    CompletionForm,
    LookBackForm,
    ModerationForm,
    PlanForm,
    ProblemForm,
    ProgressForm,
    ReasonForm,
    ResultsForm,
)

__all__ = [
    "CommentForm",
    "CommitmentFilterForm",
    "CommitmentForm",
    "CompletionForm",
    "LookBackForm",
    "ModerationForm",
    "PlanForm",
    "ProblemForm",
    "ProgressForm",
    "RatingForm",
    "ReasonForm",
    "ResultsForm",
    "StaffCommitmentFilterForm",
]
