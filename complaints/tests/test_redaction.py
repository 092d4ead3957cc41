"""A typical case goes to the public: it must carry no phone number, ID number
or e-mail address, written in any of the ways people write them, and never the
complainant's name or contact (complaints/redaction.py)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from complaints import services
from complaints.redaction import personal_data
from complaints.tests.factories import submit, walk_to

PHONES = [
    "13800130022",
    "138 0013 0022",
    "138-0013-0022",
    "138.0013.0022",
    "1380 013 0022",
    "+86 138 0013 0022",
    "+8613800130022",
    "0086-138-0013-0022",
    "(+86) 13800130022",
    "１３８００１３００２２",  # full-width digits
    "0752-1234567",
    "0752-12345678",
    "010-88886666",
    "(0752) 123 4567",
    "（010）8888 6666",
    "0752 1234 5678",
    "+86 752 1234567",
    "+86 10 8888 6666",
]
ID_NUMBERS = [
    "44030119900101123X",
    "44030119900101123x",
    "440301199001011234",
    "440301 19900101 123X",
    "4403 0119 9001 0112 3X",
    "440301-19900101-1234",
    "440301900101123",  # the old 15 digits
]
EMAILS = ["zhangsan@example.com", "Zhang.San+tousu@mail.example.gov.cn", "zhangsan ＠ example.com", "li_si@qq.com"]
CLEAN = [
    "群众反映窗口工作人员态度生硬，经查属实，已责令整改并通报批评。",
    "2026年3月1日上午10:30，办事群众在5号窗口等候40分钟。",
    "2026-03-01 14:00 受理，编号 TS-2026-000123，罚款5000元，涉及12个科室、300余人次。",
    "整改期限为2026年6月30日，共计120天。",
]


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_number_in_any_common_writing_is_found(phone):
    assert personal_data(f"投诉人电话{phone}，已回访。") == ["phone"]


@pytest.mark.parametrize("number", ID_NUMBERS)
def test_an_id_card_number_grouped_or_not_is_found(number):
    assert "id_number" in personal_data(f"身份证号 {number} 的群众反映")


@pytest.mark.parametrize("email", EMAILS)
def test_an_email_address_is_found(email):
    assert personal_data(f"来信邮箱：{email}。") == ["email"]


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_text_with_dates_amounts_and_tracking_numbers_is_clean(text):
    assert personal_data(text) == []


def test_the_complainants_own_name_phone_and_email_are_found_however_written():
    identity = SimpleNamespace(name="张三", phone="13800130022", email="Zhang@Example.com")

    assert personal_data("张 三 反映的问题已解决", identity) == ["name"]
    assert personal_data("回访 138 0013 0022 无人接听", identity) == ["phone"]
    assert personal_data("已回复 zhang@example.com", identity) == ["email"]
    assert personal_data("群众反映的问题已解决", identity) == []


@pytest.fixture
def closed_complaint(office_a, office_b, centre_staff, staff_b):
    complaint, _code = submit(office=office_a, anonymous=True)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    return services.complaint_close(complaint_id=complaint.pk, actor=centre_staff)


@pytest.mark.django_db
@pytest.mark.parametrize("leak", ["138 0013 0022", "+86 138-0013-0022", "0752-1234567", "4403 0119 9001 0112 3X"])
def test_a_typical_case_with_a_phone_or_id_number_is_not_published(closed_complaint, centre_staff, leak):
    with pytest.raises(ValidationError) as exc:
        services.typical_case_publish(
            complaint_id=closed_complaint.pk,
            actor=centre_staff,
            kind="negative",
            title="某窗口服务态度差被通报",
            summary=f"群众反映窗口工作人员态度生硬，经查属实，已责令整改。联系电话{leak}。",
        )
    assert "summary" in exc.value.error_dict
