"""Loading a real office directory: the office tree from an .xlsx workbook, with
levels, short names, complaint centres and heads (``manage.py import_offices``).

The first sheet's first row names the columns, in English or Chinese, in any order:

========================  =====================  ==============================================
column                    also                   value
========================  =====================  ==============================================
name                      名称, 单位名称         the office's full name (required)
parent                    上级单位               the parent's name, or its path from the top
                                                 ("惠州市/惠阳区") when the name is not unique;
                                                 empty for the top of the tree
short name                简称                   optional
level                     层级                   city/市, district/区/县, township/乡镇/街道,
                                                 department/部门 (default department)
complaint centre          投诉中心               是/yes/1 to make the office its level's centre
head username             负责人账号             the head's login; created if new (no
                                                 password: they set one through "forgot
                                                 password" or an administrator)
head name                 负责人                 the head's name
========================  =====================  ==============================================

A parent must be an office already in the portal or a row above its children.
Offices are matched by name under their parent: importing the same workbook
twice changes nothing, and a corrected workbook updates short names, levels and
centres in place. The whole workbook is read first and nothing is written unless
every row is valid (one transaction); each error names its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AuditEvent, Office, User
from .models.offices import misplaced_level
from .roles import Role

COLUMNS = {
    "name": ("name", "名称", "单位名称", "單位名稱"),
    "parent": ("parent", "上级单位", "上級單位"),
    "short_name": ("short name", "简称", "簡稱"),
    "level": ("level", "层级", "層級"),
    "centre": ("complaint centre", "投诉中心", "投訴中心"),
    "head_username": ("head username", "负责人账号", "負責人賬號"),
    "head_name": ("head name", "负责人", "負責人"),
}
LEVELS = {
    **{value: value for value in Office.Level.values},
    "省": Office.Level.PROVINCE,
    "省级": Office.Level.PROVINCE,
    "省級": Office.Level.PROVINCE,
    "市": Office.Level.CITY,
    "区": Office.Level.DISTRICT,
    "區": Office.Level.DISTRICT,
    "县": Office.Level.DISTRICT,
    "縣": Office.Level.DISTRICT,
    "区县": Office.Level.DISTRICT,
    "區縣": Office.Level.DISTRICT,
    "乡镇": Office.Level.TOWNSHIP,
    "鄉鎮": Office.Level.TOWNSHIP,
    "街道": Office.Level.TOWNSHIP,
    "乡镇街道": Office.Level.TOWNSHIP,
    "鄉鎮街道": Office.Level.TOWNSHIP,
    "部门": Office.Level.DEPARTMENT,
    "部門": Office.Level.DEPARTMENT,
    "处": Office.Level.SECTION,
    "處": Office.Level.SECTION,
    "科室": Office.Level.SECTION,
    "处室": Office.Level.SECTION,
    "處室": Office.Level.SECTION,
    "": Office.Level.DEPARTMENT,
}
YES = {"是", "yes", "y", "1", "true", "√", "✓"}


@dataclass
class Row:
    number: int
    name: str
    parent: str
    short_name: str
    level: str
    centre: bool
    head_username: str
    head_name: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    heads_created: int = 0
    heads_assigned: int = 0
    offices: list[Office] = field(default_factory=list)


def read_rows(path) -> list[Row]:
    """The workbook's rows; a ValidationError listing every problem of the layout."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ValidationError(_("This is not an .xlsx workbook: %(error)s") % {"error": exc}) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    index = {}
    for key, names in COLUMNS.items():
        for i, title in enumerate(header):
            if title in names:
                index[key] = i
    if "name" not in index:
        raise ValidationError(_("The first row must name the columns; a “name” (名称) column is required."))

    def cell(values, key) -> str:
        i = index.get(key)
        value = values[i] if i is not None and i < len(values) else None
        return str(value).strip() if value is not None else ""

    found = []
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        found.append(
            Row(
                number=number,
                name=cell(values, "name"),
                parent=cell(values, "parent"),
                short_name=cell(values, "short_name"),
                level=cell(values, "level").lower(),
                centre=cell(values, "centre").lower() in YES,
                head_username=cell(values, "head_username"),
                head_name=cell(values, "head_name"),
            )
        )
    book.close()
    return found


