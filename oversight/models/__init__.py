"""Phase deliverables, bulletins, public disclosure and export jobs (issue: campaign oversight)."""

from .bulletins import Bulletin
from .deliverables import Deliverable, Submission
from .disclosure import DisclosureItem
from .exports import ExportJob

__all__ = ["Bulletin", "Deliverable", "DisclosureItem", "ExportJob", "Submission"]
