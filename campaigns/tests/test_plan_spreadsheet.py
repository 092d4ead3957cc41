"""The plan as a spreadsheet: the campaign office downloads the .xlsx template from
/staff/plan/import/, fills it in and imports it through the same preview as a plan
document (its rows become the text, to be corrected); a wrong cell is said next to
the file field and nothing is stored."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaigns.models import Campaign, Office, Task
from campaigns.planning.spreadsheet import COLUMNS, read_workbook
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("staff:plan-import")
TEMPLATE = reverse("staff:plan-template")


@pytest.fixture
def zone():
    zone = OfficeFactory(name="高新区管委会", level=Office.Level.DISTRICT)
    offices = {"zone": zone}
    for name, short in [("党委办公室", "党办"), ("管委会办公室", "管委办"), ("宣传办公室", "宣传办")]:
        offices[short] = OfficeFactory(name=name, short_name=short, parent=zone)
    return offices


@pytest.fixture
def planner(zone):
    return UserFactory(username="planner", office=zone["管委办"], role=Role.CAMPAIGN_OFFICE)


def test_the_campaign_office_downloads_the_template_in_its_language(client, zone, planner):
    client.force_login(UserFactory(office=zone["党办"], role=Role.OFFICE_STAFF))
    assert client.get(TEMPLATE).status_code == 403
    client.force_login(planner)
    assert 'data-testid="plan-template"' in client.get(URL).content.decode()
    for language, first, last in (("en", "Phase", "Recurs"), ("zh-hans", "阶段", "周期"), ("zh-hant", "階段", "週期")):
        response = client.get(TEMPLATE, headers={"accept-language": language})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
        header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert (header[0], header[-1], len(header)) == (first, last, len(COLUMNS))


def _filled(rows, header=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header or [str(label) for _key, label, _names in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    ["宣传发动阶段（3月1日—3月31日）", "", 1, "召开动员大会", "部署活动", "党办", "管委办、宣传办", None, "", ""],
    [
        "集中整改阶段（4月1日—11月30日）",
        "（一）转变作风",
        1,
        "清理文件",
        "",
        "党办",
        "",
        dt.date(2026, 6, 30),
        "张三",
        "每季度",
    ],
    ["", "（二）提高效率", 1, "简化程序", "", "管委办", "", None, "", "quarterly"],
    ["总结考核", "", 1, "总结表彰", "", "宣传处", "", None, "", ""],
]


def test_a_filled_in_template_is_previewed_corrected_and_imported(client, zone, planner):
    zhang = UserFactory(office=zone["党办"], first_name="三", last_name="张")
    client.force_login(planner)
    upload = SimpleUploadedFile("plan.xlsx", _filled(ROWS))
    response = client.post(URL, {"document": upload, "year": "2026", "new_campaign_name": "作风建设", "preview": "1"})
    assert response.status_code == 200
    # The rows became the plan's text, shown to be corrected; nothing is stored yet.
    text = response.context["source"]["text"].value()
    assert "（一）转变作风" in text and "2.清理文件" not in text and "1.清理文件" in text
    assert response.context["task_count"] == 4 and response.context["corrections"].unmatched == ["宣传处"]
    assert not Campaign.objects.exists()
    dates = {"phase_2_start": "2026-12-01", "phase_2_end": "2026-12-31"}
    for i, (start, end) in enumerate([("2026-03-01", "2026-03-31"), ("2026-04-01", "2026-11-30")]):
        dates |= {f"phase_{i}_start": start, f"phase_{i}_end": end}
    done = client.post(
        URL,
        {"text": text, "year": "2026", "new_campaign_name": "作风建设", "import": "1", "office_0": zone["宣传办"].pk}
        | dates,
    )
    assert done.status_code == 302
    # The campaign belongs to the campaign office's level of government (its district).
    assert Campaign.objects.get().office == zone["zone"]
    tasks = Task.objects.filter(phase__campaign__name="作风建设").select_related("phase", "section")
    got = {
        (t.phase.order, t.section.title if t.section else "", t.title): (
            t.deadline,
            t.recurrence,
            sorted((a.office.short_name, a.role, a.responsible_id) for a in t.assignments.all()),
        )
        for t in tasks
    }
    assert got == {
        (1, "", "召开动员大会"): (
            dt.date(2026, 3, 31),
            "",
            [("党办", "lead", None), ("宣传办", "co", None), ("管委办", "co", None)],
        ),
        (2, "（一）转变作风", "清理文件"): (dt.date(2026, 6, 30), "quarterly", [("党办", "lead", zhang.pk)]),
        (2, "（二）提高效率", "简化程序"): (dt.date(2026, 11, 30), "quarterly", [("管委办", "lead", None)]),
        (3, "", "总结表彰"): (dt.date(2026, 12, 31), "", [("宣传办", "lead", None)]),
    }


@pytest.mark.parametrize(
    ("rows", "header", "says"),
    [
        ([["阶段一", "", 1, "任务", "", "党办", "", "六月底", "", ""]], None, "not a date"),
        ([["阶段一", "", 1, "", "说明", "党办", "", None, "", ""]], None, "has no task"),
        ([["任务", "党办"]], ["名称", "单位"], "missing"),
    ],
)
def test_a_wrong_workbook_is_refused_next_to_the_file_and_nothing_is_stored(client, planner, rows, header, says):
    client.force_login(planner)
    upload = SimpleUploadedFile("plan.xlsx", _filled(rows, header))
    response = client.post(URL, {"document": upload, "year": "2026", "preview": "1"}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert says in " ".join(response.context["source"].errors["document"])
    assert not Campaign.objects.exists()


def test_the_template_itself_reads_as_a_plan():
    from campaigns.planning.reader import read_plan
    from campaigns.planning.spreadsheet import template_bytes

    plan = read_plan(read_workbook(template_bytes()), year=2026)
    assert [(p.name, len(p.tasks)) for p in plan.phases] == [("宣传发动阶段", 1), ("集中整改阶段", 1)]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_a_template_downloaded_in_any_language_reads_every_column(language):
    from django.utils import translation

    with translation.override(language):
        header = [str(label) for _key, label, _names in COLUMNS]
    row = ["集中整改阶段（4月1日—11月30日）", "（一）转变作风", 1, "清理文件", "逐件清理", "党办", "宣传办"]
    text = read_workbook(_filled([[*row, dt.date(2026, 6, 30), "张三", "每半年"]], header))
    assert (
        text.splitlines()[-1] == "1.清理文件。逐件清理。责任人：张三。每半年。6月30日前完成。（党办牵头，宣传办配合）"
    )
