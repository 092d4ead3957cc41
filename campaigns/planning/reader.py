"""Reads a campaign plan document, as the campaign office writes it, into phases,
sections and numbered measures. Pure text in, plain data out: no database.

What it understands (in simplified or traditional characters, full- or half-width
brackets):

- the numbering 一、 / （一） / 1. 1、 / （1）: a numbered item is a measure (task);
  a "（一）" heading with no numbered item under it is a measure too, and one with
  numbered items is a section (seed 002's ten content areas);
- phase headings: a heading that says 阶段 or carries its months or dates,
  "（一）宣传发动阶段（3月1日—3月31日）", "动员部署阶段（9月）", "(4-5月)";
- the office bracket after a measure: "（党委办公室、管委会办公室负责）",
  "（…牵头，…配合）", "（…负责，…协办）", "（各部门负责）", and "由…牵头负责"
  in the text of a section, which its measures inherit;
- deadlines written in the text: "6月底前完成", "要求6月底完成", "3月15日前完成";
- recurrence words ("每季度", "每半年", "每年至少两次") are reported as warnings
  for the campaign office to schedule.

Headings of guidance, goals and requirements (指导思想, 工作目标, 具体要求 …) are not
measures: their items are skipped with a warning. Whatever the reader is unsure of
becomes a warning, never a guess stored as fact.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext as _

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

OPEN = "[（(]"
CLOSE = "[）)]"
L1 = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、，,.．]\s*(.*)$")
L2 = re.compile(rf"^{OPEN}([一二三四五六七八九十]{{1,3}}){CLOSE}\s*(.*)$")
L3 = re.compile(r"^(\d{1,2})\s*(?:[、.．](?!\d)|\s)\s*(.*)$")
L4 = re.compile(rf"^{OPEN}(\d{{1,2}}){CLOSE}\s*(.*)$")

# A web page's pinyin annotations ("導(dǎo)語(yǔ)"): not part of the plan.
PINYIN = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
# A page's own lines around the plan ("时间:…", "导语:…", "首页 > …").
CRUFT = re.compile(r"^(时间|時間|导语|導語|前言|首页|首頁)\s*[:：>]")

PHASE_WORD = re.compile(r"[阶階][段煅]")
MONTHS = re.compile(
    rf"{OPEN}\s*(?:"
    rf"(\d{{1,2}})\s*月\s*(?:(\d{{1,2}})\s*日)?\s*(?:[-—–~～至到]+\s*(?:(\d{{1,2}})\s*月)?\s*(?:(\d{{1,2}})\s*日)?)?"
    rf"|(\d{{1,2}})\s*[-—–~～至到]+\s*(\d{{1,2}})\s*月"
    rf")\s*(?:份)?\s*{CLOSE}"
)
# "从20*年4月至11月为集中整改阶段": a plan that is one phase says so in its preamble.
PREAMBLE_PHASE = re.compile(r"(\d{1,2})月(?:至|到|—|-)(\d{1,2})月为([^，,。；]{2,20}?[阶階][段煅])")

SKIPPED_HEADINGS = re.compile(r"指导思想|领导思想|总体要求|目标|目的|要求|意义|原则|标准|依据|组织领导|领导机构")

ROLE_LEAD = "牵头|牽頭|负责|負責|主办|主辦|承办|承辦|落实|落實"
ROLE_CO = "配合|协办|協辦|协助|協助|参与|參與|参加|參加"
BRACKET = re.compile(rf"{OPEN}([^（）()]{{2,120}}?(?:{ROLE_LEAD}|{ROLE_CO})){CLOSE}\s*[。.；;]?\s*$")
LED_BY = re.compile(rf"由(?![各一两兩多有相本其])([^，,。；;（）()\n]{{2,40}}?)(?:{ROLE_LEAD})")
ALL_OFFICES = re.compile(
    r"^(?:全市|全县|全区|全辦|全办)?(?:各级各部门各单位|各級各部門各單位|各部门各单位|各部門各單位|各级各部门|各級各部門"
    r"|各部门|各部門|各单位|各單位|各科室|各级机关|各級機關)$"
)
ALL_OFFICES_SUBJECT = re.compile(
    r"(?:^|[。；;])\s*(?:全市|全县|全区)?(?:各级各部门各单位|各級各部門各單位|各部门|各部門|各科室)要"
)
DEADLINE = re.compile(
    r"(?:要求)?(?:在)?(\d{1,2})\s*月\s*(底|末|(\d{1,2})\s*日)\s*(?:前|以前|之前)?\s*(?:完成|结束|結束|办结|辦結)"
)
# A named person ("落实到人"): "责任人：张三", "（责任人：李四）", "由王五同志负责".
RESPONSIBLE = re.compile(
    r"(?:责任人|負責人|负责人|責任人)\s*[:：]\s*([\u4e00-\u9fff·]{2,5}?)(?=[，,。；;）)\s]|$)"
    r"|由([\u4e00-\u9fff]{2,4}?)同志(?:牵头|牽頭)?(?:负责|負責)"
)
RECURRENCE = re.compile(r"每季度|每半年|每年至少[一二两三四\d]+次|每年不少于[一二两三四\d]+次|每月")

TITLE_MAX = 300


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return _t2s().convert(text)


@dataclass
class DraftTask:
    number: int
    title: str
    description: str
    lead: str | None = None
    co_offices: list[str] = field(default_factory=list)
    all_offices: bool = False
    deadline: dt.date | None = None
    responsible: str | None = None
    recurrence: str | None = None
    section: int | None = None  # index into the phase's sections
    label: str = ""  # the document's own numbering, "（三）1"


@dataclass
class DraftSection:
    number: int
    title: str
    label: str = ""
    tasks: list[DraftTask] = field(default_factory=list)


@dataclass
class DraftPhase:
    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    goal: str = ""
    sections: list[DraftSection] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)


@dataclass
class DraftPlan:
    title: str
    phases: list[DraftPhase]
    warnings: list[str]


@dataclass
class _Node:
    level: int  # 0 root, 1 一、, 2 （一）, 3 1., 4 （1）
    number: int
    heading: str
    body: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None

    @property
    def text(self) -> str:
        return "\n".join([self.heading, *self.body]).strip()


def clean_lines(text: str) -> list[str]:
    text = PINYIN.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " "))
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or CRUFT.match(line):
            continue
        lines.append(line)
    return lines


def _cn_number(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + CN_DIGITS.get(numeral[1:], 0)
    if "十" in numeral:
        tens, _sep, ones = numeral.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + CN_DIGITS.get(ones, 0)
    return CN_DIGITS.get(numeral, 0)


def _parse_tree(lines: list[str]) -> tuple[_Node, list[str]]:
    root = _Node(0, 0, "")
    preamble: list[str] = []
    stack = [root]
    for line in lines:
        for level, pattern in ((1, L1), (2, L2), (4, L4), (3, L3)):
            match = pattern.match(line)
            if match:
                numeral, rest = match.groups()
                number = int(numeral) if numeral.isdigit() else _cn_number(numeral)
                while stack[-1].level >= level:
                    stack.pop()
                node = _Node(level, number, rest.strip(), parent=stack[-1])
                stack[-1].children.append(node)
                stack.append(node)
                break
        else:
            if len(stack) == 1:
                preamble.append(line)
            else:
                stack[-1].body.append(line)
    return root, preamble


def _first_sentence(text: str) -> str:
    head = re.split(r"[。；;]", text, maxsplit=1)[0].strip()
    head = head.rstrip("：:，,")
    return head[:TITLE_MAX]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int | None, *, end: bool) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    if day is None:
        return _month_end(year, month) if end else dt.date(year, month, 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def phase_dates(heading: str, year: int) -> tuple[dt.date | None, dt.date | None]:
    """The dates of a phase heading: "（9月）", "（10月—11月）", "(4-5月)", "（3月1日—3月31日）"."""
    match = MONTHS.search(heading)
    if not match:
        return None, None
    m1, d1, m2, d2, bare1, bare2 = match.groups()
    if bare1:  # "(4-5月)": the first month is written without its 月
        m1, m2 = bare1, bare2
    first = int(m1)
    last = int(m2) if m2 else first
    start = _safe_date(year, first, int(d1) if d1 else None, end=False)
    end = _safe_date(year, last, int(d2) if d2 else None, end=True)
    if start and end and end < start:
        end = _safe_date(year + 1, last, int(d2) if d2 else None, end=True)
    return start, end


def _heading(text: str) -> str:
    """A heading's own words: its first sentence, with the dates that follow it
    ("…活动。(8-9月)。" keeps its months)."""
    head = _first_sentence(text)
    rest = text[len(head) :].lstrip("。.；; ")
    dates = MONTHS.match(rest)
    return f"{head}{dates.group(0)}" if dates else head


def _goal(text: str) -> str:
    rest = text[len(_first_sentence(text)) :].lstrip("。.；; ")
    dates = MONTHS.match(rest)
    return rest[dates.end() :].lstrip("。.；; ") if dates else rest


def _strip_dates(heading: str) -> str:
    return MONTHS.sub("", heading).strip().rstrip("。.，,")


def _is_phase(node: _Node) -> bool:
    heading = _heading(node.heading)
    return bool(PHASE_WORD.search(heading) or MONTHS.search(heading)) and node.level in (1, 2)


def split_offices(bracket: str) -> tuple[list[str], list[str], bool]:
    """Lead-side names, co-side names and whether it means every office, from the
    inside of an office bracket: "党委办公室、管委会办公室负责", "甲牵头，乙、丙配合"."""
    leads: list[str] = []
    cos: list[str] = []
    everyone = False
    for clause in re.split(r"[，,；;]", bracket):
        clause = clause.strip()
        if not clause:
            continue
        role_co = re.search(rf"(?:{ROLE_CO})$", clause)
        names_text = re.sub(rf"(?:{ROLE_LEAD}|{ROLE_CO})+$", "", clause).strip()
        names_text = re.sub(r"^(由|请|請)", "", names_text)
        for name in re.split(r"[、/和及与與]", names_text):
            name = name.strip()
            if not name:
                continue
            if ALL_OFFICES.match(name):
                everyone = True
                continue
            (cos if role_co else leads).append(name)
    return leads, cos, everyone


def _offices_of(text: str) -> tuple[str | None, list[str], bool, str]:
    """(lead, co-offices, all offices, text without the bracket)."""
    match = BRACKET.search(text)
    if match:
        leads, cos, everyone = split_offices(match.group(1))
        rest = text[: match.start()].rstrip()
        if leads or cos or everyone:
            names = leads + cos
            return (names[0] if names else None), names[1:], everyone, rest
    led = LED_BY.search(text)
    if led:
        leads, cos, everyone = split_offices(led.group(1) + "负责")
        if leads:
            return leads[0], leads[1:] + cos, everyone, text
    if ALL_OFFICES_SUBJECT.search(text):
        return None, [], True, text
    return None, [], False, text


def _deadline(text: str, year: int) -> tuple[dt.date | None, bool]:
    """The deadline written in the text, and whether one was written but unreadable."""
    match = DEADLINE.search(simplified(text))
    if not match:
        return None, False
    month, tail, day = match.groups()
    if tail in ("底", "末"):
        return _safe_date(year, int(month), None, end=True), False
    date = _safe_date(year, int(month), int(day), end=True)
    return date, date is None


def read_plan(text: str, *, year: int) -> DraftPlan:
    """The plan document's phases, sections and measures, and what it was unsure of."""
    lines = clean_lines(text)
    warnings: list[str] = []
    root, preamble = _parse_tree(lines)
    title = preamble[0][:200] if preamble else ""

    phases: list[DraftPhase] = []
    # measures (and empty sections: None) outside any phase
    loose: list[tuple[DraftTask | None, _Node | None]] = []

    def visit(node: _Node, phase: DraftPhase | None, section: _Node | None) -> None:
        for child in node.children:
            heading = _heading(child.heading)
            skipped = child.level == 1 and SKIPPED_HEADINGS.search(simplified(heading))
            if skipped and not any(_is_phase(g) for g in child.children):
                if child.children:
                    warnings.append(
                        _("Skipped “%(heading)s”: guidance, goals or requirements, not measures.")
                        % {"heading": f"{_numeral(child)}、{heading}"}
                    )
                continue
            if _is_phase(child):
                start, end = phase_dates(heading, year)
                draft = DraftPhase(
                    name=_strip_dates(heading)[:120],
                    start=start,
                    end=end,
                    goal="".join([_goal(child.heading), *child.body]).strip(),
                )
                if start is None:
                    warnings.append(
                        _("Phase “%(name)s” has no dates in the plan: give them before importing.")
                        % {"name": draft.name}
                    )
                phases.append(draft)
                visit(child, draft, None)
                continue
            has_items = any(g.level in (2, 3) for g in child.children)
            if child.level == 1:
                # A top heading with measures under it is their section, unless
                # sections of its own (（一）…) hold them.
                visit(child, phase, child if any(g.level == 3 for g in child.children) or has_items else section)
                continue
            if child.level == 2 and not has_items and _has_sections(node):
                # A content area without numbered measures, beside areas with them.
                if phase is None:
                    loose.append((None, child))
                else:
                    _place(phase, None, child, year)
                warnings.append(
                    _("Section “%(heading)s” has no numbered measures.") % {"heading": _first_sentence(child.heading)}
                )
                continue
            if child.level == 3 or (child.level in (2, 4) and not has_items):
                task = _task_of(child, year, warnings)
                if phase is None:
                    loose.append((task, section))
                else:
                    _place(phase, task, section, year)
                continue
            visit(child, phase, child)  # a （一） heading with numbered measures: a section

    visit(root, None, None)

    if loose:
        if not phases:
            found = PREAMBLE_PHASE.search(simplified("".join(preamble)))
            if found:
                first, last, name = found.groups()
                start = _safe_date(year, int(first), None, end=False)
                end = _safe_date(year, int(last), None, end=True)
                phases.append(DraftPhase(name=name, start=start, end=end))
            else:
                phases.append(DraftPhase(name=title[:120] or _("Implementation")))
                warnings.append(
                    _("The plan names no phases: its measures are in one phase, “%(name)s”, without dates.")
                    % {"name": phases[0].name}
                )
        else:
            warnings.append(
                _("%(count)d measures are not under any phase; they were put in the first phase, “%(name)s”.")
                % {"count": sum(1 for task, _s in loose if task), "name": phases[0].name}
            )
        for task, section in loose:
            _place(phases[0], task, section, year)

    for phase in phases:
        if not phase.tasks:
            warnings.append(_("Phase “%(name)s” has no numbered measures.") % {"name": phase.name})
        for task in phase.tasks:
            if task.lead is None and not task.all_offices:
                warnings.append(
                    _("Measure %(number)s “%(title)s” names no office.")
                    % {"number": _task_label(phase, task), "title": task.title[:40]}
                )
            if task.deadline and phase.start and task.deadline < phase.start:
                warnings.append(
                    _("Measure %(number)s is due %(date)s, before its phase starts: check the year.")
                    % {"number": _task_label(phase, task), "date": task.deadline.isoformat()}
                )
            if task.recurrence:
                warnings.append(
                    _("Measure %(number)s recurs (“%(words)s”): add its occurrences after importing.")
                    % {"number": _task_label(phase, task), "words": task.recurrence}
                )
    _check_numbering(phases, warnings)
    return DraftPlan(title=title, phases=phases, warnings=warnings)


