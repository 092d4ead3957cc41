"""Importing a plan: the preview stores nothing; names the directory does not know are
listed until the campaign office maps them; then one transaction stores it all."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from campaigns.models import AuditEvent, Campaign, Office, Phase, Section, Task, TaskAssignment
from campaigns.planning.importer import plan_import, plan_preview
from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, OfficeFactory, PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The warnings are read in English here (the catalogues translate them for users)."""
    with translation.override("en"):
        yield


PLANS = Path(__file__).resolve().parent.parent / "planning" / "plans"
SEED_000 = PLANS / "seed_000.txt"


def _dry_run(*args):
    out = StringIO()
    with translation.override("en"):  # the warnings in English, whatever the command's language
        call_command("import_plan", str(SEED_000), "--dry-run", "--format", "json", "--year", "2026", *args, stdout=out)
    return json.loads(out.getvalue())


def test_dry_run_prints_the_plan_as_json_matched_across_scripts_and_stores_nothing(zone):
    result = _dry_run()
    assert [(p["name"], p["start"], p["end"], len(p["tasks"])) for p in result["phases"]] == [
        ("動員部署階段", "2026-09-01", "2026-09-30", 4),
        ("整改提高階段", "2026-10-01", "2026-11-30", 4),
        ("考核總結階段", "2026-12-01", "2026-12-31", 3),
    ]
    first = result["phases"][0]["tasks"][0]
    # 黨委辦公室 in the plan is 党委办公室 in the directory: names as stored.
    assert (first["number"], first["lead"], first["co_offices"], first["all_offices"]) == (
        1,
        "党委办公室",
        ["管委会办公室"],
        False,
    )
    assert first["deadline"] is None and first["unmatched_offices"] == []
    assert result["phases"][1]["tasks"][0]["co_offices"] == ["管委会办公室", "纪律检查委员会办公室"]
    # "（辦公室負責）" could be any of four offices: listed, not guessed.
    assert result["unmatched_offices"] == ["辦公室"]
    assert result["phases"][0]["tasks"][1]["lead"] is None
    assert result["phases"][0]["tasks"][1]["unmatched_offices"] == ["辦公室"]
    assert any("names no office" in w for w in result["warnings"])
    assert not Campaign.objects.exists() and not Task.objects.exists()


def test_import_is_refused_while_a_name_is_unmatched_and_nothing_is_stored(zone):
    with pytest.raises(CommandError, match="辦公室"):
        call_command("import_plan", str(SEED_000), "--new-campaign", "2026年效能建设", "--year", "2026")
    assert not Campaign.objects.exists() and not Phase.objects.exists() and not Task.objects.exists()


def test_import_with_the_name_mapped_creates_the_whole_campaign_at_once(zone, planner):
    out = StringIO()
    call_command(
        "import_plan",
        str(SEED_000),
        "--new-campaign",
        "2026年效能建设",
        "--year",
        "2026",
        "--map",
        "辦公室=管委会办公室",
        "--user",
        "planner",
        "--format",
        "json",
        stdout=out,
    )
    campaign = Campaign.objects.get()
    assert json.loads(out.getvalue()) == {"campaign": campaign.pk, "name": "2026年效能建设", "tasks": 11}
    assert (campaign.status, campaign.start_date, campaign.end_date) == (
        Campaign.Status.DRAFT,
        dt.date(2026, 9, 1),
        dt.date(2026, 12, 31),
    )
    assert list(campaign.phases.values_list("order", "name")) == [
        (1, "動員部署階段"),
        (2, "整改提高階段"),
        (3, "考核總結階段"),
    ]
    study = Task.objects.get(phase__order=1, number=2)
    assert study.assignments.get().office == zone["管委办"] and study.deadline == dt.date(2026, 9, 30)
    meeting = Task.objects.get(phase__order=1, number=1)
    assert {(a.office.short_name, a.role) for a in meeting.assignments.select_related("office")} == {
        ("党办", "lead"),
        ("管委办", "co"),
    }
    # No office named: the task is stored without one, for the campaign office to assign.
    assert not Task.objects.get(phase__order=2, number=3).assignments.exists()
    event = AuditEvent.objects.get(verb="campaign.import")
    assert event.actor == planner and event.data["tasks"] == 11


