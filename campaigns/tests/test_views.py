"""Staff pages: who sees what, forms that refuse bad input, query budgets."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from campaigns.models import Task, TaskReport
from campaigns.tests.factories import PhaseFactory, TaskFactory, TaskReportFactory, today

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- Home ---------------------------------------------------------------------
def test_home_marks_the_current_phase(client, campaign):
    PhaseFactory(
        campaign=campaign,
        order=1,
        name="动员部署阶段",
        start_date=today() - dt.timedelta(days=60),
        end_date=today() - dt.timedelta(days=31),
    )
    PhaseFactory(campaign=campaign, order=2, name="整改提高阶段")
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="current-phase"' in html
    current = html.split('data-testid="current-phase"')[1]
    assert current.index("整改提高阶段") < 300


def test_home_without_a_campaign_says_so(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["campaign"] is None


@pytest.mark.parametrize("n", [5, 50])
def test_home_query_budget(client, campaign, n, django_assert_num_queries):
    for i in range(n):
        start = campaign.start_date + dt.timedelta(days=i * 2)
        phase = PhaseFactory(campaign=campaign, order=i + 1, start_date=start, end_date=start)
        TaskFactory(phase=phase, deadline=start)
    # 4 queries: current campaign, phases (+task), current campaign, its phases
    with django_assert_num_queries(4):
        assert client.get(reverse("home")).status_code == 200


# --- The task list (/staff/tasks/) -------------------------------------------------
TASKS = reverse("staff:tasks")


def test_the_task_list_needs_a_login(client, db):
    response = client.get(TASKS)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_task_list_groups_own_office_tasks_by_urgency(client, staff_a, phase, office_a, office_b):
    overdue = TaskFactory(phase=phase, lead=office_a, deadline=today() - dt.timedelta(days=1))
    soon = TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=3))
    later = TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=20))
    as_co = TaskFactory(phase=phase, lead=office_b, co_offices=[office_a], deadline=today() + dt.timedelta(days=5))
    not_ours = TaskFactory(phase=phase, lead=office_b)
    client.force_login(staff_a)
    response = client.get(TASKS)
    groups = response.context["groups"]
    assert groups["overdue"] == [overdue]
    assert set(groups["soon"]) == {soon, as_co}
    assert groups["later"] == [later]
    assert response.context["counts"] == {"overdue": 1, "soon": 2, "later": 1, "done": 0}
    assert not_ours.title not in response.content.decode()


def test_the_task_list_shows_one_urgency_when_asked(client, staff_a, phase, office_a):
    overdue = TaskFactory(phase=phase, lead=office_a, deadline=today() - dt.timedelta(days=1), title="逾期的任务")
    TaskFactory(phase=phase, lead=office_a, deadline=today() + dt.timedelta(days=3), title="即将到期的任务")
    client.force_login(staff_a)
    response = client.get(TASKS, {"state": "overdue"})
    assert response.context["groups"] == {"overdue": [overdue]} and not response.context["show_done"]
    html = response.content.decode()
    assert "逾期的任务" in html and "即将到期的任务" not in html
    assert response.context["counts"] == {"overdue": 1, "soon": 1, "later": 0, "done": 0}  # the cards count all
    assert client.get(TASKS, {"state": "nonsense"}).context["state"] == ""


def test_co_office_due_date_decides_its_urgency(client, staff_b, phase, office_a, office_b):
    task = TaskFactory(phase=phase, lead=office_a, co_offices=[office_b], deadline=today() + dt.timedelta(days=20))
    task.assignments.filter(office=office_b).update(due_date=today() - dt.timedelta(days=2))
    client.force_login(staff_b)
    assert client.get(TASKS).context["groups"]["overdue"] == [task]


def test_coordinator_and_supervisor_see_every_office(client, coordinator, supervisor, task_a, task_b):
    for user in (coordinator, supervisor):
        client.force_login(user)
        html = client.get(TASKS).content.decode()
        assert task_a.title in html and task_b.title in html


def test_coordinator_filters_the_task_list_by_office(client, coordinator, task_a, task_b, office_a):
    client.force_login(coordinator)
    html = client.get(TASKS, {"office": office_a.pk}).content.decode()
    assert task_a.title in html and task_b.title not in html


@pytest.mark.parametrize("n", [5, 50])
def test_task_list_query_budget(client, staff_a, phase, office_a, office_b, n, django_assert_num_queries):
    for i in range(n):
        TaskFactory(phase=phase, lead=office_a, co_offices=[office_b], deadline=today() + dt.timedelta(days=i - 3))
    client.force_login(staff_a)
    # 12 queries: session, user, user permissions, group permissions, taskassignment (+offices, task, phases,
    # campaign), taskassignment (+offices), count of task, taskassignment (+offices, task, phases, campaign), current
    # campaign, its phases, inbox badge, offices
    with django_assert_num_queries(12):
        response = client.get(TASKS)
    assert response.status_code == 200
    assert sum(response.context["counts"].values()) == n


@pytest.mark.parametrize("n", [5, 50])
def test_coordinator_task_list_query_budget(client, coordinator, phase, n, django_assert_num_queries):
    for i in range(n):
        TaskFactory(phase=phase, deadline=today() + dt.timedelta(days=i - 3))
    client.force_login(coordinator)
    # 13 queries: session, user, user permissions, group permissions, taskassignment (+offices, task, phases,
    # campaign), taskassignment (+offices), count of task, taskassignment (+offices, task, phases, campaign), current
    # campaign, its phases, inbox badge, offices, offices for the filter
    with django_assert_num_queries(13):
        assert client.get(TASKS).status_code == 200


# --- Task detail and access -------------------------------------------------
def test_staff_opening_another_offices_task_by_url_gets_404(client, staff_a, task_b):
    client.force_login(staff_a)
    assert client.get(reverse("staff:task-detail", args=[task_b.pk])).status_code == 404
    for name in ("staff:task-report", "staff:task-complete", "staff:task-comment", "staff:task-reopen"):
        assert (
            client.post(reverse(name, args=[task_b.pk]), {"text": "x", "progress": 1, "reason": "x"}).status_code == 404
        )


def test_staff_cannot_waive_on_another_offices_task_by_url(client, staff_a, phase, office_b):
    task = TaskFactory(phase=phase, lead=office_b, co_offices=[])
    assignment = task.assignments.get()
    client.force_login(staff_a)
    assert client.post(reverse("staff:assignment-waive", args=[assignment.pk]), {"reason": "x"}).status_code == 404


def test_staff_cannot_download_another_offices_attachment(client, staff_a, task_b):
    report = TaskReportFactory(task=task_b, attachment=SimpleUploadedFile("a.pdf", PDF), attachment_name="a.pdf")
    client.force_login(staff_a)
    assert client.get(reverse("staff:report-attachment", args=[report.pk])).status_code == 404


def test_own_office_downloads_its_attachment(client, staff_a, task_a):
    report = TaskReportFactory(
        task=task_a, attachment=SimpleUploadedFile("minutes.pdf", PDF), attachment_name="minutes.pdf"
    )
    client.force_login(staff_a)
    response = client.get(reverse("staff:report-attachment", args=[report.pk]))
    assert response.status_code == 200
    assert "minutes.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_task_detail_shows_reports_and_the_report_form_to_its_office(client, staff_a, task_a):
    TaskReportFactory(task=task_a, text="First meeting held.")
    client.force_login(staff_a)
    response = client.get(reverse("staff:task-detail", args=[task_a.pk]))
    assert response.status_code == 200
    assert response.context["can_report"] and response.context["can_complete"]
    assert "First meeting held." in response.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_task_detail_query_budget(client, staff_a, task_a, office_b, n, django_assert_num_queries):
    for _ in range(n):
        TaskReportFactory(task=task_a)
    task_a.assignments.create(office=office_b, role="co")
    client.force_login(staff_a)
    # 11 queries: session, user, user permissions, group permissions, taskassignment (+offices, task, phases,
    # campaign), taskassignment (+offices, user), taskreport (+offices, user), taskcomment (+user), current campaign,
    # its phases, inbox badge
    with django_assert_num_queries(11):
        assert client.get(reverse("staff:task-detail", args=[task_a.pk])).status_code == 200


def test_supervisor_reads_a_task_but_cannot_report_or_close(client, supervisor, task_a):
    client.force_login(supervisor)
    response = client.get(reverse("staff:task-detail", args=[task_a.pk]))
    assert response.status_code == 200 and not response.context["can_report"]
    assert (
        client.post(reverse("staff:task-report", args=[task_a.pk]), {"text": "Hello there", "progress": 5}).status_code
        == 403
    )
    assert client.post(reverse("staff:task-complete", args=[task_a.pk])).status_code == 403
    task_a.refresh_from_db()
    assert task_a.status == Task.Status.NOT_STARTED and not task_a.reports.exists()


def test_supervisor_comments_on_a_task(client, supervisor, task_a):
    client.force_login(supervisor)
    response = client.post(reverse("staff:task-comment", args=[task_a.pk]), {"text": "Publish the minutes."})
    assert response.status_code == 302
    assert task_a.comments.get().author == supervisor


def test_office_staff_cannot_comment(client, staff_a, task_a):
    client.force_login(staff_a)
    assert client.post(reverse("staff:task-comment", args=[task_a.pk]), {"text": "Hi"}).status_code == 403


def test_filing_a_report(client, staff_a, task_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("staff:task-report", args=[task_a.pk]),
        {
            "text": "The mobilisation meeting was held.",
            "progress": 60,
            "attachment": SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    report = TaskReport.objects.get()
    assert (report.progress, report.author, report.attachment_name) == (60, staff_a, "minutes.pdf")
    assert not report.attachment.name.endswith("minutes.pdf"), "stored under a generated name"
    task_a.refresh_from_db()
    assert task_a.progress == 60


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"text": "Fine work.", "progress": 120}, "progress", "100"),
        ({"text": "Fine work.", "progress": -1}, "progress", "0"),
        ({"text": "", "progress": 10}, "text", ""),
        ({"text": "ok", "progress": 10}, "text", "5"),
    ],
)
def test_bad_report_gets_a_message_next_to_the_field_and_saves_nothing(client, staff_a, task_a, data, field, message):
    client.force_login(staff_a)
    response = client.post(reverse("staff:task-report", args=[task_a.pk]), data)
    assert response.status_code == 400
    errors = response.context["report_form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not TaskReport.objects.exists()
    task_a.refresh_from_db()
    assert task_a.progress == 0


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_attachment_over_the_size_limit_is_refused(client, staff_a, task_a):
    client.force_login(staff_a)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = client.post(
        reverse("staff:task-report", args=[task_a.pk]), {"text": "With a big file.", "progress": 10, "attachment": big}
    )
    assert response.status_code == 400
    assert "attachment" in response.context["report_form"].errors
    assert not TaskReport.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("script.exe", b"MZ\x90\x00binary"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("fake.pdf", b"MZ\x90\x00not a pdf at all"),
        ("photo.jpg", b"%PDF-1.4 a pdf pretending to be a photo"),
    ],
)
def test_attachment_of_a_disallowed_or_disguised_type_is_refused(client, staff_a, task_a, name, content):
    client.force_login(staff_a)
    response = client.post(
        reverse("staff:task-report", args=[task_a.pk]),
        {"text": "With a bad file.", "progress": 10, "attachment": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "attachment" in response.context["report_form"].errors
    assert not TaskReport.objects.exists()


def test_co_office_marks_its_contribution_complete(client, staff_b, phase, office_a, office_b):
    task = TaskFactory(phase=phase, lead=office_a, co_offices=[office_b])
    client.force_login(staff_b)
    client.post(
        reverse("staff:task-report", args=[task.pk]),
        {"text": "Our part is done.", "progress": 100, "contribution_complete": "on"},
    )
    assert task.assignments.get(office=office_b).submitted_at is not None


def test_lead_closing_with_pending_co_office_sees_why(client, staff_a, phase, office_a, office_b):
    task = TaskFactory(phase=phase, lead=office_a, co_offices=[office_b])
    client.force_login(staff_a)
    response = client.post(reverse("staff:task-complete", args=[task.pk]), follow=True)
    assert office_b.name in response.content.decode()
    task.refresh_from_db()
    assert task.status != Task.Status.DONE


def test_coordinator_waives_and_reopens_through_the_pages(client, coordinator, staff_a, phase, office_a, office_b):
    task = TaskFactory(phase=phase, lead=office_a, co_offices=[office_b])
    co = task.assignments.get(office=office_b)
    client.force_login(coordinator)
    response = client.post(reverse("staff:assignment-waive", args=[co.pk]), {"reason": ""})
    assert response.status_code == 400
    client.post(reverse("staff:assignment-waive", args=[co.pk]), {"reason": "Not needed this year."})
    co.refresh_from_db()
    assert co.waiver_reason == "Not needed this year."
    client.force_login(staff_a)
    client.post(reverse("staff:task-complete", args=[task.pk]))
    client.force_login(coordinator)
    client.post(reverse("staff:task-reopen", args=[task.pk]), {"reason": "Minutes missing."})
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS


def test_profile_refuses_sms_without_a_phone(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("staff:profile"), {"email": "a@example.gov.cn", "notify_by_sms": "on", "phone": ""})
    assert response.status_code == 400 and "phone" in response.context["form"].errors


def test_profile_saves_the_preferred_language(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("staff:profile"), {"email": "a@example.gov.cn", "notify_by_email": "on", "preferred_language": "en"}
    )
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.preferred_language == "en"
    html = client.get(reverse("staff:workspace")).content.decode()
    assert '<html lang="en">' in html


def test_profile_refuses_sms_to_a_landline(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("staff:profile"), {"email": "a@example.gov.cn", "notify_by_sms": "on", "phone": "07521234567"}
    )
    assert response.status_code == 400 and "phone" in response.context["form"].errors
    response = client.post(
        reverse("staff:profile"), {"email": "a@example.gov.cn", "notify_by_sms": "on", "phone": "13800138000"}
    )
    assert response.status_code == 302
