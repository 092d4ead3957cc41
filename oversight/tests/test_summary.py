"""The campaign summary report (总结): HTML for print, and PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.tests.factories import TaskFactory
from oversight.services import bulletins as bulletin_services
from oversight.tests.factories import complaint_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(campaign, phase, office_a, coordinator):
    TaskFactory(phase=phase, lead=office_a)
    complaint_about(office_a, status="closed", on_time=True, rating="satisfied")
    b = bulletin_services.bulletin_create(campaign_id=campaign.pk, actor=coordinator, kind="commendation",
                                          audience="public", title="关于表扬先进单位的通报", body="表扬党委办公室。")
    bulletin_services.bulletin_publish(bulletin_id=b.pk, actor=coordinator)


def test_the_summary_page_prints_cleanly(client, coordinator, campaign, content, office_a):
    client.force_login(coordinator)
    response = client.get(reverse("oversight-staff:summary"))
    html = response.content.decode()
    assert response.status_code == 200
    assert campaign.name in html and office_a.name in html and "关于表扬先进单位的通报" in html
    assert 'class="summary-report"' in html and "/static/css/oversight.css" in html
    assert reverse("oversight-staff:summary-pdf") in html


def test_the_summary_pdf_is_produced_and_holds_the_campaign_in_chinese(client, coordinator, campaign, content,
                                                                        office_a):
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


def test_office_staff_get_no_summary(client, staff_a, campaign):
    client.force_login(staff_a)
    assert client.get(reverse("oversight-staff:summary")).status_code == 403
    assert client.get(reverse("oversight-staff:summary-pdf")).status_code == 403


def test_supervisors_read_the_summary(client, supervisor, campaign):
    client.force_login(supervisor)
    assert client.get(reverse("oversight-staff:summary")).status_code == 200