def _numeral(node: _Node) -> str:
    names = {v: k for k, v in CN_DIGITS.items()}
    return names.get(node.number, str(node.number))


def _task_label(phase: DraftPhase, task: DraftTask) -> str:
    return task.label or str(task.number)


def _has_sections(node: _Node) -> bool:
    return any(c.level == 2 and any(g.level == 3 for g in c.children) for c in node.children)


def _place(phase: DraftPhase, task: DraftTask | None, section: _Node | None, year: int) -> None:
    """Put a measure in its phase (and section), where it takes the office and the
    deadline its section names ("此项工作由市法制办牵头负责，要求6月底完成")."""
    if section is not None:
        title = _first_sentence(section.heading)
        label = f"（{_numeral(section)}）" if section.level == 2 else f"{_numeral(section)}、"
        index = next(
            (i for i, s in enumerate(phase.sections) if s.title == title[:200] and s.number == section.number), None
        )
        if index is None:
            phase.sections.append(DraftSection(number=section.number, title=title[:200], label=label))
            index = len(phase.sections) - 1
        if task is None:
            return
        task.section = index
        task.label = f"{label}{task.number}"
        phase.sections[index].tasks.append(task)
        inherited = _offices_of(section.text)
        if task.lead is None and not task.all_offices and (inherited[0] or inherited[2]):
            task.lead, task.co_offices, task.all_offices = inherited[0], inherited[1], inherited[2]
        if task.deadline is None:
            task.deadline = _deadline(section.text, year)[0]
    if task is not None:
        phase.tasks.append(task)


