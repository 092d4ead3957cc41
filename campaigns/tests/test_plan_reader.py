"""The plan reader on the five seed plans (the users' own documents, three in traditional
characters, two in simplified) and on hand-made plans with unusual numbering, missing
brackets and unknown offices: every phase and numbered measure found, offices
attached, nothing invented; whatever it is unsure of is a warning."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from campaigns.planning.reader import phase_dates, read_plan, split_offices


@pytest.fixture(autouse=True)
def _english():
    """The warnings are read in English here (the catalogues translate them for users)."""
    with translation.override("en"):
        yield


PLANS = Path(__file__).resolve().parent.parent / "planning" / "plans"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def seed(number: str):
    return read_plan((PLANS / f"seed_{number}.txt").read_text(encoding="utf-8"), year=2026)


def _titles(phase):
    return [t.title for t in phase.tasks]


# The SHA-256 of each seed as the project's shared/seeds/ holds it: a copy edited by
# hand (or re-encoded by an editor) fails here, in every checkout.
SEED_SHA256 = {
    "000": "513ba60e50c47bf86b56b882966783d8d87c444f3127b6344d9834cdb09e61d5",
    "001": "9d6626ebf901a3ae3ef8f5d81456b1b39999f85aa3c5ee3b644d872680d5da14",
    "002": "75015073ab18aa2aed0e62e9a9b4f2922686c4dcfd8630402364c153be40f66d",
    "003": "bb19a2e5dd90e22deb42c713482f08e620f7f565b7714db5dae833133ba49c88",
    "004": "e792de0aa7a95324a6641f281e1d9945eb5f2e6a3603187cdd564eab06f94db4",
}


def test_the_copies_are_the_seeds_themselves():
    copies = {path.stem.removeprefix("seed_"): path for path in PLANS.glob("seed_*.txt")}
    assert sorted(copies) == sorted(SEED_SHA256)
    for number, path in copies.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == SEED_SHA256[number], path.name
    # Where the originals sit beside the checkout, they are what was recorded.
    for original in SHARED.glob("*.txt") if SHARED.is_dir() else ():
        number = original.name.split("_")[0]
        assert hashlib.sha256(original.read_bytes()).hexdigest() == SEED_SHA256[number], original.name


def test_seed_000_three_dated_phases_and_their_bracketed_offices():
    plan = seed("000")
    assert [(p.name, p.start, p.end, len(p.tasks)) for p in plan.phases] == [
        ("動員部署階段", dt.date(2026, 9, 1), dt.date(2026, 9, 30), 4),
        ("整改提高階段", dt.date(2026, 10, 1), dt.date(2026, 11, 30), 4),
        ("考核總結階段", dt.date(2026, 12, 1), dt.date(2026, 12, 31), 3),
    ]
    first = plan.phases[0].tasks[0]
    assert first.title == "召開動員大會,統一思想,提高認識,明確開展行政效能建設活動的目的、意義"
    assert (first.lead, first.co_offices) == ("黨委辦公室", ["管委會辦公室"])
    assert "負責" not in first.description  # the bracket is not part of the measure
    rectify = plan.phases[1].tasks[0]
    assert (rectify.lead, rectify.co_offices) == ("黨委辦公室", ["管委會辦公室", "紀律檢查委員會辦公室"])
    assert plan.phases[0].tasks[3].lead == "科技發展辦公室"
    # Measures 3 and 4 of the second phase name no office: warned, not guessed.
    assert [t.lead for t in plan.phases[1].tasks[2:]] == [None, None]
    assert sum("names no office" in w for w in plan.warnings) == 2
    # "四、具體要求" holds requirements, not measures.
    assert any("具體要求" in w for w in plan.warnings)
    assert all(not p.sections for p in plan.phases)


def test_seed_001_four_content_areas_no_phase_and_its_recurring_visits():
    plan = seed("001")
    assert len(plan.phases) == 1
    (phase,) = plan.phases
    assert (phase.start, phase.end) == (None, None)
    assert [(s.number, len(s.tasks)) for s in phase.sections] == [(1, 3), (2, 4), (3, 3), (4, 3)]
    assert len(phase.tasks) == 13
    visits = phase.sections[2].tasks[0]
    assert visits.title == "改进工作方式方法,切实转变工作作风,有效畅通投诉渠道"
    assert visits.recurrence == "每季度、每半年、每年不少于两次"
    assert any("names no phases" in w for w in plan.warnings)
    assert any("每季度" in w for w in plan.warnings)


def test_seed_002_one_phase_ten_content_areas_offices_and_deadlines_from_the_text():
    plan = seed("002")
    (phase,) = plan.phases
    assert (phase.name, phase.start, phase.end) == ("集中整改阶段", dt.date(2026, 4, 1), dt.date(2026, 11, 30))
    # 37 numbered measures under 一、(二)…(十) and 5 under 二、(一) and (三).
    assert len(phase.tasks) == 42
    titles = [s.title for s in phase.sections]
    assert titles[:10] == [
        "进一步转变干部作风",
        "深入开展主题实践活动",
        "深化行政审批制度改革",
        "理顺职能明确职责",
        "规范行政行为",
        "全面推行政务公开",
        "建立和完善以“三项制度”为重点的制度体系",
        "建立健全各级政务服务中心",
        "提高机关干部素质和能力",
        "加强行政效能监察工作",
    ]
    approvals = phase.sections[2]
    assert [t.title for t in approvals.tasks][0] == "减少行政审批事项"
    # "此项工作由市法制办牵头负责，要求6月底完成": every measure of the area.
    assert {(t.lead, t.deadline) for t in approvals.tasks} == {("市法制办", dt.date(2026, 6, 30))}
    assert {(t.lead, t.deadline) for t in phase.sections[3].tasks[:2]} == {("市编办", dt.date(2026, 9, 30))}
    # "各级各部门各单位要…": every office takes part.
    assert all(t.all_offices for t in phase.sections[1].tasks)
    # (一) has no numbered measures: a section, warned, and no measure invented for it.
    assert phase.sections[0].tasks == []
    assert any("进一步转变干部作风" in w for w in plan.warnings)
    assert any("三、集中整改的工作要求" in w for w in plan.warnings)
    assert {t.label for t in approvals.tasks} == {"（三）1", "（三）2", "（三）3", "（三）4"}


def test_seed_003_four_phases_with_months_and_content_before_them():
    plan = seed("003")
    assert [(p.name, p.start, p.end) for p in plan.phases] == [
        ("制定實施方案,開展自查自糾", dt.date(2026, 4, 1), dt.date(2026, 5, 31)),
        ("針對存在問題,集中抓好整改", dt.date(2026, 6, 1), dt.date(2026, 7, 31)),
        ("開展測評檢查,深入推進“最滿意單位評議”活動", dt.date(2026, 8, 1), dt.date(2026, 9, 30)),
        ("進行總結考核,確保取得實效", dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
    ]
    assert _titles(plan.phases[0]) == [
        "明確職責,切實改進工作作風",
        "完善工作制度,堅持依法行政",
        "立足于服務,堅持為群眾辦實事、辦好事",
    ]
    assert any("not under any phase" in w for w in plan.warnings)
    assert "(dǎo)" not in plan.title and plan.title == "群眾評選滿意政府部門工作方案"


def test_seed_004_four_undated_phases_and_no_measures_invented():
    plan = seed("004")
    assert [p.name for p in plan.phases] == ["學習參觀階煅", "培養創立階煅", "檢查驗收階煅", "改動進步階煅"]
    assert all(p.start is None and p.tasks == [] for p in plan.phases)
    assert sum("has no dates" in w for w in plan.warnings) == 4
    assert sum("Skipped" in w for w in plan.warnings) == 2  # goals and standards


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("（一）宣传发动阶段（3月1日—3月31日）", (dt.date(2026, 3, 1), dt.date(2026, 3, 31))),
        ("动员部署阶段（9月）", (dt.date(2026, 9, 1), dt.date(2026, 9, 30))),
        ("整改提高阶段（10月—11月）", (dt.date(2026, 10, 1), dt.date(2026, 11, 30))),
        ("集中抓好整改(6-7月)", (dt.date(2026, 6, 1), dt.date(2026, 7, 31))),
        ("总结阶段（12月—1月）", (dt.date(2026, 12, 1), dt.date(2027, 1, 31))),
        ("学习阶段", (None, None)),
        ("检查阶段（2月30日—3月5日）", (None, dt.date(2026, 3, 5))),
    ],
)
def test_phase_dates_as_plans_write_them(heading, expected):
    assert phase_dates(heading, 2026) == expected


@pytest.mark.parametrize(
    "bracket, expected",
    [
        ("黨委辦公室、管委會辦公室負責", (["黨委辦公室", "管委會辦公室"], [], False)),
        ("市法制办牵头，市财政局、市监察局配合", (["市法制办"], ["市财政局", "市监察局"], False)),
        ("办公室负责，宣传办协办", (["办公室"], ["宣传办"], False)),
        ("各部门负责", ([], [], True)),
    ],
)
def test_office_brackets(bracket, expected):
    assert split_offices(bracket) == expected


HAND_MADE = """关于开展作风建设年活动的实施方案
一、指导思想
以提高效能为目标。
二、实施步骤
（一）宣传发动阶段（3月1日—3月31日）
1. 召开动员大会（党办负责）
2. 制定宣传方案，3月15日前完成（宣传办牵头，党办、管委办配合）
4. 编印宣传手册（火星办负责）
（二）整改落实阶段（4月—6月）
1、开展自查自纠，要求6月底完成
（1）各科室对照检查
（2）形成整改清单
2、建立长效机制（各部门负责）
（三）总结阶段
1．总结表彰（党办负责）
"""


def test_a_hand_made_plan_with_gaps_gives_warnings_not_wrong_data():
    plan = read_plan(HAND_MADE, year=2026)
    first, second, third = plan.phases
    assert [t.number for t in first.tasks] == [1, 2, 4]
    assert any("numbered 1, 2, 4" in w for w in plan.warnings)
    assert first.tasks[1].deadline == dt.date(2026, 3, 15)
    assert (first.tasks[1].lead, first.tasks[1].co_offices) == ("宣传办", ["党办", "管委办"])
    assert first.tasks[2].lead == "火星办"  # unknown to the directory: the importer lists it
    check = second.tasks[0]
    assert check.deadline == dt.date(2026, 6, 30) and check.lead is None
    assert "各科室对照检查" in check.description and len(second.tasks) == 2  # (1)(2) are its steps
    assert second.tasks[1].all_offices
    assert (third.start, third.end) == (None, None)
    assert any("总结阶段" in w and "no dates" in w for w in plan.warnings)
    assert not any(t.title.startswith("以提高效能") for p in plan.phases for t in p.tasks)


def test_text_without_numbering_gives_no_measures_and_says_so():
    plan = read_plan("请各单位认真做好作风建设工作。\n要求年底前完成。", year=2026)
    assert plan.phases == []
    assert read_plan("", year=2026).phases == []
