"""Excel (.xlsx) downloads: the full results tables, and a batch of invitations with
their QR codes for printing or mail merge."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from kernel.xlsx import XlsxWriter

from .models import Rating
from .qr import qr_png
from .selectors import QuestionSummary, SurveyResults

# The office (or group, or question) stays in view when scrolling right.
FREEZE = "B2"


def _table(writer: XlsxWriter, title, headers: list, rows, widths: list[int]) -> None:
    writer.sheet(title, headers=headers, widths=widths, freeze=FREEZE).extend(rows)


def _num(value):
    return float(value) if value is not None else None


def results_workbook(results: SurveyResults, summaries: list[QuestionSummary]) -> bytes:
    survey = results.survey
    writer = XlsxWriter()
    _table(
        writer,
        _("Ranking"),
        [
            _("Office"),
            _("Rank"),
            _("Composite score"),
            _("Composite satisfaction rate (%)"),
            _("Valid responses"),
            _("Responses"),
            _("Of which via the open link"),
            _("Weight counted"),
            _("Status"),
        ],
        (
            [
                r.office.name,
                r.rank,
                _num(r.composite_score),
                _num(r.composite_rate),
                r.valid,
                r.total.responses,
                r.total.open_link,
                r.weight_counted,
                _("Most satisfactory")
                if r.most_satisfactory
                else _("Lagging")
                if r.lagging
                else _("Insufficient responses")
                if r.insufficient
                else "",
            ]
            for r in results.offices
        ),
        [28, 7, 12, 14, 10, 10, 12, 10, 18],
    )
    labels = dict(Rating.choices)
    _table(
        writer,
        _("By group"),
        [
            _("Office"),
            _("Group"),
            _("Weight (%)"),
            *(labels[r] for r in Rating.values),
            _("Valid responses"),
            _("Satisfaction rate (%)"),
            _("Satisfaction score"),
            _("Of which via the open link"),
        ],
        (
            [
                r.office.name,
                c.group.name,
                c.group.weight,
                *(c.tally.count(v) for v in Rating.values),
                c.tally.valid,
                _num(c.rate),
                _num(c.score),
                c.tally.open_link,
            ]
            for r in results.offices
            for c in r.cells
        ),
        [28, 20, 9, 9, 12, 9, 9, 10, 12, 12, 12],
    )
    _table(
        writer,
        _("Respondents"),
        [_("Group"), _("Weight (%)"), _("Ballots by invitation"), _("Ballots by open link")],
        ([g.name, g.weight, invited, open_link] for g, invited, open_link in results.group_rows()),
        [24, 10, 14, 14],
    )
    if summaries:
        rows = []
        for s in summaries:
            rows.append([f"{s.question.order}. {s.question.text}", s.question.get_kind_display(), "", s.answered, ""])
            rows.extend(["", "", o.text, n, _num(p)] for o, n, p in s.options)
            rows.extend(["", "", str(v), n, _num(p)] for v, n, p in s.scale)
            if s.scale_mean is not None:
                rows.append(["", "", _("Mean"), _num(s.scale_mean), ""])
        _table(
            writer,
            _("Other questions"),
            [_("Question"), _("Kind"), _("Answer"), _("Count"), _("Share (%)")],
            rows,
            [40, 16, 30, 10, 10],
        )
    about = writer.sheet(_("About"), widths=[36, 60], freeze=None)
    about.append([_("Survey"), survey.title])
    about.append([_("Scores"), f"{survey.score_satisfied} / {survey.score_basic} / {survey.score_dissatisfied}"])
    about.append([_("Valid responses needed to be ranked"), survey.min_valid_responses])
    about.append([_("Ballots"), results.ballot_total])
    about.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    return writer.getvalue()


def invitations_workbook(invitations, link_for) -> bytes:
    """One row per invitation: label, code, link and the QR code as a picture."""
    writer = XlsxWriter()
    sheet = writer.sheet(
        _("Invitations"),
        headers=[_("No."), _("Group"), _("Code"), _("Link"), _("Given to"), _("QR code")],
        widths=[10, 20, 34, 70, 24, 20],
        freeze=FREEZE,
    )
    middle = Alignment(vertical="center", wrap_text=True)
    for invitation in invitations:
        link = link_for(invitation)
        row = sheet.append(
            [invitation.label, invitation.group.name, invitation.display_code, link, invitation.note],
            alignment=middle,
            height=100,
        )
        sheet.add_image(qr_png(link, box_size=3), f"F{row}")
    return writer.getvalue()
