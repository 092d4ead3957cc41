"""What the public reads without any code: the landing page, the aggregate figures
and the published typical cases. None of it may ever carry personal data."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, OfficeFactory
from complaints import services
from complaints.models import Complaint, TypicalCase
from complaints.selectors import SMALL_OFFICE_THRESHOLD, campaign_statistics
from complaints.tests.factories import submit, walk_to
from kernel.tasks import refresh_figures

pytestmark = pytest.mark.django_db
STATS = reverse("complaints:stats")
CASES = reverse("complaints:cases")
Rating = Complaint.Rating

IDENTITY = {"name": "王小明", "phone": "13987654321", "email": "wxm@example.com", "ip": "198.51.100.77"}


def file(office=None, n=[0], **kwargs):  # noqa: B006 - a counter keeps every text distinct
    n[0] += 1
    kwargs.setdefault("description", f"第{n[0]}件投诉：窗口人员推诿扯皮，事情一直没有办。")
    return submit(office=office, **{**IDENTITY, **kwargs})[0]


def close(complaint, *, centre, handler, office, rating=Rating.SATISFIED, late=False):
    """Reply (on time or late), rate and close, all through the services."""
    if late:
        # As if the limit had passed: due dates a working week ago.
        past = timezone.localdate() - dt.timedelta(days=7)
        Complaint.objects.filter(pk=complaint.pk).update(accept_due=past, complete_due=past)
    walk_to("replied", complaint, centre=centre, handler=handler, handling_office=office)
    if rating:
        services.complaint_rate(complaint_id=complaint.pk, rating=rating)
    services.complaint_record_callback(complaint_id=complaint.pk, actor=centre, no_callback_reason="电话无人接听。")
    if rating in (Rating.SATISFIED, Rating.BASICALLY):
        services.complaint_close(complaint_id=complaint.pk, actor=centre)
    return Complaint.objects.get(pk=complaint.pk)


def assert_no_identity(html: str):
    for value in IDENTITY.values():
        assert value not in html, f"{value} leaked"


# --- Landing ------------------------------------------------------------------------------
def test_the_landing_page_links_everything_and_explains_the_time_limits(client):
    response = client.get(reverse("complaints:index"))
    html = response.content.decode()
    for name in ("new", "track", "stats", "cases"):
        assert f'href="{reverse(f"complaints:{name}")}"' in html
    types = response.context["problem_types"]
    assert len(types) == 8
    assert all(t.is_active for t in types)
    assert "First-inquiry responsibility" in html or "首问负责" in html


@pytest.mark.parametrize("n", [5, 50])
def test_landing_page_query_budget(client, campaign, n, django_assert_num_queries):
    from complaints.models import ProblemType

    ProblemType.objects.update(is_active=False)
    ProblemType.objects.bulk_create(
        ProblemType(code=f"type-{i}", name=f"问题类型{i}", name_en=f"Problem type {i}", order=i) for i in range(n)
    )
    client.get(reverse("complaints:index"))
    # 1 query (the header's campaign is cached by the first request): the active problem types
    with django_assert_num_queries(1):
        response = client.get(reverse("complaints:index"))
    assert len(response.context["problem_types"]) == n


# --- Figures ------------------------------------------------------------------------------
@pytest.fixture
def figures(campaign, office_a, office_b, centre_staff, staff_b):
    """office_a: 4 complaints (named); two small offices with 1 each (grouped);
    2 without an office; 1 complaint outside the campaign."""
    small_1, small_2 = OfficeFactory(name="小办公室甲"), OfficeFactory(name="小办公室乙")
    a = [file(office_a) for _ in range(4)]
    close(a[0], centre=centre_staff, handler=staff_b, office=office_b, rating=Rating.SATISFIED)
    close(a[1], centre=centre_staff, handler=staff_b, office=office_b, rating=Rating.BASICALLY, late=True)
    close(a[2], centre=centre_staff, handler=staff_b, office=office_b, rating=Rating.DISSATISFIED)
    services.complaint_not_accept(complaint_id=a[3].pk, actor=centre_staff, reason="不属于受理范围。")
    s1 = file(small_1)
    file(small_2)
    services.complaint_accept(complaint_id=s1.pk, actor=centre_staff)
    none_1 = file(None, code="inaction")
    file(None, code="inaction")
    close(none_1, centre=centre_staff, handler=staff_b, office=office_b, rating=Rating.SATISFIED)
    outside = file(office_a)
    Complaint.objects.filter(pk=outside.pk).update(campaign=CampaignFactory(is_current=False))
    return {"small": (small_1, small_2)}


def test_figures_count_what_the_legend_says(figures, campaign):
    stats = campaign_statistics(campaign.pk)
    t = stats.total
    assert (t.received, t.accepted, t.not_accepted) == (8, 5, 1)
    # closed: a[0], a[1], none_1 (a[2] is dissatisfied and waits for a possible review)
    assert (t.closed, t.closed_on_time) == (3, 2)
    assert (t.rated, t.satisfied) == (4, 3)
    assert t.satisfaction_rate == 75.0 and t.on_time_rate == pytest.approx(66.7)


def test_small_offices_are_grouped_and_unknown_offices_shown_apart(figures, campaign, office_a):
    rows = {row.label: row for row in campaign_statistics(campaign.pk).by_office}
    assert set(rows) == {office_a.name, "Other offices", "Office not specified"}
    assert rows[office_a.name].received == 4
    assert (rows["Other offices"].received, rows["Other offices"].offices) == (2, 2)
    assert rows["Office not specified"].received == 2
    assert all(
        row.received >= SMALL_OFFICE_THRESHOLD
        for label, row in rows.items()
        if label not in ("Other offices", "Office not specified")
    )


def test_by_type_lists_every_active_type_and_adds_up_to_the_total(figures, campaign):
    from django.utils import translation

    with translation.override("zh-hans"):
        stats = campaign_statistics(campaign.pk)
    assert len(stats.by_type) == 8
    assert sum(row.received for row in stats.by_type) == stats.total.received
    inaction = next(row for row in stats.by_type if row.label == "行政不作为")
    assert (inaction.received, inaction.closed, inaction.satisfied) == (2, 1, 1)


def test_the_figures_page_shows_the_legend_and_no_personal_data(client, figures, campaign, office_a):
    response = client.get(STATS)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="legend"' in html and "Satisfaction is satisfied ÷ rated" in html
    assert office_a.name in html
    for small in figures["small"]:
        assert small.name not in html
    assert re.search(r'data-testid="figure-received">8<', html)
    assert re.search(r'data-testid="figure-satisfaction">75.0%<', html)
    assert_no_identity(html)
    assert "TS-" not in html  # no tracking numbers either


def test_the_charts_show_the_rows_of_the_tables_beside_them(client, figures, campaign, office_a):
    """Issue 14, item 11: the charts' data island comes from the same rows as the tables."""
    response = client.get(STATS, headers={"accept-language": "en"})
    stats, charts = response.context["stats"], response.context["charts"]
    for key, rows in (("by-type", stats.by_type), ("by-office", stats.by_office)):
        chart = charts[key]
        assert chart["labels"] == [str(row.label) for row in rows]
        assert [series["label"] for series in chart["series"]] == ["Received", "Closed", "Closed on time"]
        received, closed, on_time = (series["values"] for series in chart["series"])
        assert received == [row.received for row in rows]
        assert closed == [row.closed for row in rows]
        assert on_time == [row.closed_on_time for row in rows]
    html = response.content.decode()
    assert '<script id="complaint-charts" type="application/json">' in html
    # Each chart is an image named by its heading and caption; each table scrolls in a focusable region.
    assert html.count('role="img" aria-labelledby="by-') == 2
    assert html.count('class="table-responsive" tabindex="0" role="region" aria-label="') == 2


