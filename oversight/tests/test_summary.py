"""The campaign summary report (总结): HTML for print, and PDF."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from campaigns.tests.factories import OfficeFactory, TaskFactory
from oversight.services import bulletins as bulletin_services
from oversight.tests.factories import BulletinFactory, complaint_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(campaign, phase, office_a, coordinator):
    TaskFactory(phase=phase, lead=office_a)
    complaint_about(office_a, status="closed", on_time=True, rating="satisfied")
    b = bulletin_services.bulletin_create(
        campaign_id=campaign.pk,
        actor=coordinator,
        kind="commendation",
        audience="public",
        title="关于表扬先进单位的通报",
        body="表扬党委办公室。",
    )
    bulletin_services.bulletin_publish(bulletin_id=b.pk, actor=coordinator)


def test_the_summary_page_prints_cleanly(client, coordinator, campaign, content, office_a):
    client.force_login(coordinator)
    response = client.get(reverse("oversight-staff:summary"))
    html = response.content.decode()
    assert response.status_code == 200
    assert campaign.name in html and office_a.name in html and "关于表扬先进单位的通报" in html
    assert 'class="summary-report"' in html and "/static/css/oversight.css" in html
    assert reverse("oversight-staff:summary-pdf") in html


def test_the_summary_pdf_is_produced_and_holds_the_campaign_in_chinese(
    client, coordinator, campaign, content, office_a
):
    client.force_login(coordinator)
    response = client.get(reverse("oversight-staff:summary-pdf"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert campaign.name in text
    assert office_a.name in text and "关于表扬先进单位的通报" in text


def test_the_summary_pdf_in_traditional_chinese_uses_a_traditional_font(client, coordinator, campaign, content):
    client.force_login(coordinator)
    response = client.get(reverse("oversight-staff:summary-pdf"), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert b"MSung-Light" in response.content
    assert campaign.name in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


@pytest.fixture
def pinned():
    """Monday 16 November 2026, 10:00 in Shanghai: the summary reads today's phase and deadlines."""
    with time_machine.travel(dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.parametrize("n", [5, 50])
def test_the_summary_page_query_budget(pinned, client, coordinator, campaign, phase, n, django_assert_num_queries):
    """n offices with a task, a rectification plan and a place in the published appraisal; n bulletins."""
    from campaigns.roles import Role
    from campaigns.tests.factories import UserFactory
    from evaluations.models import Survey
    from evaluations.tests.factories import cast_counts, group, make_survey
    from rectification.tests.factories import published

    offices = [OfficeFactory(name=f"第{i}单位") for i in range(n)]
    for i, office in enumerate(offices):
        TaskFactory(phase=phase, lead=office)
        published(UserFactory(office=office, role=Role.OFFICE_STAFF), coordinator)
        BulletinFactory(
            campaign=campaign,
            author=coordinator,
            status="published",
            number=i + 1,
            published_at=timezone.now(),
            issuing_office=coordinator.office,
        )
    survey = make_survey(campaign, offices, min_valid_responses=1, status=Survey.Status.PUBLISHED)
    cast_counts(survey, group(survey), dict.fromkeys(offices, (2, 1, 0, 0)))
    client.force_login(coordinator)
    client.get(reverse("oversight-staff:summary"))
    # 32 queries (the header's campaign is cached by the first request): session, user, user permissions, group
    # permissions, current campaign, count of complaint, typicalcase (+complaint, offices, problemtype), bulletin,
    # count of submission (+deliverable, phase), phase (+task); the scorecard: count of complaint, count of
    # taskassignment (+task, phase), count of complaint, count of commitment (+plan), count of rating (+commitment,
    # plan), the appraisal's latest survey, respondentgroup (+survey), offices (+survey_offices), answer (+question,
    # ballot), count of ballot, count of submission (+deliverable, phase), offices; rectification: plan (+offices),
    # count of commitment (+plan), count of rating (+commitment, plan), count of lookback (+commitment, plan);
    # appraisal: the latest survey, respondentgroup (+survey), offices (+survey_offices), answer (+question,
    # ballot), count of ballot (the scorecard's figures are not kept in the tests: FIGURES_MAX_AGE = 0); inbox badge
    with django_assert_num_queries(32):
        response = client.get(reverse("oversight-staff:summary"))
    summary = response.context["summary"]
    assert len(summary.bulletins) == n and len(summary.rectification["offices"]) == n
    assert len(summary.appraisal["offices"]) == n


def test_office_staff_get_no_summary(client, staff_a, campaign):
    client.force_login(staff_a)
    assert client.get(reverse("oversight-staff:summary")).status_code == 403
    assert client.get(reverse("oversight-staff:summary-pdf")).status_code == 403


def test_supervisors_read_the_summary(client, supervisor, campaign):
    client.force_login(supervisor)
    assert client.get(reverse("oversight-staff:summary")).status_code == 200
