"""The dashboard's scorecard as a ledger: one row per office, every figure, and the
level of government each office belongs to, so that a spreadsheet can add the rows
up by district as the dashboard's "By level of government" does."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import scope

from ..querysets import reads_all
from .base import Ledger


def _scorecard_allowed(user) -> bool:
    return reads_all(user)


def _scorecard_count(user, campaign, params) -> int:
    return 0  # one row per office: always small enough to write at once


def _scorecard_sheet(user, campaign, params, today):
    from campaigns.models import Office

    from ..selectors.scorecard import scorecard

    card = scorecard(campaign_id=campaign.pk, today=today, fresh=True, offices=scope.offices(user))
    # Each office's level of government (its level_path's node), in one query.
    levels = dict(
        Office.objects.filter(pk__in=[row.office_id for row in card.rows])
        .annotate(level_name=Subquery(Office.objects.filter(path=OuterRef("level_path")).values("name")[:1]))
        .values_list("pk", "level_name")
    )
    headers = [
        _("Office"),
        _("Level of government"),
        _("Tasks"),
        _("Tasks done"),
        _("Done on time"),
        _("Tasks overdue"),
        _("Complaints received"),
        _("Complaints closed"),
        _("Closed on time (%)"),
        _("Satisfaction (%)"),
    ]
    widths = [26, 16, 8, 8, 10, 10, 10, 10, 12, 12]
    if card.has_commitments:
        headers += [
            _("Commitments made"),
            _("Completed"),
            _("Verified"),
            _("Commitments overdue"),
            _("Public satisfaction (%)"),
        ]
        widths += [10, 10, 10, 10, 12]
    if card.has_appraisal:
        headers += [_("Appraisal score"), _("Rank")]
        widths += [10, 8]
    headers += [_("Deliverables required"), _("Deliverables accepted"), _("Deliverables overdue")]
    widths += [10, 10, 10]

    def rows():
        for row in card.rows:
            t, c, d = row.tasks, row.complaints, row.deliverables
            values = [
                row.office_name,
                levels.get(row.office_id) or "",
                t.total,
                t.done,
                t.done_on_time,
                t.overdue,
                c.received,
                c.closed,
                c.on_time_rate,
                c.satisfaction_rate,
            ]
            if card.has_commitments:
                m = row.commitments
                values += [m.made, m.completed, m.verified, m.overdue, m.satisfaction_rate]
            if card.has_appraisal:
                a = row.appraisal
                values += [a.score, a.rank]
            values += [d.required, d.accepted, d.overdue]
            yield values

    return _("Office scorecard"), headers, widths, rows()


LEDGER = Ledger(
    "scorecard",
    gettext_lazy("Office scorecard"),
    gettext_lazy("The dashboard's scorecard: one row per office, every figure."),
    "office-scorecard",
    _scorecard_allowed,
    _scorecard_count,
    _scorecard_sheet,
)