def test_without_a_current_campaign_there_are_no_figures(client, office_a):
    file(office_a)
    response = client.get(STATS)
    assert response.status_code == 200 and response.context["stats"] is None


@pytest.mark.parametrize("n", [5, 50])
def test_figures_query_budget(client, campaign, n, django_assert_num_queries):
    offices = [OfficeFactory() for _ in range(n // 2)]
    for i in range(n):
        file(offices[i % len(offices)] if i % 5 else None)
    # 7 queries: current campaign, its phases, count of complaint, count of problemtype, complaint (+offices),
    # the campaign's level (for the figures by level: none here), problemtype
    with django_assert_num_queries(7):
        response = client.get(STATS)
    assert response.context["stats"].total.received == n


@pytest.mark.parametrize("n", [5, 50])
def test_figures_come_from_a_snapshot_without_counting_again(client, campaign, n, django_assert_num_queries):
    """At a million complaints the three counts take a second; between refreshes
    the page reads the snapshot and only the problem types' names."""
    offices = [OfficeFactory() for _ in range(max(1, n // 2))]
    for i in range(n):
        file(offices[i % len(offices)])
    cache.clear()
    with override_settings(FIGURES_MAX_AGE=300):
        first = client.get(STATS)
        file(offices[0])
        # 1 query: the problem types' names (the figures come from the snapshot)
        with django_assert_num_queries(1):
            second = client.get(STATS)
        assert second.context["stats"].total.received == n, "the snapshot is served until it is refreshed"
        assert second.context["as_of"] == first.context["as_of"]
        refresh_figures.delay()
        third = client.get(STATS)
    assert third.context["stats"].total.received == n + 1
    assert third.context["as_of"] > first.context["as_of"]


# --- Typical cases ------------------------------------------------------------------------
def _publish(complaint, centre, kind, title, summary):
    return services.typical_case_publish(
        complaint_id=complaint.pk, actor=centre, kind=kind, title=title, summary=summary
    )


def test_cases_show_title_kind_summary_date_type_and_office_only(client, office_a, office_b, centre_staff, staff_b):
    complaint = close(file(office_a), centre=centre_staff, handler=staff_b, office=office_b)
    case = _publish(
        complaint,
        centre_staff,
        TypicalCase.Kind.NEGATIVE,
        "窗口推诿典型案例",
        "某窗口工作人员多次推诿，已责令整改并通报批评。",
    )
    html = client.get(CASES).content.decode()
    assert case.title in html and case.summary in html and office_a.name in html
    assert complaint.problem_type.display_name in html
    assert str(TypicalCase.Kind.NEGATIVE.label) in html
    assert complaint.tracking_number not in html
    assert complaint.description not in html and complaint.reply not in html and complaint.findings not in html
    assert office_b.name not in html  # not even who handled it
    assert_no_identity(html)


def test_cases_can_be_filtered_by_kind(client, office_a, office_b, centre_staff, staff_b):
    good = close(file(office_a), centre=centre_staff, handler=staff_b, office=office_b)
    bad = close(file(office_a), centre=centre_staff, handler=staff_b, office=office_b)
    _publish(good, centre_staff, "positive", "快速办结的正面案例", "投诉当天即核查处理，当场答复，群众表示非常满意。")
    _publish(bad, centre_staff, "negative", "推诿扯皮的反面案例", "工作人员推诿扯皮，拖延三周，已通报批评并责令整改。")
    html = client.get(CASES, {"kind": "positive"}).content.decode()
    assert "快速办结的正面案例" in html and "推诿扯皮的反面案例" not in html
    assert client.get(CASES, {"kind": "nonsense"}).context["kind"] == ""


@pytest.mark.parametrize("n", [5, 50])
def test_cases_query_budget(client, office_a, centre_staff, n, django_assert_num_queries):
    for i in range(n):
        complaint = file(office_a if i % 2 else None)
        # Rendering is what is measured here, so the cases are created directly.
        TypicalCase.objects.create(
            complaint=complaint,
            kind="positive",
            title=f"案例 {i}",
            summary="一个足够长的案例摘要，用于展示。",
            published_by=centre_staff,
        )
    # 3 queries: count of typicalcase, current campaign, typicalcase (+complaint, offices, problemtype)
    with django_assert_num_queries(3):
        response = client.get(CASES)
    assert len(response.context["page"]) == min(n, 20)


# --- Identity never appears ------------------------------------------------------------------
def test_the_complainants_identity_never_appears_on_any_public_page(
    client, campaign, office_a, office_b, centre_staff, staff_b
):
    response = client.post(
        reverse("complaints:new"),
        {
            "office": office_a.pk,
            "problem_type": 3,
            "description": "窗口工作人员态度恶劣，多次推诿不予办理。",
            "is_anonymous": "real",
            "name": IDENTITY["name"],
            "phone": IDENTITY["phone"],
            "email": IDENTITY["email"],
            "website": "",
        },
        REMOTE_ADDR=IDENTITY["ip"],
    )
    assert response.status_code == 302
    receipt = client.get(response.url).content.decode()
    code = re.search(r'data-testid="access-code">([A-Z0-9-]+)<', receipt).group(1)
    complaint = Complaint.objects.get()
    pages = [receipt]
    client.post(reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "access_code": code})
    detail = reverse("complaints:track-detail", args=[complaint.tracking_number])
    pages.append(client.get(detail).content.decode())
    close(complaint, centre=centre_staff, handler=staff_b, office=office_b)
    _publish(complaint, centre_staff, "positive", "及时整改的案例", "窗口人员态度问题已整改，投诉人表示满意。")
    for url in (detail, reverse("complaints:index"), STATS, CASES, reverse("complaints:track")):
        pages.append(client.get(url).content.decode())
    for html in pages:
        assert_no_identity(html)
