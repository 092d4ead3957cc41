"""Rectification (整改): problems found, each office's plan, its public commitments
with their progress, the public's ratings and comments, verification, look-back
(回头看) and the published results. One module per part, all re-exported here."""

from .commitments import Commitment, CommitmentRevision, Evidence, ProgressUpdate, evidence_upload_to, private_storage
from .config import RectificationSettings
from .feedback import LookBack, PublicComment, Rating, SupervisorFlag
from .plans import Plan
from .problems import Problem
from .results import OfficeResult, ResultsPublication

__all__ = [
    "Commitment",
    "CommitmentRevision",
    "Evidence",
    "LookBack",
    "OfficeResult",
    "Plan",
    "Problem",
    "ProgressUpdate",
    "PublicComment",
    "Rating",
    "RectificationSettings",
    "ResultsPublication",
    "SupervisorFlag",
    "evidence_upload_to",
    "private_storage",
]
