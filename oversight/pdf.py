"""The campaign summary report as PDF, with reportlab only.

Chinese is drawn with the Adobe CID fonts reportlab knows by name (STSong-Light
for simplified, MSung-Light for traditional Chinese): PDF readers supply the
glyphs, so no font file is shipped or needed on the server."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .selectors.summary import Summary

FONTS = {"zh-hant": "MSung-Light"}
DEFAULT_FONT = "STSong-Light"


def _font() -> str:
    name = FONTS.get((translation.get_language() or "").lower(), DEFAULT_FONT)
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def _fmt(value, suffix="") -> str:
    return "—" if value is None else f"{value}{suffix}"


def summary_pdf(summary: Summary) -> bytes:
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
    h1 = ParagraphStyle("h1", parent=base, fontSize=18, leading=24, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=base, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4)

    def p(text, style=base):
        return Paragraph(escape(str(text)), style)

    def table(header, rows, widths=None):
        data = [[p(h, small) for h in header]] + [[p(c, small) for c in row] for row in rows]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    campaign = summary.campaign
    story = [
        p(_("Campaign summary report"), h1),
        p(campaign.name, h2),
        p(
            _("%(start)s to %(end)s · figures as of %(today)s")
            % {
                "start": campaign.start_date.isoformat(),
                "end": campaign.end_date.isoformat(),
                "today": summary.today.isoformat(),
            }
        ),
        Spacer(1, 4 * mm),
        p(_("Phases"), h2),
        table(
            [_("Phase"), _("Dates"), _("Tasks"), _("Done"), _("Progress"), _("Deliverables accepted")],
            [
                [
                    f"{ph.order}. {ph.name}",
                    f"{ph.start_date.isoformat()} – {ph.end_date.isoformat()}",
                    ph.task_total,
                    ph.task_done,
                    _fmt(ph.progress, "%"),
                    f"{ph.deliverables_accepted} / {ph.deliverables_required}",
                ]
                for ph in summary.phases
            ],
        ),
        p(_("Complaints"), h2),
        p(
            _(
                "Received %(received)d, closed %(closed)d, of which on time %(on_time)d; rated %(rated)d, "
                "satisfied or basically satisfied %(satisfied)d."
            )
            % {
                "received": summary.complaint_total["received"],
                "closed": summary.complaint_total["closed"],
                "on_time": summary.complaint_total["closed_on_time"],
                "rated": summary.complaint_total["rated"],
                "satisfied": summary.complaint_total["satisfied"],
            }
        ),
        p(_("Figures per office"), h2),
    ]
    card = summary.card
    header = [
        _("Office"),
        _("Tasks done / total"),
        _("On time"),
        _("Overdue"),
        _("Complaints received"),
        _("Closed on time"),
        _("Satisfaction"),
    ]
    if card.has_commitments:
        header += [_("Commitments completed / made"), _("Verified")]
    if card.has_appraisal:
        header += [_("Appraisal score"), _("Rank")]
    header += [_("Deliverables accepted / required")]
    rows = []
    for row in card.rows:
        t, c, d = row.tasks, row.complaints, row.deliverables
        values = [
            row.office_name,
            f"{t.done} / {t.total}",
            t.done_on_time,
            t.overdue,
            c.received,
            _fmt(c.on_time_rate, "%"),
            _fmt(c.satisfaction_rate, "%"),
        ]
        if card.has_commitments:
            values += [f"{row.commitments.completed} / {row.commitments.made}", row.commitments.verified]
        if card.has_appraisal:
            values += [_fmt(row.appraisal.score), _fmt(row.appraisal.rank)]
        values.append(f"{d.accepted} / {d.required}")
        rows.append(values)
    story.append(table(header, rows) if rows else p(_("No figures yet.")))

    if summary.rectification:
        story += [p(_("Rectification results"), h2)]
        story.append(
            table(
                [_("Office"), _("Commitments"), _("Completed"), _("Verified"), _("Satisfaction")],
                [
                    [r["office"], r["commitments"], r["completed"], r["verified"], _fmt(r.get("satisfaction"), "%")]
                    for r in summary.rectification.get("offices", [])
                ],
            )
        )
    if summary.appraisal:
        story += [p(_("Appraisal ranking"), h2), p(summary.appraisal.get("survey", ""), small)]
        story.append(
            table(
                [_("Rank"), _("Office"), _("Composite score")],
                [
                    [_fmt(r.get("rank")), r["office"], _fmt(r.get("score"))]
                    for r in summary.appraisal.get("offices", [])
                ],
            )
        )
    story.append(p(_("Typical cases"), h2))
    if summary.typical_cases:
        for case in summary.typical_cases:
            story.append(p(f"{case.get_kind_display()} · {case.title}", base))
            story.append(p(case.summary, small))
            story.append(Spacer(1, 2 * mm))
    else:
        story.append(p(_("None published.")))
    story.append(p(_("Bulletins"), h2))
    if summary.bulletins:
        story.append(
            table(
                [_("No."), _("Title"), _("Kind"), _("Published on")],
                [
                    [b.number, b.title, b.get_kind_display(), timezone.localdate(b.published_at).isoformat()]
                    for b in summary.bulletins
                ],
            )
        )
    else:
        story.append(p(_("None published.")))

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{campaign.name} · {_('Campaign summary report')}",
        author=campaign.name,
    )

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(document.pagesize[0] - 12 * mm, 6 * mm, f"{campaign.name} · {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


__all__ = ["summary_pdf"]
