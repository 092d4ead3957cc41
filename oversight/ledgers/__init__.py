"""The ledgers (台账) staff export as .xlsx: who may export which, what each row
holds, and the rows themselves, streamed from the database in chunks. One module
per family: tasks, complaints (and accountability cases), the scorecard, and the
rectification and appraisal ledgers when those apps are installed.

Each ledger's rows come from the same scoped querysets as the pages, so a user
never exports a row the pages would not show. The ledgers read the selectors;
the selectors never read the ledgers."""

from __future__ import annotations

from ..selectors import integrations
from . import appraisal, complaints, rectification, scorecard, tasks
from .base import Ledger

__all__ = ["Ledger", "all_ledgers", "ledgers_for"]


def all_ledgers() -> dict[str, Ledger]:
    """Tasks, complaints, accountability cases and the scorecard always; the problem
    list and the rectification ledger when rectification is installed, the
    appraisal results when evaluations is."""
    ledgers = [tasks.LEDGER, complaints.LEDGER, complaints.CASES, scorecard.LEDGER]
    if integrations.commitments_available():
        ledgers += [rectification.PROBLEMS, rectification.LEDGER]
    if integrations.appraisal_available():
        ledgers.append(appraisal.LEDGER)
    return {ledger.key: ledger for ledger in ledgers}


def ledgers_for(user) -> list[Ledger]:
    return [ledger for ledger in all_ledgers().values() if ledger.allowed(user)]
