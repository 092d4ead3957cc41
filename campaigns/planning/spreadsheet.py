"""The plan as a spreadsheet: a downloadable .xlsx template (one row per task) and
its import through the same preview as a plan document.

A filled-in template is turned into the plan text the reader understands
("一、宣传发动阶段（3月1日—3月31日）", "（一）section", "1.title。description…
（lead牵头，co配合）"), so it shows in the import page's text box to be corrected,
is previewed, matched against the office directory and imported exactly like a
document: one reader, one preview, one import.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.xlsx import workbook_bytes

from ..models import Task
from .reader import MONTHS, PHASE_WORD

CN = "一二三四五六七八九十"

#: Each column's key, its header in the template (translated), and the headers
#: accepted on import in every language (lower case).
COLUMNS = [
    ("phase", gettext_lazy("Phase"), ("phase", "阶段", "階段")),
    ("section", gettext_lazy("Section"), ("section", "分项", "分項")),
    ("number", gettext_lazy("No."), ("no.", "number", "序号", "序號", "编号", "編號")),
    ("title", gettext_lazy("Task"), ("task", "title", "工作任务", "工作任務", "任务", "任務")),
    ("description", gettext_lazy("Description"), ("description", "具体内容", "具體內容", "说明", "說明")),
    ("lead", gettext_lazy("Lead office"), ("lead office", "牵头单位", "牽頭單位")),
    ("co_offices", gettext_lazy("Co-offices"), ("co-offices", "co offices", "协办单位", "協辦單位")),
    ("deadline", gettext_lazy("Deadline"), ("deadline", "完成时限", "完成時限", "截止日期")),
    ("responsible", gettext_lazy("Responsible person"), ("responsible person", "责任人", "責任人")),
    ("recurrence", gettext_lazy("Recurs"), ("recurs", "recurrence", "周期", "週期")),
]
WIDTHS = [28, 22, 6, 36, 48, 20, 28, 12, 12, 14]
#: The recurrence column's words, whatever language the template was filled in.
RECURRENCE_WORDS: dict[str, str] = {
    Task.Recurrence.MONTHLY: "每月",
    Task.Recurrence.QUARTERLY: "每季度",
    Task.Recurrence.HALF_YEARLY: "每半年",
    Task.Recurrence.TWICE_A_YEAR: "每年至少两次",
}
SEPARATORS = re.compile(r"[、，,；;/\n]+")
BRACKETS = str.maketrans({"(": "〔", ")": "〕", "（": "〔", "）": "〕"})


def template_bytes() -> bytes:
    """The template: the headers in the user's language and two example rows."""
    example = [
        [
            "宣传发动阶段（3月1日—3月31日）",
            "",
            1,
            "召开动员大会",
            "部署机关作风建设活动。",
            "党委办公室",
            "管委会办公室",
            None,
            "",
            "",
        ],
        [
            "集中整改阶段（4月1日—11月30日）",
            "（一）转变干部作风",
            1,
            "开展明察暗访",
            "检查窗口单位工作纪律。",
            "纪律检查委员会办公室",
            "",
            None,
            "",
            "每季度",
        ],
    ]
    return workbook_bytes(
        title=_("Plan"), headers=[str(label) for _key, label, _names in COLUMNS], widths=WIDTHS, rows=example
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _deadline(value, row: int) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value).replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValidationError(
            {
                "document": _("Row %(row)d: the deadline “%(value)s” is not a date (2026-06-30).")
                % {"row": row, "value": value}
            }
        ) from None


def _recurrence(value) -> str:
    text = _text(value)
    if not text:
        return ""
    for kind, label in Task.Recurrence.choices:
        if text.lower() in (kind, str(label).lower()):
            return RECURRENCE_WORDS[kind]
    return text  # the plan's own words (每季度, 每半年 …): the reader knows them


def _offices(value) -> list[str]:
    return [name.strip() for name in SEPARATORS.split(_text(value)) if name.strip()]


def _accepted_headers() -> dict[str, set[str]]:
    """Each column's headers: the listed ones and the template's own in every language."""
    from django.conf import settings
    from django.utils import translation

    accepted = {key: set(names) for key, _label, names in COLUMNS}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for key, label, _names in COLUMNS:
                accepted[key].add(str(label).lower())
    return accepted


def read_workbook(data: bytes) -> str:
    """The plan text of a filled-in template; a ValidationError for the document field
    when the file is not such a workbook."""
    import io

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ValidationError({"document": _("This is not an .xlsx workbook.")}) from exc
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [_text(cell).lower() for cell in next(rows, ())]
    index = {key: header.index(name) for key, names in _accepted_headers().items() for name in names if name in header}
    missing = [str(label) for key, label, _names in COLUMNS if key in ("phase", "title") and key not in index]
    if missing:
        book.close()
        raise ValidationError(
            {
                "document": _("The first row must name the columns of the template; missing: %(names)s.")
                % {"names": "、".join(missing)}
            }
        )

    lines: list[str] = []
    phase, section = None, None
    phases = sections = numbers = 0
    for row_number, values in enumerate(rows, start=2):
        cells = {key: values[i] if i < len(values) else None for key, i in index.items()}
        if not any(_text(v) for v in cells.values()):
            continue
        title = _text(cells.get("title")).rstrip("。.")
        if not title:
            raise ValidationError({"document": _("Row %(row)d has no task.") % {"row": row_number}})
        row_phase = _text(cells.get("phase")) or phase
        if not row_phase:
            raise ValidationError({"document": _("Row %(row)d names no phase.") % {"row": row_number}})
        if row_phase != phase:
            phase, section, phases, sections, numbers = row_phase, None, phases + 1, 0, 0
            # The reader knows a phase by its word or its dates: "总结考核" is "总结考核阶段".
            heading = phase if PHASE_WORD.search(phase) or MONTHS.search(phase) else f"{phase}阶段"
            lines.append(f"{CN[phases - 1] if phases <= 10 else phases}、{heading}")
        row_section = _text(cells.get("section"))
        if row_section and row_section != section:
            section, sections, numbers = row_section, sections + 1, 0
            heading = re.sub(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*", "", row_section)
            lines.append(f"（{CN[sections - 1] if sections <= 10 else sections}）{heading}")
        numbers += 1
        number = _text(cells.get("number")) or str(numbers)
        parts = [f"{number}.{title.translate(BRACKETS)}。"]
        description = _text(cells.get("description")).translate(BRACKETS)
        if description:
            parts.append(description if description.endswith(("。", ".")) else f"{description}。")
        if person := _text(cells.get("responsible")):
            parts.append(f"责任人：{person}。")
        if words := _recurrence(cells.get("recurrence")):
            parts.append(f"{words}。")
        if deadline := _deadline(cells.get("deadline"), row_number):
            parts.append(f"{deadline.month}月{deadline.day}日前完成。")
        lead, cos = _offices(cells.get("lead")), _offices(cells.get("co_offices"))
        if lead and cos:
            parts.append(f"（{'、'.join(lead)}牵头，{'、'.join(cos)}配合）")
        elif lead or cos:
            parts.append(f"（{'、'.join(lead or cos)}负责）")
        lines.append("".join(parts))
    book.close()
    return "\n".join(lines)
