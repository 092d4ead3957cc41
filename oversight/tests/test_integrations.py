"""Commitments and appraisal, read from the rectification and evaluations apps:
scorecard columns, ledgers, snapshots and the summary."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.tests.factories import OfficeFactory, today
from evaluations.models import Survey
from evaluations.tests.factories import cast_counts, group, make_survey
from oversight.models import DisclosureItem
from oversight.selectors.scorecard import scorecard
from oversight.services import disclosure as disclosure_services
from rectification.tests.factories import claim, published, ratings, verified

pytestmark = pytest.mark.django_db
Kind = DisclosureItem.Kind


@pytest.fixture
def rectification(campaign, phase, staff_a, staff_b, coordinator):
    """Office A: 3 published commitments (one verified, one claimed, one overdue), 4 ratings
    (3 satisfied or basically). Office B: one published commitment, no rating."""
    import datetime as dt

    from rectification.models import Commitment

    a1 = published(staff_a, coordinator)
    verified(staff_a, coordinator, a1)
    a2 = published(staff_a, coordinator)
    claim(staff_a, a2)
    a3 = published(staff_a, coordinator)
    Commitment.objects.filter(pk=a3.pk).update(deadline=today() - dt.timedelta(days=1))
    ratings(a1, "satisfied", "basically", "dissatisfied")
    ratings(a3, "satisfied")
    published(staff_b, coordinator)
    return a1


def test_commitment_figures_match_the_hand_count(campaign, rectification, office_a, office_b):
    rows = {r.office_id: r for r in scorecard(campaign_id=campaign.pk, today=today()).rows}
    assert rows[office_a.pk].commitments.as_dict() == {
        "made": 3,
        "completed": 2,
        "verified": 1,
        "overdue": 1,
        "rated": 4,
        "satisfied": 3,
    }
    assert rows[office_a.pk].commitments.satisfaction_rate == 75.0
    assert rows[office_b.pk].commitments.made == 1 and rows[office_b.pk].commitments.satisfaction_rate is None


def test_appraisal_figures_come_from_the_latest_published_survey(campaign, office_a, office_b):
    open_survey = make_survey(campaign, [office_a, office_b])  # not published: not counted
    cast_counts(open_survey, group(open_survey), {office_b: (9, 0, 0, 0)})
    survey = make_survey(campaign, [office_a, office_b], status=Survey.Status.PUBLISHED, min_valid_responses=1)
    cast_counts(survey, group(survey), {office_a: (3, 0, 0, 0), office_b: (1, 0, 2, 0)})
    rows = {r.office_id: r for r in scorecard(campaign_id=campaign.pk, today=today()).rows}
    assert (rows[office_a.pk].appraisal.rank, rows[office_b.pk].appraisal.rank) == (1, 2)
    assert rows[office_a.pk].appraisal.score > rows[office_b.pk].appraisal.score
    assert rows[office_a.pk].appraisal.survey_id == survey.pk


def test_the_dashboard_links_commitment_and_appraisal_figures(client, coordinator, campaign, rectification, office_a):
    survey = make_survey(campaign, [office_a], status=Survey.Status.PUBLISHED, min_valid_responses=1)
    cast_counts(survey, group(survey), {office_a: (2, 0, 0, 0)})
    client.force_login(coordinator)
    html = client.get(reverse("oversight-staff:dashboard")).content.decode()
    assert f'href="/staff/rectification/commitments/?office={office_a.pk}&amp;overdue=on"' in html
    assert f"/appraisal/{survey.pk}/results/#office-{office_a.pk}" in html or f"#office-{office_a.pk}" in html
    assert 'id="def-commitments-verified"' in html and 'id="def-appraisal-rank"' in html
    assert 'data-testid="trend-table-1"' in html  # commitments completed per week


def test_office_dashboard_lists_overdue_commitments(client, staff_a, campaign, rectification):
    client.force_login(staff_a)
    response = client.get(reverse("oversight-staff:office-dashboard"))
    assert len(response.context["commitments"]) == 1


def _rows(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).worksheets[0].values)


def test_the_rectification_ledger_has_the_seed_columns(client, coordinator, campaign, rectification, office_a):
    client.force_login(coordinator)
    rows = _rows(client.get(reverse("oversight-staff:ledger-export", args=["rectification"])))
    assert rows[0][:12] == (
        "Office",
        "No.",
        "Problem",
        "What will be rectified",
        "Rectification measures",
        "Responsible office",
        "Responsible person",
        "Rectification deadline",
        "Completion",
        "Progress (%)",
        "Completed on",
        "Verification",
    )
    assert len(rows) == 5  # four published commitments
    verified_row = next(r for r in rows[1:] if r[0] == office_a.name and str(r[11]).startswith("Verified on"))
    assert verified_row[6] == "张明" and "窗口工作人员服务态度生硬" in verified_row[2]


def test_office_staff_export_only_their_own_rectification(client, staff_b, campaign, rectification, office_b):
    client.force_login(staff_b)
    rows = _rows(client.get(reverse("oversight-staff:ledger-export", args=["rectification"])))
    assert {r[0] for r in rows[1:]} == {office_b.name}
    problems = _rows(client.get(reverse("oversight-staff:ledger-export", args=["problems"])))
    assert {r[0] for r in problems[1:]} == {office_b.name}


def test_supervisors_may_not_export_the_rectification_ledger(client, supervisor, campaign):
    client.force_login(supervisor)
    assert client.get(reverse("oversight-staff:ledger-export", args=["rectification"])).status_code == 403


def test_the_appraisal_results_export(client, coordinator, campaign, office_a, office_b):
    survey = make_survey(campaign, [office_a, office_b], status=Survey.Status.PUBLISHED, min_valid_responses=1)
    cast_counts(survey, group(survey), {office_a: (3, 0, 0, 0), office_b: (0, 0, 3, 0)})
    client.force_login(coordinator)
    rows = _rows(client.get(reverse("oversight-staff:ledger-export", args=["appraisal"])))
    assert rows[0][:3] == ("Rank", "Office", "Composite score")
    assert [(r[0], r[1]) for r in rows[1:]] == [(1, office_a.name), (2, office_b.name)]


def test_rectification_results_are_disclosed_only_once_the_rectification_app_published_them(
    client, campaign, coordinator, rectification
):
    from rectification.models import OfficeResult, ResultsPublication

    with pytest.raises(ValidationError) as exc:
        disclosure_services.disclosure_prepare(
            campaign_id=campaign.pk, actor=coordinator, kind=Kind.RECTIFICATION_RESULTS
        )
    assert "not published yet" in exc.value.message_dict["kind"][0]
    publication = ResultsPublication.objects.create(campaign=campaign, published_by=coordinator, note="整改完成情况")
    OfficeResult.objects.create(
        publication=publication,
        office=coordinator.office,
        office_name="管委会办公室",
        made=4,
        completed=3,
        verified=2,
        overdue=1,
        ratings=10,
        satisfied=6,
        basically=2,
        dissatisfied=2,
    )
    item = disclosure_services.disclosure_prepare(
        campaign_id=campaign.pk, actor=coordinator, kind=Kind.RECTIFICATION_RESULTS
    )
    disclosure_services.disclosure_publish(item_id=item.pk, actor=coordinator)
    assert item.snapshot["offices"][0]["satisfaction"] == 80
    html = client.get(reverse("oversight:index")).content.decode()
    assert 'data-testid="results-rectification"' in html and "管委会办公室" in html


def test_the_appraisal_ranking_is_disclosed_as_a_snapshot(client, campaign, coordinator, office_a, office_b):
    with pytest.raises(ValidationError):
        disclosure_services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.APPRAISAL_RANKING)
    survey = make_survey(campaign, [office_a, office_b], status=Survey.Status.PUBLISHED, min_valid_responses=1)
    cast_counts(survey, group(survey), {office_a: (3, 0, 0, 0), office_b: (0, 0, 3, 0)})
    item = disclosure_services.disclosure_prepare(
        campaign_id=campaign.pk, actor=coordinator, kind=Kind.APPRAISAL_RANKING
    )
    disclosure_services.disclosure_publish(item_id=item.pk, actor=coordinator)
    # More ballots later change the live ranking, never the published one.
    cast_counts(survey, group(survey), {office_b: (9, 0, 0, 0)})
    item.refresh_from_db()
    assert [r["office"] for r in item.snapshot["offices"]] == [office_a.name, office_b.name]
    html = client.get(reverse("oversight:index")).content.decode()
    assert 'data-testid="results-appraisal"' in html and survey.title in html


def test_the_summary_has_rectification_and_appraisal(client, coordinator, campaign, rectification, office_a):
    import io as _io

    from pypdf import PdfReader

    survey = make_survey(campaign, [office_a], status=Survey.Status.PUBLISHED, min_valid_responses=1)
    cast_counts(survey, group(survey), {office_a: (2, 0, 0, 0)})
    client.force_login(coordinator)
    html = client.get(reverse("oversight-staff:summary")).content.decode()
    assert 'data-testid="snapshot-rectification"' in html and 'data-testid="snapshot-appraisal"' in html
    pdf = client.get(reverse("oversight-staff:summary-pdf"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    text = "".join(p.extract_text() for p in PdfReader(_io.BytesIO(pdf)).pages)
    assert survey.title in text


def test_offices_without_anything_still_get_empty_columns(campaign, rectification):
    office = OfficeFactory()
    row = scorecard(campaign_id=campaign.pk, today=today(), office_ids=[office.pk]).rows[0]
    assert row.commitments.made == 0 and row.appraisal.rank is None
