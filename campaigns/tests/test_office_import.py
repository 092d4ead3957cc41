"""Loading a real office directory from .xlsx (campaigns/officeimport.py,
``manage.py import_offices``): levels, short names, centres and heads; run twice,
nothing doubles; one wrong row, nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from campaigns import scope
from campaigns.models import Office, User
from campaigns.officeimport import import_offices, read_rows
from campaigns.roles import Role

pytestmark = pytest.mark.django_db

HEADER = ["名称", "上级单位", "简称", "层级", "投诉中心", "负责人账号", "负责人"]
DIRECTORY = [
    ["惠州市", "", "惠州", "市", "", "", ""],
    ["惠州市效能投诉中心", "惠州市", "市投诉中心", "部门", "是", "", ""],
    ["惠阳区", "惠州市", "惠阳", "区", "", "hy_head", "惠阳区 林区长"],
    ["淡水街道办事处", "惠阳区", "淡水街道", "街道", "", "", ""],
    ["党政办公室", "惠州市/惠阳区/淡水街道办事处", "党政办", "部门", "", "ds_head", "淡水 陈主任"],
    ["秋长街道办事处", "惠阳区", "秋长街道", "街道", "", "", ""],
    ["党政办公室", "惠州市/惠阳区/秋长街道办事处", "党政办", "", "", "", ""],
]


def workbook(tmp_path, rows, name="offices.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_a_directory_becomes_the_office_tree_with_levels_centres_and_heads(tmp_path):
    result = import_offices(rows=read_rows(workbook(tmp_path, DIRECTORY)))
    assert (result.created, result.updated, result.unchanged) == (7, 0, 0)
    city = Office.objects.get(name="惠州市", parent=None)
    district = Office.objects.get(name="惠阳区")
    street = Office.objects.get(name="淡水街道办事处")
    office = Office.objects.get(name="党政办公室", parent=street)
    assert (city.level, district.level, street.level, office.level) == ("city", "district", "township", "department")
    assert office.short_name == "党政办" and office.path == f"{city.pk}.{district.pk}.{street.pk}.{office.pk}."
    assert office.level_path == street.path and Office.objects.get(name="惠州市效能投诉中心").is_complaint_centre
    head = User.objects.get(username="ds_head")
    assert head.office == office and head.first_name == "淡水 陈主任" and not head.has_usable_password()
    assert head.groups.filter(name=Role.OFFICE_HEAD).exists()
    district_head = User.objects.get(username="hy_head")
    assert set(scope.offices(district_head)) == set(Office.objects.filter(path__startswith=district.path))
    assert Office.objects.filter(name="党政办公室").count() == 2


def test_importing_again_changes_nothing_and_a_corrected_directory_updates_in_place(tmp_path):
    import_offices(rows=read_rows(workbook(tmp_path, DIRECTORY)))
    again = import_offices(rows=read_rows(workbook(tmp_path, DIRECTORY)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    corrected = [row[:] for row in DIRECTORY]
    corrected[3][2] = "淡水"
    fixed = import_offices(rows=read_rows(workbook(tmp_path, corrected, "fixed.xlsx")))
    assert (fixed.created, fixed.updated) == (0, 1)
    assert Office.objects.get(name="淡水街道办事处").short_name == "淡水"
    assert Office.objects.count() == 7


def test_one_wrong_row_writes_nothing_and_every_error_names_its_row(tmp_path):
    rows = [
        *DIRECTORY,
        ["新区", "不存在的单位", "", "区", "", "", ""],
        ["某局", "党政办公室", "", "部门", "", "", ""],
        ["某所", "惠阳区", "", "片区", "", "", ""],
    ]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        import_offices(rows=read_rows(workbook(tmp_path, rows)))
    messages = refused.value.messages
    assert len(messages) == 3
    assert messages[0].startswith("Row 9:") and "不存在的单位" in messages[0]
    assert messages[1].startswith("Row 10:") and "惠州市/惠阳区/淡水街道办事处/党政办公室" in messages[1]
    assert messages[2].startswith("Row 11:") and "片区" in messages[2]
    assert not Office.objects.exists() and not User.objects.exists()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        import_offices(rows=read_rows(workbook(tmp_path, rows)))
    assert refused.value.messages[2] == "第 11 行：无法识别的层级“片区”。"


def test_the_command_checks_a_dry_run_and_refuses_a_sheet_without_names(tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    call_command("import_offices", str(workbook(tmp_path, DIRECTORY)), "--dry-run")
    assert not Office.objects.exists()
    call_command("import_offices", str(workbook(tmp_path, DIRECTORY)))
    assert Office.objects.count() == 7
    book = Workbook()
    book.active.append(["单位", "上级"])
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(CommandError):
        call_command("import_offices", str(tmp_path / "bad.xlsx"))
