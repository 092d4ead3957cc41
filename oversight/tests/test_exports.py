"""Ledgers (台账) as .xlsx: headers, formats, scoping, identity, the worker path and memory."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from campaigns.tests.factories import TaskFactory, today
from complaints.models import AccountabilityCase, IdentityAccess
from notifications.models import Notification
from oversight.models import ExportJob
from oversight.tests.factories import complaint_about

pytestmark = pytest.mark.django_db


def _sheet(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(content))
    return workbook.worksheets[0]


def _export(client, key, **params):
    return client.get(reverse("oversight-staff:ledger-export", args=[key]), params)


def test_task_ledger_has_headers_frozen_widths_and_dates(client, coordinator, phase, office_a, office_b):
    TaskFactory(
        phase=phase,
        lead=office_a,
        co_offices=[office_b],
        title='=HYPERLINK("http://x")',
        deadline=today() - dt.timedelta(days=1),
    )
    client.force_login(coordinator)
    response = _export(client, "tasks")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'attachment; filename="task-ledger-' in response["Content-Disposition"]
    sheet = _sheet(response)
    rows = list(sheet.values)
    assert rows[0][:4] == ("Phase", "No.", "Task", "Office")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 44
    assert len(rows) == 3  # lead and co-office
    assert rows[1][2] == '=HYPERLINK("http://x")' and sheet["C2"].data_type == "s"  # text, never a formula
    assert sheet["F2"].number_format == "yyyy-mm-dd" and isinstance(sheet["F2"].value, dt.datetime)
    assert rows[1][11] == "Yes"  # overdue


def test_headers_follow_the_users_language(client, coordinator, campaign):
    complaint_about(None)
    client.force_login(coordinator)
    response = client.get(reverse("oversight-staff:ledger-export", args=["complaints"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    with translation.override("zh-hans"):
        expected = translation.gettext("Tracking number")
    assert expected != "Tracking number"
    assert _sheet(response)["A1"].value == expected


def test_the_complaint_ledger_has_no_personal_data_for_the_campaign_office(client, coordinator, office_a, campaign):
    complaint_about(office_a)
    client.force_login(coordinator)
    rows = list(_sheet(_export(client, "complaints")).values)
    assert "Complainant's name" not in rows[0] and "Phone" not in rows[0]
    assert "张三" not in str(rows) and "13800138000" not in str(rows)
    assert not IdentityAccess.objects.exists()


def test_complaint_centre_staff_get_the_identity_and_each_read_is_logged(client, centre_staff, office_a, campaign):
    complaint = complaint_about(office_a)
    complaint_about(office_a, anonymous=True)
    client.force_login(centre_staff)
    rows = list(_sheet(_export(client, "complaints")).values)
    assert rows[0][-4:] == ("Anonymous", "Complainant's name", "Phone", "E-mail")
    assert ("No", "张三", "13800138000", "citizen@example.com") in [r[-4:] for r in rows]
    access = IdentityAccess.objects.filter(user=centre_staff, purpose="export")
    assert access.count() == 2 and access.filter(complaint=complaint).exists()


def test_office_staff_never_export_complaints_about_their_own_office(
    client, staff_a, office_a, office_b, centre_staff, staff_b, campaign
):
    from complaints.tests.factories import walk_to

    about_a = complaint_about(office_a)
    handled = walk_to(
        "assigned", complaint_about(office_b), centre=centre_staff, handler=staff_a, handling_office=office_a
    )
    client.force_login(staff_a)
    numbers = [row[0] for row in list(_sheet(_export(client, "complaints")).values)[1:]]
    assert numbers == [handled.tracking_number] and about_a.tracking_number not in numbers


@pytest.mark.parametrize(
    "key, persona",
    [
        ("rectification", "supervisor"),
        ("cases", "staff_a"),
        ("scorecard", "staff_a"),
        ("nonsense", "coordinator"),
    ],
)
def test_an_export_of_a_list_the_user_may_not_see_is_refused(client, campaign, key, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = _export(client, key)
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_the_ledgers_page_offers_only_what_the_user_may_export(client, staff_a, coordinator, supervisor, campaign):
    client.force_login(staff_a)

    def keys():
        return [ledger.key for ledger in client.get(reverse("oversight-staff:ledgers")).context["ledgers"]]

    assert keys() == ["tasks", "complaints", "problems", "rectification"]
    client.force_login(supervisor)  # reads every complaint, never who complained
    assert keys() == ["tasks", "complaints", "cases", "scorecard", "appraisal"]
    client.force_login(coordinator)
    assert keys() == ["tasks", "complaints", "cases", "scorecard", "problems", "rectification", "appraisal"]


def test_accountability_cases_and_the_scorecard(client, coordinator, centre_staff, office_a, phase, campaign):
    complaint = complaint_about(office_a)
    AccountabilityCase.objects.create(complaint=complaint, office=office_a, reason="accept_overdue", person="李四")
    TaskFactory(phase=phase, lead=office_a)
    client.force_login(coordinator)
    cases = list(_sheet(_export(client, "cases")).values)
    assert cases[1][:4] == (complaint.tracking_number, "Acceptance time limit missed", office_a.name, "李四")
    card = list(_sheet(_export(client, "scorecard")).values)
    assert card[0][:3] == ("Office", "Level of government", "Tasks")
    assert card[1][0] == office_a.name and card[1][2] == 1


def test_the_office_filter_narrows_the_ledger(client, coordinator, phase, office_a, office_b):
    TaskFactory(phase=phase, lead=office_a)
    TaskFactory(phase=phase, lead=office_b)
    client.force_login(coordinator)
    rows = list(_sheet(_export(client, "tasks", office=office_b.pk)).values)
    assert [r[3] for r in rows[1:]] == [office_b.name]


# --- Large exports: the worker and the inbox --------------------------------------------------
def test_a_large_export_is_written_by_the_worker_and_announced_in_the_inbox(
    client, coordinator, staff_a, phase, office_a, settings, django_capture_on_commit_callbacks
):
    settings.OVERSIGHT_EXPORT_ASYNC_ROWS = 2
    for _ in range(3):
        TaskFactory(phase=phase, lead=office_a)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _export(client, "tasks")
    assert response.status_code == 302 and response.url == reverse("oversight-staff:ledgers")
    job = ExportJob.objects.get()
    assert (job.state, job.rows, job.user) == (ExportJob.State.DONE, 3, coordinator)
    path = settings.MEDIA_ROOT / "private" / job.file.name
    assert job.file.name.startswith("exports/") and path.exists() and job.file.path == str(path.resolve())
    notice = Notification.objects.get(recipient=coordinator, kind="export")
    assert notice.link == reverse("oversight-staff:export-download", args=[job.pk])
    assert client.get(reverse("notifications:inbox")).content.decode().count(notice.link) >= 1
    download = client.get(notice.link)
    assert download.status_code == 200 and len(list(_sheet(download).values)) == 4
    client.force_login(staff_a)
    assert client.get(notice.link).status_code == 404


def test_a_job_runs_once_even_if_the_message_comes_twice(coordinator, campaign):
    from oversight.services.exports import export_run

    job = ExportJob.objects.create(user=coordinator, ledger="tasks", params={"campaign": campaign.pk}, language="en")
    assert export_run(job.pk).state == ExportJob.State.DONE
    assert export_run(job.pk) is None
    assert Notification.objects.filter(kind="export").count() == 1


def test_a_job_for_a_ledger_the_user_lost_fails_with_a_notice(staff_a, campaign):
    from oversight.services.exports import export_run

    job = ExportJob.objects.create(user=staff_a, ledger="cases", params={"campaign": campaign.pk}, language="en")
    job = export_run(job.pk)
    assert job.state == ExportJob.State.FAILED and not job.file
    assert Notification.objects.get(recipient=staff_a).step == "export-failed"


def test_an_unfinished_job_cannot_be_downloaded(client, coordinator):
    job = ExportJob.objects.create(user=coordinator, ledger="tasks")
    client.force_login(coordinator)
    assert client.get(reverse("oversight-staff:export-download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("n", [5, 50])
def test_ledgers_page_query_budget(client, coordinator, campaign, n, django_assert_num_queries):
    ExportJob.objects.bulk_create(ExportJob(user=coordinator, ledger="tasks", state="done", rows=i) for i in range(n))
    client.force_login(coordinator)
    client.get(reverse("oversight-staff:ledgers"))
    # 8 queries: session, user, user permissions, group permissions, current campaign, exportjob, inbox badge, offices
    with django_assert_num_queries(8):
        response = client.get(reverse("oversight-staff:ledgers"))
    assert len(response.context["jobs"]) == min(n, 10)
