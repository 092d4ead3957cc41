"""Phase deliverables, bulletins, public disclosure and export jobs (issue: campaign oversight)."""

from .bulletins import Bulletin
from .deliverables import Deliverable, Submission
from .disclosure import DisclosureItem
from .exports import ExportJob
from .reports import LevelReport

__all__ = ["Bulletin", "Deliverable", "DisclosureItem", "ExportJob", "LevelReport", "Submission"]