def test_sections_and_offices_for_every_department(zone, planner):
    text = """整改方案
（一）集中整改阶段（4月—6月）
1、清理审批事项（党办负责）
一、规范行政行为
1. 清理收费项目（宣传办负责）
2. 建立长效机制（各部门负责）
"""
    preview = plan_preview(text, year=2026, offices=Office.objects.all())
    campaign = plan_import(preview=preview, actor=planner, new_campaign_name="整改")
    phase = campaign.phases.get()
    section = Section.objects.get()
    assert (section.phase, section.order, section.title) == (phase, 1, "一、规范行政行为")
    tasks = list(phase.tasks.order_by("number"))
    assert [(t.number, t.section_id) for t in tasks] == [(1, None), (2, section.pk), (3, section.pk)]
    everyone = tasks[2].assignments.select_related("office")
    # The campaign office leads; every department of its area takes part.
    assert {(a.office.short_name, a.role) for a in everyone} == {
        ("管委办", "lead"),
        ("党办", "co"),
        ("纪工委办", "co"),
        ("科发办", "co"),
        ("宣传办", "co"),
    }


def test_importing_into_an_existing_campaign_appends_phases_or_refuses_wholly(zone, planner):
    campaign = CampaignFactory(
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), status="running", office=zone["zone"]
    )
    PhaseFactory(campaign=campaign, order=1, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 8, 31))
    preview = plan_preview(
        SEED_000.read_text(encoding="utf-8"),
        year=2026,
        offices=Office.objects.all(),
        mapping={"辦公室": zone["管委办"].pk},
    )
    plan_import(preview=preview, actor=planner, campaign_id=campaign.pk)
    assert list(campaign.phases.values_list("order", flat=True)) == [1, 2, 3, 4]
    assert Task.objects.count() == 11

    # The same plan again overlaps the phases it just made: nothing of it is stored.
    with pytest.raises(ValidationError):
        plan_import(preview=preview, actor=planner, campaign_id=campaign.pk)
    assert campaign.phases.count() == 4 and Task.objects.count() == 11


def test_a_phase_without_dates_is_refused_until_given(zone, planner):
    text = "（一）学习阶段\n1. 组织学习（党办负责）\n"
    preview = plan_preview(text, year=2026, offices=Office.objects.all())
    with pytest.raises(ValidationError, match="学习阶段"):
        plan_import(preview=preview, actor=planner, new_campaign_name="学习")
    assert not Campaign.objects.exists()
    campaign = plan_import(
        preview=preview,
        actor=planner,
        new_campaign_name="学习",
        phase_dates={0: (dt.date(2026, 3, 1), dt.date(2026, 3, 31))},
    )
    assert campaign.phases.get().end_date == dt.date(2026, 3, 31)


def test_only_the_campaign_office_imports(zone):
    clerk = UserFactory(office=zone["党办"], role=Role.OFFICE_STAFF)
    preview = plan_preview("（一）学习阶段（3月）\n1. 组织学习（党办负责）\n", year=2026, offices=Office.objects.all())
    with pytest.raises(PermissionDenied):
        plan_import(preview=preview, actor=clerk, new_campaign_name="学习")
    assert not Campaign.objects.exists()


def test_offices_outside_the_planners_area_are_not_matched(zone, planner):
    elsewhere = OfficeFactory(name="惠城区财政局", short_name="区财政局")
    from campaigns.planning.importer import offices_for

    preview = plan_preview(
        "（一）学习阶段（3月）\n1. 组织学习（惠城区财政局负责）\n", year=2026, offices=offices_for(planner)
    )
    assert preview.unmatched == ["惠城区财政局"]
    assert elsewhere.pk not in {o.pk for o in preview.directory.offices}


def test_a_docx_plan_reads_as_its_text(tmp_path, zone):
    import docx

    document = docx.Document()
    for line in SEED_000.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)
    out = StringIO()
    call_command("import_plan", str(path), "--dry-run", "--format", "json", "--year", "2026", stdout=out)
    assert sum(len(p["tasks"]) for p in json.loads(out.getvalue())["phases"]) == 11


def test_assignments_made_by_the_import_stay_editable(zone, planner):
    preview = plan_preview("（一）学习阶段（3月）\n1. 组织学习（党办负责）\n", year=2026, offices=Office.objects.all())
    plan_import(preview=preview, actor=planner, new_campaign_name="学习")
    assignment = TaskAssignment.objects.get()
    assignment.office = zone["宣传办"]
    assignment.full_clean()
    assignment.save()