def _task_of(node: _Node, year: int, warnings: list[str]) -> DraftTask:
    text = node.text
    sub = [c.text for c in node.children if c.level == 4]
    lead, cos, everyone, rest = _offices_of(text)
    heading = _offices_of(node.heading)[3] if node.heading else rest
    deadline, unreadable = _deadline(text, year)
    recurrence = list(dict.fromkeys(RECURRENCE.findall(simplified(text))))
    person = RESPONSIBLE.search(text)
    task = DraftTask(
        number=node.number,
        title=_first_sentence(heading) or _first_sentence(rest) or rest[:TITLE_MAX],
        label=str(node.number),
        description="\n".join([rest, *sub]).strip(),
        lead=lead,
        co_offices=cos,
        all_offices=everyone,
        deadline=deadline,
        recurrence="、".join(recurrence) or None,
        responsible=(person.group(1) or person.group(2)) if person else None,
    )
    if unreadable:
        warnings.append(_("Measure %(number)s has a deadline that is not a date.") % {"number": node.number})
    return task


def _check_numbering(phases: list[DraftPhase], warnings: list[str]) -> None:
    for phase in phases:
        groups: list[list[DraftTask]] = [s.tasks for s in phase.sections]
        groups.append([t for t in phase.tasks if t.section is None])
        for tasks in groups:
            numbers = [t.number for t in tasks]
            expected = list(range(1, len(numbers) + 1))
            if numbers and numbers != expected:
                warnings.append(
                    _("The measures of “%(name)s” are numbered %(numbers)s, not 1 to %(count)d: check none is missing.")
                    % {"name": phase.name, "numbers": ", ".join(map(str, numbers)), "count": len(numbers)}
                )
