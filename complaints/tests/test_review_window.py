"""The review window (复查): a dissatisfied complainant may ask for a review within
10 working days of the reply, counted on the work calendar; the page offers the
form exactly as long as the service accepts it. The clock is pinned: the reply is
sent on Monday 3 March 2025 at 10:00 (Asia/Shanghai)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import rules, services
from complaints.models import Complaint
from complaints.tests.factories import submit, walk_to
from kernel.models import CalendarDay

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
REPLIED = dt.datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)
# Ten working days after Monday 3 March: Monday 17 March. The eleventh: Tuesday 18 March.
TENTH_WORKING_DAY = dt.datetime(2025, 3, 17, 16, 0, tzinfo=SHANGHAI)
ELEVENTH_WORKING_DAY = dt.datetime(2025, 3, 18, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def dissatisfied(office_a, office_b, centre_staff, staff_b):
    with time_machine.travel(REPLIED, tick=False):
        complaint, code = submit(office=office_a)
        walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
        services.complaint_rate(complaint_id=complaint.pk, rating="dissatisfied")
    return Complaint.objects.get(pk=complaint.pk), code


def _page(client, complaint, code) -> str:
    client.post(reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "access_code": code})
    return client.get(reverse("complaints:track-detail", args=[complaint.tracking_number])).content.decode()


def test_the_window_is_ten_working_days_from_the_reply(dissatisfied):
    complaint, _code = dissatisfied
    assert rules.review_window_open(complaint, TENTH_WORKING_DAY.date())
    assert not rules.review_window_open(complaint, ELEVENTH_WORKING_DAY.date())


def test_a_holiday_in_the_window_gives_one_more_day(dissatisfied):
    complaint, _code = dissatisfied
    CalendarDay.objects.create(date=dt.date(2025, 3, 10), kind="holiday", name="临时假日")
    assert rules.review_window_open(complaint, ELEVENTH_WORKING_DAY.date())


def test_the_review_form_is_offered_on_the_tenth_working_day_and_the_request_is_accepted(client, dissatisfied):
    complaint, code = dissatisfied
    with time_machine.travel(TENTH_WORKING_DAY, tick=False):
        assert 'data-testid="review-form"' in _page(client, complaint, code)
        response = client.post(
            reverse("complaints:track-review", args=[complaint.tracking_number]), {"reason": "问题没有解决。"}
        )
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).review_count == 1


def test_after_the_window_the_review_form_is_not_offered_and_the_service_refuses(client, dissatisfied):
    complaint, code = dissatisfied
    with time_machine.travel(ELEVENTH_WORKING_DAY, tick=False):
        assert 'data-testid="review-form"' not in _page(client, complaint, code)
        with pytest.raises(ValidationError):
            services.complaint_request_review(complaint_id=complaint.pk, reason="太晚了。")
