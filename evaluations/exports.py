"""Excel (.xlsx) downloads: the full results tables, and a batch of invitations with
their QR codes for printing or mail merge."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Rating
from .qr import qr_png
from .selectors import QuestionSummary, SurveyResults

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def _sheet_title(title: str) -> str:
    # Sheet titles may not hold []:*?/\ and stop at 31 characters.
    return "".join(c for c in str(title) if c not in "[]:*?/\\")[:31]


def _safe(value):
    """Text that looks like a formula stays text (a free-text answer could start with "=")."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _table(sheet, headers: list[str], rows, widths: list[int]) -> None:
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"


def _num(value):
    return float(value) if value is not None else None


def results_workbook(results: SurveyResults, summaries: list[QuestionSummary]) -> bytes:
    survey = results.survey
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = _sheet_title(_("Ranking"))
    _table(
        ranking,
        [_("Office"), _("Rank"), _("Composite score"), _("Composite satisfaction rate (%)"), _("Valid responses"),
         _("Responses"), _("Of which via the open link"), _("Weight counted"), _("Status")],
        (
            [r.office.name, r.rank, _num(r.composite_score), _num(r.composite_rate), r.valid, r.total.responses,
             r.total.open_link, r.weight_counted,
             _("Most satisfactory") if r.most_satisfactory else _("Lagging") if r.lagging
             else _("Insufficient responses") if r.insufficient else ""]
            for r in results.offices
        ),
        [28, 7, 12, 14, 10, 10, 12, 10, 18],
    )
    labels = dict(Rating.choices)
    by_group = workbook.create_sheet(_sheet_title(_("By group")))
    _table(
        by_group,
        [_("Office"), _("Group"), _("Weight (%)"), *(labels[r] for r in Rating.values), _("Valid responses"),
         _("Satisfaction rate (%)"), _("Satisfaction score"), _("Of which via the open link")],
        (
            [r.office.name, c.group.name, c.group.weight, *(c.tally.count(v) for v in Rating.values), c.tally.valid,
             _num(c.rate), _num(c.score), c.tally.open_link]
            for r in results.offices for c in r.cells
        ),
        [28, 20, 9, 9, 12, 9, 9, 10, 12, 12, 12],
    )
    groups = workbook.create_sheet(_sheet_title(_("Respondents")))
    _table(
        groups,
        [_("Group"), _("Weight (%)"), _("Ballots by invitation"), _("Ballots by open link")],
        ([g.name, g.weight, invited, open_link] for g, invited, open_link in results.group_rows()),
        [24, 10, 14, 14],
    )
    if summaries:
        questions = workbook.create_sheet(_sheet_title(_("Other questions")))
        rows = []
        for s in summaries:
            rows.append([f"{s.question.order}. {s.question.text}", s.question.get_kind_display(), "", s.answered, ""])
            rows.extend(["", "", o.text, n, _num(p)] for o, n, p in s.options)
            rows.extend(["", "", str(v), n, _num(p)] for v, n, p in s.scale)
            if s.scale_mean is not None:
                rows.append(["", "", _("Mean"), _num(s.scale_mean), ""])
        _table(questions, [_("Question"), _("Kind"), _("Answer"), _("Count"), _("Share (%)")], rows, [40, 16, 30, 10, 10])
    about = workbook.create_sheet(_sheet_title(_("About")))
    about.append([_("Survey"), survey.title])
    about.append([_("Scores"), f"{survey.score_satisfied} / {survey.score_basic} / {survey.score_dissatisfied}"])
    about.append([_("Valid responses needed to be ranked"), survey.min_valid_responses])
    about.append([_("Ballots"), results.ballot_total])
    about.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.column_dimensions["A"].width = 36
    about.column_dimensions["B"].width = 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def invitations_workbook(invitations, link_for) -> bytes:
    """One row per invitation: label, code, link and the QR code as a picture."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Invitations"))
    _table(sheet, [_("No."), _("Group"), _("Code"), _("Link"), _("Given to"), _("QR code")], [], [10, 20, 34, 70, 24, 20])
    for index, invitation in enumerate(invitations, start=2):
        link = link_for(invitation)
        sheet.append([invitation.label, invitation.group.name, invitation.display_code, link, _safe(invitation.note)])
        image = Image(io.BytesIO(qr_png(link, box_size=3)))
        sheet.add_image(image, f"F{index}")
        sheet.row_dimensions[index].height = 100
        for cell in sheet[index]:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response
