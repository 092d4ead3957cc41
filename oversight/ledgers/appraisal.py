"""The ranking of the campaign's latest published appraisal survey, offered when
the evaluations app is installed."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..querysets import reads_all
from ..selectors import integrations
from .base import Ledger


def _appraisal_allowed(user) -> bool:
    return reads_all(user)


def _appraisal_sheet(user, campaign, params, today):
    ranking = integrations.appraisal_summary(campaign, today) or {"survey": "", "offices": []}
    headers = [
        _("Rank"),
        _("Office"),
        _("Composite score"),
        _("Satisfaction (%)"),
        _("Valid ratings"),
        _("Most satisfactory"),
        _("Lagging"),
    ]
    widths = [8, 26, 14, 14, 12, 12, 10]
    yes, no = _("Yes"), _("No")

    def rows():
        for r in ranking["offices"]:
            yield [
                r["rank"],
                r["office"],
                r["score"],
                r["rate"],
                r["valid"],
                yes if r["most_satisfactory"] else no,
                yes if r["lagging"] else no,
            ]

    return ranking["survey"] or _("Appraisal results"), headers, widths, rows()


LEDGER = Ledger(
    "appraisal",
    gettext_lazy("Appraisal results"),
    gettext_lazy("The ranking of the campaign's latest published appraisal survey."),
    "appraisal-results",
    _appraisal_allowed,
    lambda user, campaign, params: 0,
    _appraisal_sheet,
)
