"""Problems found: recorded by the office, from a complaint in one click, never
for another office; hotspots raised from substantiated complaints once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from complaints.tests.factories import submit, walk_to
from notifications.models import Notification
from rectification import services
from rectification.models import Problem, RectificationSettings
from rectification.tests.factories import record_problem, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def substantiated(n, *, office, centre, handler, handling_office, code="attitude", received_on=None):
    complaint, _code = submit(office=office, code=code, description=f"第{n}件：窗口工作人员态度恶劣，推诿不办。",
                              ip=f"198.51.100.{n}")
    if received_on:
        Complaint.objects.filter(pk=complaint.pk).update(received_on=received_on)
    return walk_to("replied", complaint, centre=centre, handler=handler, handling_office=handling_office,
                   substantiated=True)


# --- Recording by hand ---------------------------------------------------------------
def test_office_staff_record_their_own_offices_problem(staff_a, phase):
    problem = record_problem(staff_a, description="窗口服务态度生硬。")
    assert (problem.office, problem.campaign, problem.created_by) == (staff_a.office, phase.campaign, staff_a)


def test_office_staff_cannot_record_a_problem_for_another_office(staff_a, office_b, phase):
    with pytest.raises(PermissionDenied):
        record_problem(staff_a, office=office_b)
    assert not Problem.objects.exists()


def test_the_campaign_office_records_a_problem_for_any_office(coordinator, office_b, phase):
    assert record_problem(coordinator, office=office_b).office == office_b


@pytest.mark.parametrize("changes, field", [
    ({"description": "短"}, "description"),
    ({"source": "complaint"}, "complaints"),
    ({"source": "appraisal"}, "appraisal_reference"),
    ({"found_on": dt.date.today() + dt.timedelta(days=3)}, "found_on"),
])
def test_a_problem_with_bad_input_is_refused_next_to_its_field(staff_a, phase, changes, field):
    with pytest.raises(ValidationError) as exc:
        record_problem(staff_a, **changes)
    assert field in exc.value.error_dict
    assert not Problem.objects.exists()


def test_a_problem_from_complaints_names_complaints_about_the_office(staff_a, staff_b, office_a, office_b, centre_staff, phase):
    about_b = substantiated(1, office=office_b, centre=centre_staff, handler=staff_a, handling_office=office_a)
    with pytest.raises(ValidationError) as exc:
        record_problem(staff_a, source="complaint", complaints=[about_b])
    assert "is not about this office" in exc.value.messages[0]


def test_the_problem_form_shows_errors_next_to_the_fields(client, staff_a, phase):
    client.force_login(staff_a)
    response = client.post(reverse("rectification-staff:problem-new"), {
        "source": "appraisal", "description": "窗口服务态度生硬。", "severity": "serious", "found_on": today().isoformat(),
    })
    assert response.status_code == 400
    assert "Say which appraisal or survey result found the problem." in response.content.decode()
    assert not Problem.objects.exists()


# --- One click from a complaint ----------------------------------------------------------
def test_a_substantiated_complaint_becomes_the_offices_problem_in_one_click(
    client, staff_a, staff_b, office_a, office_b, centre_staff, phase
):
    complaint = substantiated(1, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    client.force_login(staff_a)
    listing = client.get(reverse("rectification-staff:complaints"))
    assert complaint.tracking_number in listing.content.decode()
    response = client.post(reverse("rectification-staff:record-complaint", args=[complaint.pk]))
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rectification-staff:problem-detail", args=[problem.pk])
    assert (problem.office, problem.source, list(problem.complaints.all())) == (office_a, "complaint", [complaint])
    assert complaint.tracking_number in problem.description and "查明属实" in problem.description
    # Recorded once: it leaves the list, and a second click is a 404.
    assert list(client.get(reverse("rectification-staff:complaints")).context["page"].object_list) == []
    assert client.post(reverse("rectification-staff:record-complaint", args=[complaint.pk])).status_code == 404


def test_another_offices_complaint_cannot_be_recorded_by_url(client, staff_a, staff_b, office_a, office_b, centre_staff, phase):
    complaint = substantiated(1, office=office_b, centre=centre_staff, handler=staff_a, handling_office=office_a)
    client.force_login(staff_a)
    assert client.post(reverse("rectification-staff:record-complaint", args=[complaint.pk])).status_code == 404
    assert not Problem.objects.exists()


def test_an_unsubstantiated_complaint_is_not_a_problem(staff_a, staff_b, office_a, office_b, centre_staff, phase):
    complaint, _code = submit(office=office_a)
    complaint = walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    with pytest.raises(ValidationError):
        services.problem_from_complaint(actor=staff_a, complaint_id=complaint.pk)


def test_the_problem_page_of_another_office_is_a_404(client, staff_a, staff_b, phase):
    problem = record_problem(staff_b)
    client.force_login(staff_a)
    assert client.get(reverse("rectification-staff:problem-detail", args=[problem.pk])).status_code == 404


# --- Hotspots -----------------------------------------------------------------------------
def test_three_substantiated_complaints_of_one_type_in_90_days_raise_a_hotspot_once(
    staff_a, staff_b, office_a, office_b, centre_staff, coordinator, phase, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = [substantiated(n, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
                 for n in (1, 2)]
    assert not Problem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        third = substantiated(3, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    problem = Problem.objects.get()
    assert problem.is_hotspot and problem.office == office_a and problem.problem_type.code == "attitude"
    assert set(problem.complaints.all()) == {*first, third}
    notified = set(Notification.objects.filter(step=f"hotspot-{problem.pk}").values_list("recipient", flat=True))
    assert notified == {staff_a.pk, coordinator.pk}
    # A fourth complaint joins the same hotspot: no second problem, no second notice.
    with django_capture_on_commit_callbacks(execute=True):
        fourth = substantiated(4, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert Problem.objects.count() == 1 and fourth in problem.complaints.all()
    assert Notification.objects.filter(step=f"hotspot-{problem.pk}").count() == 2


def test_complaints_older_than_the_window_or_of_other_types_do_not_count(
    staff_a, staff_b, office_a, office_b, centre_staff, phase
):
    old = today() - dt.timedelta(days=95)
    substantiated(1, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b, received_on=old)
    substantiated(2, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b, code="inefficiency")
    substantiated(3, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    substantiated(4, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert services.hotspots_scan() == []
    assert not Problem.objects.exists()


def test_the_hotspot_thresholds_are_set_per_campaign(staff_a, staff_b, office_a, office_b, centre_staff, phase):
    RectificationSettings.objects.create(campaign=phase.campaign, hotspot_min_complaints=2, hotspot_days=30)
    substantiated(1, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b,
                  received_on=today() - dt.timedelta(days=40))
    substantiated(2, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert services.hotspots_scan() == []
    substantiated(3, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    [problem] = services.hotspots_scan()
    assert problem.complaints.count() == 2


def test_the_hotspot_scan_command_is_safe_to_run_twice(staff_a, staff_b, office_a, office_b, centre_staff, phase):
    for n in (1, 2, 3):
        substantiated(n, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    out = open("/dev/null", "w")
    call_command("detect_hotspots", stdout=out)
    call_command("detect_hotspots", stdout=out)
    assert Problem.objects.filter(is_hotspot=True).count() == 1


def test_a_failed_hotspot_check_never_undoes_the_reply(
    staff_a, staff_b, office_a, office_b, centre_staff, phase, django_capture_on_commit_callbacks, monkeypatch
):
    from rectification.services import hotspots

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(hotspots, "hotspot_check", broken)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = substantiated(1, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert Complaint.objects.get(pk=complaint.pk).status == "replied"


# --- The list -----------------------------------------------------------------------------
@pytest.mark.parametrize("n", [5, 50])
def test_problems_list_query_budget(client, coordinator, office_a, phase, n, django_assert_max_num_queries):
    for i in range(n):
        Problem.objects.create(campaign=phase.campaign, office=office_a, description=f"问题{i}", source="other",
                               found_on=timezone.localdate())
    client.force_login(coordinator)
    # session, user, permissions (2), campaign, offices, count, page, header campaign + phase, inbox count
    with django_assert_max_num_queries(11):
        response = client.get(reverse("rectification-staff:problems"))
    assert response.status_code == 200 and len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_complaints_to_record_query_budget(client, coordinator, office_a, phase, n, django_assert_max_num_queries):
    from complaints.models import ProblemType

    kind = ProblemType.objects.get(code="attitude")
    now = timezone.now()
    for i in range(n):
        Complaint.objects.create(
            tracking_number=f"TS-2026-9{i:05d}", access_code_hash="x", office=office_a, problem_type=kind,
            description="态度恶劣", status="replied", substantiated=True, replied_at=now, findings="属实",
            accept_limit_days=3, complete_limit_days=15, accept_due=today(), complete_due=today(), content_hash=str(i),
        )
    client.force_login(coordinator)
    # session, user, permissions (2), count, page with offices and types, header (2), inbox
    with django_assert_max_num_queries(9):
        response = client.get(reverse("rectification-staff:complaints"))
    assert len(response.context["page"].object_list) == min(n, 25)
