"""Office levels from a province down to a section (处/科室, seeds 003 and 004):
province, city, district and township are levels of government (the nodes a
campaign office or complaint centre answers for); departments and their sections
sit inside one and follow its reach."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from campaigns import scope
from campaigns.admin import levels_below
from campaigns.models import Office
from campaigns.officeimport import import_offices, read_rows
from campaigns.planning.groups import OfficeGroup, offices_in_group
from campaigns.roles import Role
from campaigns.tests.factories import OfficeFactory, UserFactory
from campaigns.tests.test_office_import import workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    """广东省 → 省扶贫办 (a department) → 政务公开处 (a section); 广东省 → 惠州市."""
    top = OfficeFactory(name="广东省", level=Office.Level.PROVINCE)
    bureau = OfficeFactory(name="广东省扶贫开发办公室", parent=top, level=Office.Level.DEPARTMENT)
    section = OfficeFactory(name="政务公开处", parent=bureau, level=Office.Level.SECTION)
    city = OfficeFactory(name="惠州市", parent=top, level=Office.Level.CITY)
    return {"province": top, "bureau": bureau, "section": section, "city": city}


def test_a_province_is_a_level_and_a_section_follows_its_department(province):
    top, bureau, section, city = (Office.objects.get(pk=o.pk) for o in province.values())
    assert top.is_level and city.is_level and not bureau.is_level and not section.is_level
    assert section.level_path == bureau.level_path == top.path  # the province answers for its bureau's sections
    assert city.level_path == city.path


def test_the_province_s_campaign_office_reaches_the_sections_and_a_section_s_staff_only_their_own(province):
    planner = UserFactory(office=province["bureau"], role=Role.CAMPAIGN_OFFICE)
    assert set(scope.offices(planner)) == set(Office.objects.all())
    clerk = UserFactory(office=province["section"], role=Role.OFFICE_STAFF)
    assert list(scope.offices(clerk)) == [province["section"]]


def test_a_section_must_sit_inside_a_department(province):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            Office(name="督查科", parent=province["city"], level=Office.Level.SECTION).full_clean()
        assert "inside a department" in refused.value.message_dict["level"][0]
        with pytest.raises(ValidationError) as refused:
            Office(name="某县", parent=province["section"], level=Office.Level.DISTRICT).full_clean()
        assert "level of government" in refused.value.message_dict["level"][0]
    Office(name="督查科", parent=province["bureau"], level=Office.Level.SECTION).full_clean()


def test_all_departments_leaves_the_sections_out(province):
    planner = UserFactory(office=province["bureau"], role=Role.CAMPAIGN_OFFICE)
    assert list(offices_in_group(planner, OfficeGroup.DEPARTMENTS)) == [province["bureau"]]


def test_the_admin_offers_a_district_the_levels_below_it_and_sections(province):
    district = OfficeFactory(name="惠阳区", parent=province["city"], level=Office.Level.DISTRICT)
    planner = UserFactory(office=OfficeFactory(name="惠阳区效能办", parent=district), role=Role.CAMPAIGN_OFFICE)
    assert levels_below(planner) == ["township", "department", "section"]
    top = UserFactory(office=province["bureau"], role=Role.CAMPAIGN_OFFICE)
    assert levels_below(top) == ["city", "district", "township", "department", "section"]


def test_the_directory_import_reads_province_and_sections_and_refuses_a_misplaced_section(tmp_path):
    rows = [
        ["广东省", "", "粤", "省", "", "", ""],
        ["广东省扶贫开发办公室", "广东省", "省扶贫办", "部门", "", "", ""],
        ["政务公开处", "广东省扶贫开发办公室", "", "处", "", "", ""],
        ["综合科室", "广东省/广东省扶贫开发办公室", "", "科室", "", "", ""],
    ]
    import_offices(rows=read_rows(workbook(tmp_path, rows)))
    levels = dict(Office.objects.values_list("name", "level"))
    assert levels == {
        "广东省": "province",
        "广东省扶贫开发办公室": "department",
        "政务公开处": "section",
        "综合科室": "section",
    }
    wrong = [["督查处", "广东省", "", "处", "", "", ""]]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        import_offices(rows=read_rows(workbook(tmp_path, wrong, name="wrong.xlsx")))
    assert refused.value.messages == ["Row 2: a section (处/科室) sits inside a department."]
    assert not Office.objects.filter(name="督查处").exists()