class _Tree:
    """The offices by path ("惠州市/惠阳区"), those in the portal and those planned."""

    def __init__(self):
        self.by_pk = {o.pk: o for o in Office.objects.all()}
        self.paths: dict[str, Office | Row] = {}
        self.names: dict[str, list[str]] = {}
        for office in self.by_pk.values():
            self.add(self.path_of(office), office)

    def path_of(self, office: Office) -> str:
        names = []
        node = office
        while node is not None:
            names.append(node.name)
            node = self.by_pk.get(node.parent_id)
        return "/".join(reversed(names))

    def add(self, path: str, item) -> None:
        self.paths[path] = item
        self.names.setdefault(path.rsplit("/", 1)[-1], []).append(path)

    def find(self, reference: str) -> tuple[str | None, str]:
        """The path a parent reference names, or None and why not."""
        if reference in self.paths:
            return reference, ""
        candidates = self.names.get(reference, [])
        if len(candidates) == 1:
            return candidates[0], ""
        if candidates:
            return None, _("several offices are called “%(name)s”: give its path, e.g. “%(path)s”") % {
                "name": reference,
                "path": candidates[0],
            }
        return None, _("no office “%(name)s” in the portal or in a row above") % {"name": reference}


def _max_length(field: str) -> int:
    return getattr(Office._meta.get_field(field), "max_length", None) or 0


def _level_problems(level: str, parent) -> list[str]:
    """The tree's rule on levels (``Office.clean``), for a row: its parent is an
    Office in the portal, a Row above, or None."""
    parent_level = parent.level if isinstance(parent, Office) else LEVELS.get(parent.level) if parent else None
    misplaced = misplaced_level(level, parent_level)
    if misplaced == "section":
        return [_("a section (处/科室) sits inside a department")]
    if misplaced == "government":
        return [_("a level of government cannot sit inside a department or a section")]
    return []


def _plan(rows: list[Row]) -> tuple[_Tree, list[tuple[Row, str, str]], list[str]]:
    tree, planned, errors = _Tree(), [], []
    seen = set()
    for row in rows:
        problems = []
        if not row.name:
            problems.append(_("the name is empty"))
        if len(row.name) > _max_length("name"):
            problems.append(_("the name is longer than 120 characters"))
        if len(row.short_name) > _max_length("short_name"):
            problems.append(_("the short name is longer than 40 characters"))
        if row.level not in LEVELS:
            problems.append(_("unknown level “%(level)s”") % {"level": row.level})
        parent_path = ""
        if row.parent:
            found, why = tree.find(row.parent)
            if found is None:
                problems.append(why)
            else:
                parent_path = found
        if row.level in LEVELS:
            problems += _level_problems(LEVELS[row.level], tree.paths.get(parent_path) if parent_path else None)
        path = f"{parent_path}/{row.name}" if parent_path else row.name
        if path in seen:
            problems.append(_("“%(path)s” is listed twice") % {"path": path})
        if problems:
            errors.append(_("Row %(row)d: %(problems)s.") % {"row": row.number, "problems": "; ".join(problems)})
            continue
        seen.add(path)
        if path not in tree.paths:
            tree.add(path, row)
        planned.append((row, path, parent_path or ""))
    return tree, planned, errors


@transaction.atomic
def import_offices(*, rows: list[Row], actor=None) -> ImportResult:
    """Create or update the offices (and heads) of ``rows``; nothing at all if any row is wrong."""
    tree, planned, errors = _plan(rows)
    if errors:
        raise ValidationError(errors)
    result = ImportResult()
    offices: dict[str, Office] = {p: o for p, o in tree.paths.items() if isinstance(o, Office)}
    head_group = Group.objects.get_or_create(name=Role.OFFICE_HEAD)[0]
    for row, path, parent_path in planned:
        parent = offices.get(parent_path) if parent_path else None
        wanted = {"short_name": row.short_name, "level": LEVELS[row.level], "is_complaint_centre": row.centre}
        office = offices.get(path)
        if office is None:
            office = Office(name=row.name, parent=parent, **wanted)
            office.full_clean()
            office.save()
            offices[path] = office
            result.created += 1
            AuditEvent.record(office, actor, "office.imported", **wanted)
        else:
            changed = {k: v for k, v in wanted.items() if getattr(office, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(office, key, value)
                office.save(update_fields=[*changed, "updated_at"])
                result.updated += 1
                AuditEvent.record(office, actor, "office.reimported", **changed)
            else:
                result.unchanged += 1
        result.offices.append(office)
        if row.head_username:
            head, made = User.objects.get_or_create(username=row.head_username, defaults={"office": office})
            if made:
                head.set_unusable_password()
                result.heads_created += 1
            if head.office_id != office.pk or (row.head_name and head.first_name != row.head_name) or made:
                head.office = office
                head.first_name = row.head_name or head.first_name
                head.save()
                result.heads_assigned += 1
            head.groups.add(head_group)
            if office.head_id != head.pk:
                office.head = head
                office.save(update_fields=["head", "updated_at"])
    return result
