"""Problems found: recorded by the office, from a complaint in one click, never
for another office; hotspots raised from substantiated complaints once."""

import datetime as dt
import io

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
    complaint, _code = submit(
        office=office, code=code, description=f"第{n}件：窗口工作人员态度恶劣，推诿不办。", ip=f"198.51.100.{n}"
    )
    if received_on:
        Complaint.objects.filter(pk=complaint.pk).update(received_on=received_on)
    return walk_to(
        "replied", complaint, centre=centre, handler=handler, handling_office=handling_office, substantiated=True
    )


def closed(complaint, *, centre):
    """The complainant rates the reply, the centre calls back and closes it: final."""
    from complaints import services as complaint_services

    complaint_services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    if not complaint.is_anonymous:
        complaint_services.complaint_record_callback(
            complaint_id=complaint.pk, actor=centre, no_callback_reason="电话无人接听。"
        )
    return complaint_services.complaint_close(complaint_id=complaint.pk, actor=centre)


@pytest.fixture
def complaints_about_a(staff_a, staff_b, office_a, office_b, centre_staff):
    """About office A: final and substantiated; final and unfounded; substantiated
    but still open to a review; and a final substantiated one about office B."""
    people = {"centre": centre_staff, "handler": staff_b, "handling_office": office_b}
    final = closed(substantiated(1, office=office_a, **people), centre=centre_staff)
    unfounded, _code = submit(office=office_a, description="第2件：窗口工作人员态度一般。", ip="198.51.100.2")
    unfounded = walk_to("replied", unfounded, **people)
    unfounded = closed(unfounded, centre=centre_staff)
    open_to_review = substantiated(3, office=office_a, **people)
    about_b = closed(
        substantiated(4, office=office_b, centre=centre_staff, handler=staff_a, handling_office=office_a),
        centre=centre_staff,
    )
    assert (final.status, final.substantiated) == ("closed", True)
    assert (unfounded.status, unfounded.substantiated) == ("closed", False)
    assert (open_to_review.status, open_to_review.substantiated) == ("replied", True)
    return {"final": final, "unfounded": unfounded, "open_to_review": open_to_review, "about_b": about_b}


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


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"description": "短"}, "description"),
        ({"source": "complaint"}, "complaints"),
        ({"source": "appraisal"}, "appraisal_reference"),
        ({"found_on": lambda: timezone.localdate() + dt.timedelta(days=3)}, "found_on"),
    ],
)
def test_a_problem_with_bad_input_is_refused_next_to_its_field(staff_a, phase, changes, field):
    changes = {key: value() if callable(value) else value for key, value in changes.items()}
    with pytest.raises(ValidationError) as exc:
        record_problem(staff_a, **changes)
    assert field in exc.value.error_dict
    assert not Problem.objects.exists()


def test_a_problem_from_complaints_names_complaints_about_the_office(
    staff_a, staff_b, office_a, office_b, centre_staff, phase
):
    about_b = substantiated(1, office=office_b, centre=centre_staff, handler=staff_a, handling_office=office_a)
    with pytest.raises(ValidationError) as exc:
        record_problem(staff_a, source="complaint", complaints=[about_b])
    assert "is not about this office" in exc.value.messages[0]


def test_the_problem_form_offers_the_office_only_its_substantiated_final_complaints(
    client, staff_a, phase, complaints_about_a
):
    client.force_login(staff_a)
    response = client.get(reverse("rectification-staff:problem-new"))

    assert list(response.context["form"].fields["complaints"].queryset) == [complaints_about_a["final"]]
    html = response.content.decode()
    for hidden in ("unfounded", "open_to_review", "about_b"):
        assert complaints_about_a[hidden].tracking_number not in html
    # Named in the address, an unfounded complaint is not preselected either.
    preselected = client.get(
        reverse("rectification-staff:problem-new"), {"complaint": complaints_about_a["unfounded"].pk}
    )
    assert complaints_about_a["unfounded"].tracking_number not in preselected.content.decode()


@pytest.mark.parametrize("which", ["unfounded", "open_to_review"])
def test_a_problem_cannot_name_an_unfounded_or_not_yet_final_complaint(
    client, staff_a, phase, complaints_about_a, which
):
    complaint = complaints_about_a[which]
    with pytest.raises(ValidationError) as exc:
        record_problem(staff_a, source="complaint", complaints=[complaint])
    assert "complaints" in exc.value.error_dict

    client.force_login(staff_a)
    response = client.post(
        reverse("rectification-staff:problem-new"),
        {
            "source": "complaint",
            "description": "窗口服务态度生硬。",
            "severity": "serious",
            "found_on": today().isoformat(),
            "complaints": [complaint.pk],
        },
    )
    assert response.status_code == 400
    assert not Problem.objects.exists()


def test_the_one_click_list_holds_only_substantiated_final_complaints(client, staff_a, phase, complaints_about_a):
    client.force_login(staff_a)
    listing = client.get(reverse("rectification-staff:complaints"))

    assert list(listing.context["page"].object_list) == [complaints_about_a["final"]]
    for which in ("unfounded", "open_to_review"):
        url = reverse("rectification-staff:record-complaint", args=[complaints_about_a[which].pk])
        assert client.post(url).status_code == 404
        with pytest.raises(ValidationError):
            services.problem_from_complaint(actor=staff_a, complaint_id=complaints_about_a[which].pk)
    assert not Problem.objects.exists()


