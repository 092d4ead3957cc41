"""The staff queue, "first received by me" and the Excel export: who sees which
rows, the filters, and query budgets."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints import services
from complaints.models import Complaint
from complaints.tests.factories import problem_type, submit, walk_to
from kernel.workcalendar import WorkCalendar

pytestmark = pytest.mark.django_db
QUEUE = reverse("complaints-staff:queue")
EXPORT = reverse("complaints-staff:export")
MINE = reverse("complaints-staff:mine")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _numbers(response) -> set[str]:
    return {c.tracking_number for c in response.context["rows"]}


def _complaint(n: int, **kwargs) -> Complaint:
    complaint, _code = submit(description=f"第{n}件投诉：窗口工作人员态度恶劣。", ip=f"198.51.100.{n % 250}", **kwargs)
    return complaint


def _export_rows(response) -> list[tuple]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="complaints-')
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


# --- Who sees what ------------------------------------------------------------------------
def test_queue_needs_a_login(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_centre_sees_every_complaint_except_those_about_its_own_office(
    client, centre_staff, office_a, office_b, centre_office
):
    about_a, about_b, unknown = _complaint(1, office=office_a), _complaint(2, office=office_b), _complaint(3)
    about_centre = _complaint(4, office=centre_office)
    client.force_login(centre_staff)
    response = client.get(QUEUE)
    assert _numbers(response) == {about_a.tracking_number, about_b.tracking_number, unknown.tracking_number}
    assert about_centre.tracking_number not in response.content.decode()


def test_office_staff_see_only_what_their_office_handles_or_is_asked_to_take_over(
    client, centre_staff, staff_a, staff_b, office_a, office_b
):
    handled = walk_to(
        "assigned", _complaint(1, office=office_a), centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    asked = walk_to("accepted", _complaint(2, office=office_a), centre=centre_staff)
    services.complaint_transfer_request(complaint_id=asked.pk, actor=centre_staff, to_office=office_b)
    held_by_centre = walk_to("accepted", _complaint(3, office=office_a), centre=centre_staff)
    registered = _complaint(4)
    client.force_login(staff_b)
    response = client.get(QUEUE)
    assert _numbers(response) == {handled.tracking_number, asked.tracking_number}
    html = response.content.decode()
    assert held_by_centre.tracking_number not in html and registered.tracking_number not in html
    assert "awaits acceptance" in html
    # Office A's staff never see complaints about their own office, even one their office would handle.
    client.force_login(staff_a)
    assert _numbers(client.get(QUEUE)) == set()


def test_readers_of_all_complaints_see_them_all(client, coordinator, office_a, office_b):
    first, second = _complaint(1, office=office_a), _complaint(2, office=office_b)
    client.force_login(coordinator)
    assert _numbers(client.get(QUEUE)) == {first.tracking_number, second.tracking_number}


@pytest.mark.parametrize("name", ["queue", "mine", "export", "cases", "cases-export"])
def test_users_with_no_complaint_access_are_refused_rather_than_shown_an_empty_list(client, name):
    from campaigns.tests.factories import UserFactory

    _complaint(1)
    client.force_login(UserFactory(office=None))  # no office, no role
    assert client.get(reverse(f"complaints-staff:{name}")).status_code == 403


def test_the_queue_never_loads_the_complainants_identity(client, centre_staff, office_a):
    _complaint(1, office=office_a, name="王五", phone="13911112222", email="wangwu@example.com")
    client.force_login(centre_staff)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(QUEUE).content.decode()
    assert not [q for q in queries.captured_queries if "complainantidentity" in q["sql"].lower()]
    for secret in ("王五", "13911112222", "wangwu@example.com"):
        assert secret not in html


def test_the_queue_links_to_my_first_received_complaints(client, centre_staff):
    client.force_login(centre_staff)
    assert f'href="{MINE}"' in client.get(QUEUE).content.decode()


# --- Filters, sorting, pagination ------------------------------------------------------------
def test_overdue_filter_finds_late_acceptance_and_late_completion_but_not_paused_or_replied(
    client, centre_staff, staff_b, office_a, office_b
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late_accept = _complaint(1, office=office_a)
    Complaint.objects.filter(pk=late_accept.pk).update(accept_due=yesterday)
    late_complete = walk_to(
        "investigating", _complaint(2, office=office_a), centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    paused = walk_to(
        "investigating", _complaint(3, office=office_a), centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    services.complaint_request_info(complaint_id=paused.pk, actor=staff_b, question="请提供办理时间。")
    replied = walk_to(
        "replied", _complaint(4, office=office_a), centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    on_time = _complaint(5, office=office_a)
    Complaint.objects.filter(pk__in=[late_complete.pk, paused.pk, replied.pk]).update(
        accept_due=yesterday - dt.timedelta(days=30), complete_due=yesterday
    )
    client.force_login(centre_staff)
    response = client.get(QUEUE, {"overdue": "on"})
    assert _numbers(response) == {late_accept.tracking_number, late_complete.tracking_number}
    html = response.content.decode()
    assert html.count('class="complaint-row is-overdue') == 2
    assert html.count('data-testid="overdue-badge"') == 2  # not colour alone: a text badge too
    everything = client.get(QUEUE).content.decode()
    assert on_time.tracking_number in everything and everything.count('data-testid="overdue-badge"') == 2


def test_due_within_n_working_days(client, centre_staff, office_a):
    registered = _complaint(1, office=office_a)  # to accept within 3 working days
    accepted = walk_to("accepted", _complaint(2, office=office_a), centre=centre_staff)  # to complete within 15
    overdue = _complaint(3, office=office_a)
    Complaint.objects.filter(pk=overdue.pk).update(accept_due=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(centre_staff)
    assert _numbers(client.get(QUEUE, {"due_within": 2})) == set()
    assert _numbers(client.get(QUEUE, {"due_within": 3})) == {registered.tracking_number}
    assert _numbers(client.get(QUEUE, {"due_within": 15})) == {registered.tracking_number, accepted.tracking_number}


def test_due_within_counts_working_days_of_the_work_calendar(client, centre_staff, office_a):
    from kernel.models import CalendarDay

    complaint = _complaint(1, office=office_a)
    today = timezone.localdate()
    day = today + dt.timedelta(days=1)
    while not WorkCalendar().is_working_day(day):
        day += dt.timedelta(days=1)
    CalendarDay.objects.create(date=day, kind="holiday", name="临时假日")
    # The accept due date stays as computed at submission: one more calendar day away now.
    due = Complaint.objects.get(pk=complaint.pk).accept_due
    needed = WorkCalendar().working_days_between(today, due)
    client.force_login(centre_staff)
    assert _numbers(client.get(QUEUE, {"due_within": needed - 1})) == set()
    assert _numbers(client.get(QUEUE, {"due_within": needed})) == {complaint.tracking_number}


def test_search_by_tracking_number(client, centre_staff, office_a):
    wanted = _complaint(1, office=office_a)
    _complaint(2, office=office_a)
    client.force_login(centre_staff)
    assert _numbers(client.get(QUEUE, {"q": wanted.tracking_number})) == {wanted.tracking_number}
    assert _numbers(client.get(QUEUE, {"q": wanted.tracking_number[-6:].lower()})) == {wanted.tracking_number}
    assert _numbers(client.get(QUEUE, {"q": "TS-1999"})) == set()


def test_filters_by_status_office_handling_office_type_and_channel(client, centre_staff, staff_b, office_a, office_b):
    handled = walk_to(
        "assigned",
        _complaint(1, office=office_a, code="inaction"),
        centre=centre_staff,
        handler=staff_b,
        handling_office=office_b,
    )
    registered = _complaint(2, office=office_b)
    unknown = _complaint(3)
    by_phone = services.complaint_submit(
        problem_type=problem_type(),
        description="来电反映窗口无人值守。",
        is_anonymous=True,
        office=office_b,
        channel=Complaint.Channel.HOTLINE,
        actor=centre_staff,
    ).complaint
    client.force_login(centre_staff)
    assert _numbers(client.get(QUEUE, {"status": "assigned"})) == {handled.tracking_number}
    assert _numbers(client.get(QUEUE, {"status": "open"})) == {
        c.tracking_number for c in (handled, registered, unknown, by_phone)
    }
    assert _numbers(client.get(QUEUE, {"office": office_b.pk})) == {
        registered.tracking_number,
        by_phone.tracking_number,
    }
    assert _numbers(client.get(QUEUE, {"office": "none"})) == {unknown.tracking_number}
    assert _numbers(client.get(QUEUE, {"handling_office": office_b.pk})) == {handled.tracking_number}
    assert handled.tracking_number not in _numbers(client.get(QUEUE, {"handling_office": "none"}))
    assert _numbers(client.get(QUEUE, {"problem_type": problem_type("inaction").pk})) == {handled.tracking_number}
    assert _numbers(client.get(QUEUE, {"channel": "hotline"})) == {by_phone.tracking_number}


def test_invalid_filter_values_are_reported_and_ignored(client, centre_staff, office_a):
    complaint = _complaint(1, office=office_a)
    client.force_login(centre_staff)
    response = client.get(QUEUE, {"due_within": "soon", "status": "lost"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"due_within", "status"}
    assert _numbers(response) == {complaint.tracking_number}
    assert 'id="id_due_within_errors"' in response.content.decode()


def test_sorting_by_due_date_and_by_status(client, centre_staff, office_a):
    registered = _complaint(1, office=office_a)  # due to accept in 3 working days
    accepted = walk_to("accepted", _complaint(2, office=office_a), centre=centre_staff)  # due to complete in 15
    late = _complaint(3, office=office_a)
    Complaint.objects.filter(pk=late.pk).update(accept_due=timezone.localdate() - dt.timedelta(days=2))
    client.force_login(centre_staff)

    def order(sort):
        return [c.tracking_number for c in client.get(QUEUE, {"sort": sort}).context["rows"]]

    assert order("due") == [late.tracking_number, registered.tracking_number, accepted.tracking_number]
    assert order("status")[-1] == accepted.tracking_number
    assert order("-received") == [late.tracking_number, accepted.tracking_number, registered.tracking_number]
    assert order("received") == [registered.tracking_number, accepted.tracking_number, late.tracking_number]


def test_pages_of_25_whose_links_keep_the_filters(client, centre_staff, office_a):
    for i in range(27):
        _complaint(i, office=office_a)
    client.force_login(centre_staff)
    response = client.get(QUEUE, {"status": "registered", "sort": "due"})
    assert len(response.context["rows"]) == 25 and response.context["page"].paginator.count == 27
    assert "?status=registered&amp;sort=due&amp;page=2" in response.content.decode()
    second = client.get(QUEUE, {"status": "registered", "sort": "due", "page": 2})
    assert len(second.context["rows"]) == 2


def test_rows_show_the_working_days_left(client, centre_staff, office_a):
    complaint = _complaint(1, office=office_a)
    client.force_login(centre_staff)
    response = client.get(QUEUE)
    row = response.context["rows"][0]
    assert row.days_left == WorkCalendar().working_days_between(timezone.localdate(), complaint.accept_due) == 3
    assert "3 working days left" in response.content.decode()


# --- Export ------------------------------------------------------------------------------
def test_export_contains_the_filtered_rows_only_and_no_identity(client, centre_staff, office_a, office_b):
    wanted = _complaint(1, office=office_a, name="赵六", phone="13700001111", email="zhaoliu@example.com")
    other = _complaint(2, office=office_b)
    client.force_login(centre_staff)
    rows = _export_rows(client.get(EXPORT, {"office": office_a.pk}))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("Tracking number", "Received on", "Channel")
    assert [r[0] for r in body] == [wanted.tracking_number]
    assert other.tracking_number not in {r[0] for r in body}
    received = body[0][1]
    assert isinstance(received, dt.datetime) and received.date() == wanted.received_on  # a date cell, not text
    cells = " ".join(str(v) for row in rows for v in row if v is not None)
    for secret in ("赵六", "13700001111", "zhaoliu@example.com", "198.51.100."):
        assert secret not in cells


def test_export_of_office_staff_is_scoped_like_their_queue(client, centre_staff, staff_b, office_a, office_b):
    handled = walk_to(
        "assigned", _complaint(1, office=office_a), centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    _complaint(2, office=office_a)
    client.force_login(staff_b)
    assert [r[0] for r in _export_rows(client.get(EXPORT))[1:]] == [handled.tracking_number]


# --- Complaints I first received (首问负责) ----------------------------------------------------
def test_mine_lists_what_i_first_received_and_whether_it_is_still_mine(
    client, centre_staff, staff_b, office_a, office_b
):
    from campaigns.roles import Role
    from campaigns.tests.factories import UserFactory

    colleague = UserFactory(office=centre_staff.office, role=Role.COMPLAINT_CENTRE)
    held = walk_to("accepted", _complaint(1, office=office_a), centre=centre_staff)
    pending = walk_to("accepted", _complaint(2, office=office_a), centre=centre_staff)
    services.complaint_transfer_request(complaint_id=pending.pk, actor=centre_staff, to_office=office_b)
    handed = walk_to(
        "assigned", _complaint(3, office=office_a), centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    not_accepted = services.complaint_submit(
        problem_type=problem_type(),
        description="来电反映的事项不属于受理范围。",
        is_anonymous=True,
        office=office_a,
        channel=Complaint.Channel.HOTLINE,
        actor=centre_staff,
    ).complaint
    services.complaint_not_accept(complaint_id=not_accepted.pk, actor=centre_staff, reason="不属于受理范围。")
    someone_elses = walk_to("accepted", _complaint(5, office=office_a), centre=colleague)
    client.force_login(centre_staff)
    response = client.get(MINE)
    rows = {c.tracking_number: c.still_mine for c in response.context["rows"]}
    assert rows == {
        held.tracking_number: True,
        pending.tracking_number: True,
        handed.tracking_number: False,
        not_accepted.tracking_number: False,
    }
    assert someone_elses.tracking_number not in response.content.decode()
    assert response.context["still_mine_count"] == 2
    assert [c.still_mine for c in response.context["rows"]][:2] == [True, True]  # still mine first
    assert "until the receiving office accepts" in response.content.decode()


def test_office_staff_follow_the_complaints_they_registered_by_phone(client, staff_a, office_b):
    complaint = services.complaint_submit(
        problem_type=problem_type(),
        description="来电反映宣传办窗口无人值守。",
        is_anonymous=True,
        office=office_b,
        channel=Complaint.Channel.HOTLINE,
        actor=staff_a,
    ).complaint
    client.force_login(staff_a)
    rows = client.get(MINE).context["rows"]
    assert [c.tracking_number for c in rows] == [complaint.tracking_number] and rows[0].still_mine
    response = client.get(reverse("complaints-staff:detail", args=[complaint.pk]))
    assert response.status_code == 200
    assert response.context["forms"] == {}  # following it is not handling it: the centre accepts and routes it


# --- Query budgets -------------------------------------------------------------------------
def _many(n, office, centre):
    complaints = [_complaint(i, office=office) for i in range(n)]
    for complaint in complaints[::2]:
        services.complaint_accept(complaint_id=complaint.pk, actor=centre)
    return complaints


@pytest.mark.parametrize("n", [5, 50])
def test_queue_query_budget(client, centre_staff, office_a, n, django_assert_num_queries):
    _many(n, office_a, centre_staff)
    client.force_login(centre_staff)
    # 11 queries: session, user, user permissions, group permissions, problemtype, offices, count of complaint,
    # complaint (+offices, problemtype), working-day calendar, current campaign, inbox badge
    with django_assert_num_queries(11):
        response = client.get(QUEUE, {"status": "open", "sort": "due"})
    assert response.status_code == 200 and len(response.context["rows"]) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_mine_query_budget(client, centre_staff, office_a, n, django_assert_num_queries):
    _many(n, office_a, centre_staff)
    client.force_login(centre_staff)
    # 10 queries: session, user, user permissions, group permissions, count of complaint, complaint (+offices,
    # problemtype), working-day calendar, count of complaint, current campaign, inbox badge
    with django_assert_num_queries(10):
        response = client.get(MINE)
    assert response.status_code == 200 and len(response.context["rows"]) == min((n + 1) // 2, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_export_query_budget(client, centre_staff, office_a, n, django_assert_num_queries):
    _many(n, office_a, centre_staff)
    client.force_login(centre_staff)
    # 8 queries: session, user, user permissions, group permissions, problemtype, offices, count of complaint,
    # complaint (+offices, problemtype)
    with django_assert_num_queries(8):
        response = client.get(EXPORT)
    assert len(_export_rows(response)) == n + 1


# --- A million complaints: bounded counting and an index for the order ---------------------
@pytest.fixture
def past_the_limit(client, centre_staff, office_a, monkeypatch):
    """31 complaints in a queue that counts at most 30, as the centre."""
    monkeypatch.setattr("kernel.pagination.COUNT_LIMIT", 30)
    for i in range(31):
        _complaint(i, office=office_a)
    client.force_login(centre_staff)


def test_the_queue_counts_at_most_the_limit_and_says_so(client, past_the_limit):
    response = client.get(QUEUE)
    paginator = response.context["page"].paginator
    assert paginator.truncated and paginator.count == 30 and paginator.num_pages == 2
    assert "More than 30 complaints" in response.content.decode()


def test_a_page_past_the_counted_rows_shows_the_last_reachable_page_with_a_note(client, past_the_limit):
    response = client.get(QUEUE, {"page": 1000})
    assert response.status_code == 200 and response.context["page"].number == 2
    assert 'data-testid="beyond-note"' in response.content.decode()
    # The oldest complaint is reached by turning the order round.
    oldest = client.get(QUEUE, {"sort": "received"})
    assert oldest.context["rows"][0].tracking_number.endswith("000001")


def test_within_the_limit_the_count_is_exact_and_no_note_is_shown(client, centre_staff, office_a, monkeypatch):
    monkeypatch.setattr("kernel.pagination.COUNT_LIMIT", 30)
    for i in range(30):
        _complaint(i, office=office_a)
    client.force_login(centre_staff)
    response = client.get(QUEUE, {"page": 1000})
    paginator = response.context["page"].paginator
    assert not paginator.truncated and paginator.count == 30 and response.context["page"].number == 2
    assert "30 complaints" in response.content.decode()
    assert 'data-testid="beyond-note"' not in response.content.decode()


def test_the_queue_order_is_backed_by_an_index(db):
    """Newest first (the default) and oldest first read the index page by page
    instead of sorting every complaint (docs/benchmarks.md)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Complaint._meta.db_table)
    indexed = [c["columns"] for c in constraints.values() if c["index"]]
    assert ["received_on", "id"] in indexed
    assert ["created_at", "id"] in indexed, "Open311's newest-first list in a date window"
    # The office dashboard's late complaints, in due-date order (partial indexes).
    assert ["handling_office_id", "accept_due"] in indexed and ["handling_office_id", "complete_due"] in indexed


def test_an_export_larger_than_the_limit_points_to_the_ledger_instead_of_timing_out(
    client, centre_staff, office_a, monkeypatch
):
    monkeypatch.setattr("complaints.staff_views.queue.EXPORT_LIMIT", 3)
    for i in range(4):
        _complaint(i, office=office_a)
    client.force_login(centre_staff)
    refused = client.get(EXPORT, {"status": "registered"}, follow=True)
    assert refused.redirect_chain[-1][0].endswith(f"{QUEUE}?status=registered")
    assert "More than 3 complaints match" in refused.content.decode()
    assert "Ledgers" in refused.content.decode()
    fitting = client.get(
        EXPORT,
        {
            "status": "registered",
            "problem_type": Complaint.objects.first().problem_type_id,
            "q": Complaint.objects.first().tracking_number,
        },
    )
    assert len(_export_rows(fitting)) == 2