def test_the_problem_form_shows_errors_next_to_the_fields(client, staff_a, phase):
    client.force_login(staff_a)
    response = client.post(
        reverse("rectification-staff:problem-new"),
        {
            "source": "appraisal",
            "description": "窗口服务态度生硬。",
            "severity": "serious",
            "found_on": today().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Say which appraisal or survey result found the problem." in response.content.decode()
    assert not Problem.objects.exists()


# --- One click from a complaint ----------------------------------------------------------
def test_a_substantiated_complaint_becomes_the_offices_problem_in_one_click(
    client, staff_a, staff_b, office_a, office_b, centre_staff, phase
):
    complaint = substantiated(1, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    complaint = closed(complaint, centre=centre_staff)
    client.force_login(staff_a)
    listing = client.get(reverse("rectification-staff:complaints"))
    assert complaint.tracking_number in listing.content.decode()
    response = client.post(reverse("rectification-staff:record-complaint", args=[complaint.pk]))
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "rectification-staff:problem-detail", args=[problem.pk]
    )
    assert (problem.office, problem.source, list(problem.complaints.all())) == (office_a, "complaint", [complaint])
    assert complaint.tracking_number in problem.description and "查明属实" in problem.description
    # Recorded once: it leaves the list, and a second click is a 404.
    assert list(client.get(reverse("rectification-staff:complaints")).context["page"].object_list) == []
    assert client.post(reverse("rectification-staff:record-complaint", args=[complaint.pk])).status_code == 404


def test_another_offices_complaint_cannot_be_recorded_by_url(
    client, staff_a, staff_b, office_a, office_b, centre_staff, phase
):
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
        first = [
            substantiated(n, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
            for n in (1, 2)
        ]
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
    substantiated(
        2, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b, code="inefficiency"
    )
    substantiated(3, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    substantiated(4, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert services.hotspots_scan() == []
    assert not Problem.objects.exists()


def test_the_hotspot_thresholds_are_set_per_campaign(staff_a, staff_b, office_a, office_b, centre_staff, phase):
    RectificationSettings.objects.create(campaign=phase.campaign, hotspot_min_complaints=2, hotspot_days=30)
    substantiated(
        1,
        office=office_a,
        centre=centre_staff,
        handler=staff_b,
        handling_office=office_b,
        received_on=today() - dt.timedelta(days=40),
    )
    substantiated(2, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    assert services.hotspots_scan() == []
    substantiated(3, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    [problem] = services.hotspots_scan()
    assert problem.complaints.count() == 2


def test_the_hotspot_scan_command_is_safe_to_run_twice(staff_a, staff_b, office_a, office_b, centre_staff, phase):
    for n in (1, 2, 3):
        substantiated(n, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    call_command("detect_hotspots", stdout=io.StringIO())
    call_command("detect_hotspots", stdout=io.StringIO())
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
def test_problems_list_query_budget(client, coordinator, office_a, phase, n, django_assert_num_queries):
    for i in range(n):
        Problem.objects.create(
            campaign=phase.campaign,
            office=office_a,
            description=f"问题{i}",
            source="other",
            found_on=timezone.localdate(),
        )
    client.force_login(coordinator)
    # 11 queries: session, user, user permissions, group permissions, current campaign, count of problem, current
    # campaign, its phases, inbox badge, offices for the filter, problem (+problem_complaints, commitment_problems,
    # offices, problemtype, user)
    with django_assert_num_queries(11):
        response = client.get(reverse("rectification-staff:problems"))
    assert response.status_code == 200 and len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_complaints_to_record_query_budget(client, coordinator, office_a, phase, n, django_assert_num_queries):
    from complaints.models import ProblemType

    kind = ProblemType.objects.get(code="attitude")
    now = timezone.now()
    for i in range(n):
        Complaint.objects.create(
            tracking_number=f"TS-2026-9{i:05d}",
            access_code_hash="x",
            office=office_a,
            problem_type=kind,
            description="态度恶劣",
            status="closed",
            substantiated=True,
            replied_at=now,
            closed_at=now,
            findings="属实",
            accept_limit_days=3,
            complete_limit_days=15,
            accept_due=today(),
            complete_due=today(),
            content_hash=str(i),
        )
    client.force_login(coordinator)
    # 9 queries: session, user, user permissions, group permissions, count of complaint, current campaign, its phases,
    # inbox badge, complaint (+offices, problem_complaints, problemtype)
    with django_assert_num_queries(9):
        response = client.get(reverse("rectification-staff:complaints"))
    assert len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_problem_detail_query_budget(client, staff_a, office_a, phase, n, django_assert_num_queries):
    from complaints.models import ProblemType
    from rectification.tests.factories import add_commitment, start_plan

    problem = record_problem(staff_a)
    kind = ProblemType.objects.get(code="attitude")
    complaints = [
        Complaint.objects.create(
            tracking_number=f"TS-2026-8{i:05d}",
            access_code_hash="x",
            office=office_a,
            problem_type=kind,
            description="态度恶劣",
            status="closed",
            substantiated=True,
            findings="属实",
            accept_limit_days=3,
            complete_limit_days=15,
            accept_due=today(),
            complete_due=today(),
            content_hash=f"detail-{i}",
        )
        for i in range(n)
    ]
    problem.complaints.set(complaints)
    plan = start_plan(staff_a)
    for _ in range(n):
        add_commitment(staff_a, plan, problems=[problem])
    client.force_login(staff_a)
    # 10 queries: session, user, user permissions, group permissions, problem (+offices, campaign, problemtype, user),
    # complaint (+problem_complaints, problemtype), commitment (+plan, offices, commitment_problems), current
    # campaign, its phases, inbox badge
    with django_assert_num_queries(10):
        response = client.get(reverse("rectification-staff:problem-detail", args=[problem.pk]))
    assert len(response.context["complaints"]) == n and len(response.context["commitments"]) == n
