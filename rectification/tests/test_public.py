"""The public pages: the board of public commitments, one commitment in full, the
rating and comment forms (no account), and the evidence files."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from rectification import public_views, services
from rectification.models import Commitment, CommitmentRevision, Evidence, ProgressUpdate, PublicComment, Rating
from rectification.services.common import hashed
from rectification.tests.factories import (
    add_commitment,
    approved_plan,
    claim,
    edit_data,
    pdf,
    published,
    ratings,
    record_problem,
    start_plan,
    today,
)

pytestmark = pytest.mark.django_db
BOARD = reverse("rectification:board")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def detail(pk):
    return reverse("rectification:detail", args=[pk])


def _codes(response):
    return {c.code for c in response.context["page"].object_list}


# --- The board -------------------------------------------------------------------------------
def test_the_board_shows_public_commitments_only(client, staff_a, staff_b, coordinator, phase):
    plan, (public, internal) = approved_plan(staff_a, coordinator, n=1)[0], [None, None]
    public = Commitment.objects.get(plan=plan)
    internal = add_commitment(staff_a, plan, scope="internal")
    services.commitment_publish(actor=staff_a, commitment_id=internal.pk)
    draft = add_commitment(staff_a, plan)
    media = published(staff_b, coordinator, scope="media")
    response = client.get(BOARD)
    assert _codes(response) == {public.code, media.code}
    html = response.content.decode()
    assert internal.content not in html or internal.code not in html
    assert draft.code not in _codes(response)
    assert response.context["counts"]["total"] == 2


def test_the_board_counts_by_status_and_filters(client, staff_a, staff_b, coordinator, phase):
    _plan, (a1, a2, a3) = approved_plan(staff_a, coordinator, n=3)
    services.progress_report(actor=staff_a, commitment_id=a1.pk, percent=30, text="推进")
    claim(staff_a, a2)
    Commitment.objects.filter(pk=a3.pk).update(deadline=today() - dt.timedelta(days=2))
    b1 = published(staff_b, coordinator, handling="gradual", explanation="需分步解决。")
    response = client.get(BOARD)
    counts = {value: n for value, _label, n in response.context["counts"]["by_status"]}
    assert counts["in_progress"] == 1 and counts["completed"] == 1 and counts["published"] == 2
    assert response.context["counts"]["overdue"] == 1
    assert _codes(client.get(BOARD, {"status": "in_progress"})) == {a1.code}
    assert _codes(client.get(BOARD, {"overdue": "on"})) == {a3.code}
    assert _codes(client.get(BOARD, {"handling": "gradual"})) == {b1.code}
    assert _codes(client.get(BOARD, {"office": staff_b.office_id})) == {b1.code}
    # A bad filter value is reported next to its field and ignored.
    response = client.get(BOARD, {"status": "nonsense"})
    assert response.status_code == 200 and response.context["form"].errors["status"]
    assert len(_codes(response)) == 4


def test_each_board_row_shows_deadline_progress_and_responsible_office(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    services.progress_report(actor=staff_a, commitment_id=commitment.pk, percent=45, text="推进")
    html = client.get(BOARD).content.decode()
    assert '<progress class="commitment-progress" max="100" value="45"' in html
    assert staff_a.office.name in html and commitment.deadline.strftime("%Y") in html


@pytest.mark.parametrize("n", [5, 50])
def test_board_query_budget(client, staff_a, coordinator, phase, n, django_assert_num_queries):
    problem = record_problem(staff_a)
    approved_plan(staff_a, coordinator, n=n, problems=[problem])
    # 7 queries: current campaign, its phases, offices for the filter, count of commitment, count of commitment,
    # resultspublication, commitment (+plan, campaign, offices)
    with django_assert_num_queries(7):
        response = client.get(BOARD)
    assert len(response.context["page"].object_list) == min(n, 25)


# --- One commitment ------------------------------------------------------------------------------
def test_the_public_page_shows_everything_about_the_commitment(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator, handling="gradual", explanation="涉及上级权限，分三批推进。")
    services.progress_report(
        actor=staff_a, commitment_id=commitment.pk, percent=40, text="第一批完成", evidence=[pdf("第一批清单.pdf")]
    )
    later = commitment.deadline + dt.timedelta(days=15)
    services.commitment_update(
        actor=staff_a,
        commitment_id=commitment.pk,
        reason="等待上级批复",
        **edit_data(commitment, deadline=later, measures="新的措施"),
    )
    html = client.get(detail(commitment.pk)).content.decode()
    for text in (
        "涉及上级权限，分三批推进。",
        "第一批完成",
        "第一批清单.pdf",
        "新的措施",
        "张明, 办公室主任",
        "Revised on",
        "because 等待上级批复",
        "Show the earlier text",
        commitment.measures,
        "Original deadline",
        staff_a.office.name,
    ):
        assert text in html, text


@pytest.mark.parametrize("scope, status", [("internal", "published"), ("public", "draft")])
def test_internal_and_draft_commitments_are_not_public(client, staff_a, coordinator, phase, scope, status):
    plan = start_plan(staff_a)
    commitment = add_commitment(staff_a, plan, scope=scope)
    if status == "published":
        services.plan_submit(actor=staff_a, plan_id=plan.pk)
        services.plan_approve(actor=coordinator, plan_id=plan.pk)
    assert client.get(detail(commitment.pk)).status_code == 404
    assert client.post(reverse("rectification:rate", args=[commitment.pk]), {"value": "satisfied"}).status_code == 404
    # Staff of the office still read it on their own page.
    client.force_login(staff_a)
    assert client.get(reverse("rectification-staff:commitment-detail", args=[commitment.pk])).status_code == 200


def test_evidence_of_public_commitments_only_is_downloadable_by_the_public(client, staff_a, coordinator, phase):
    public = published(staff_a, coordinator)
    services.progress_report(actor=staff_a, commitment_id=public.pk, percent=10, text="x", evidence=[pdf("a.pdf")])
    plan = public.plan
    internal = add_commitment(staff_a, plan, scope="internal")
    services.commitment_publish(actor=staff_a, commitment_id=internal.pk)
    services.progress_report(actor=staff_a, commitment_id=internal.pk, percent=10, text="x", evidence=[pdf("b.pdf")])
    shown, hidden = Evidence.objects.get(original_name="a.pdf"), Evidence.objects.get(original_name="b.pdf")
    response = client.get(reverse("rectification:evidence", args=[shown.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("rectification:evidence", args=[hidden.pk])).status_code == 404


@pytest.mark.parametrize("n", [5, 50])
def test_detail_query_budget(client, staff_a, coordinator, phase, n, django_assert_num_queries):
    commitment = published(staff_a, coordinator)
    now = timezone.now()
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            commitment=commitment,
            percent=i % 100,
            text=f"进展{i}",
            author=staff_a,
            office=staff_a.office,
            reported_on=today(),
        )
        for i in range(n)
    )
    Evidence.objects.bulk_create(
        Evidence(update=u, file=f"rectification/x{u.pk}.pdf", original_name="x.pdf", size=9) for u in updates
    )
    CommitmentRevision.objects.bulk_create(
        CommitmentRevision(
            commitment=commitment,
            number=i + 1,
            changed_fields=["content"],
            content="旧",
            measures="旧",
            goal="旧",
            deadline=commitment.deadline,
            new_deadline=commitment.deadline,
            reason="修改",
            revised_by=staff_a,
        )
        for i in range(n)
    )
    PublicComment.objects.bulk_create(
        PublicComment(commitment=commitment, text=f"意见{i}", state="published", moderated_at=now) for i in range(n)
    )
    ratings(commitment, *["satisfied"] * n)
    # 9 queries: commitment (+plan, campaign, offices), problem (+commitment_problems), progressupdate (+offices),
    # evidence, commitmentrevision (+commitment), publiccomment, count of rating, current campaign, its phases
    with django_assert_num_queries(9):
        response = client.get(detail(commitment.pk))
    assert response.status_code == 200 and len(response.context["comments"]) == n


# --- Rating and commenting -------------------------------------------------------------------------
def test_a_citizen_rates_once_per_browser_without_an_account(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    url = reverse("rectification:rate", args=[commitment.pk])
    response = client.post(url, {"value": "satisfied", "comment": ""})
    assert response.status_code == 302 and public_views.RATER_COOKIE in response.cookies
    assert Rating.objects.get().value == "satisfied"
    page = client.get(detail(commitment.pk))
    assert page.context["my_rating"].value == "satisfied" and "You rated this commitment" in page.content.decode()
    again = client.post(url, {"value": "dissatisfied", "comment": ""})
    assert again.status_code == 400
    assert "already rated this commitment from this browser" in again.content.decode()
    assert Rating.objects.count() == 1
    # Another browser (no cookie) is another rater.
    client.cookies.clear()
    assert client.post(url, {"value": "dissatisfied"}).status_code == 302
    assert Rating.objects.count() == 2


def test_a_rating_without_a_choice_is_refused_next_to_the_field(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    response = client.post(reverse("rectification:rate", args=[commitment.pk]), {"comment": "不错"})
    assert response.status_code == 400 and response.context["rating_form"].errors["value"] == [
        "Choose one of the ratings."
    ]
    assert not Rating.objects.exists() and not PublicComment.objects.exists()


def test_ratings_are_limited_per_address(client, staff_a, coordinator, phase, monkeypatch):
    monkeypatch.setattr(public_views, "FEEDBACK_RATE", "2/h")
    commitment = published(staff_a, coordinator)
    url = reverse("rectification:rate", args=[commitment.pk])
    for _ in range(2):
        client.cookies.clear()
        assert client.post(url, {"value": "satisfied"}).status_code == 302
    client.cookies.clear()
    response = client.post(url, {"value": "satisfied"})
    assert response.status_code == 429 and "Too many ratings" in response.content.decode()
    assert Rating.objects.count() == 2


def test_comments_share_the_ratings_limit_per_address(client, staff_a, coordinator, phase, monkeypatch):
    monkeypatch.setattr(public_views, "FEEDBACK_RATE", "2/h")
    commitment = published(staff_a, coordinator)
    comment = reverse("rectification:comment", args=[commitment.pk])
    assert client.post(reverse("rectification:rate", args=[commitment.pk]), {"value": "satisfied"}).status_code == 302
    assert client.post(comment, {"comment": "整改有成效。"}).status_code == 302
    response = client.post(comment, {"comment": "整改有成效。"})
    assert response.status_code == 429 and "Too many ratings and comments" in response.content.decode()
    assert PublicComment.objects.count() == 1
    other = client.post(comment, {"comment": "整改有成效。"}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302 and PublicComment.objects.count() == 2


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_rating_keeps_the_clients_address_behind_the_proxy_not_the_proxys(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    url = reverse("rectification:rate", args=[commitment.pk])
    behind_nginx = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    client.post(url, {"value": "basically", "comment": "有改进。"}, **behind_nginx)

    rating, comment = Rating.objects.get(), PublicComment.objects.get()
    assert rating.ip_hash == comment.ip_hash == hashed("ip:198.51.100.7")


def test_a_comment_is_held_until_the_campaign_office_publishes_it(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    client.post(
        reverse("rectification:rate", args=[commitment.pk]), {"value": "basically", "comment": "有改进，还需加强。"}
    )
    comment = PublicComment.objects.get()
    assert (comment.state, comment.rating.value) == ("held", "basically")
    assert "有改进，还需加强。" not in client.get(detail(commitment.pk)).content.decode()
    services.comment_moderate(actor=coordinator, comment_id=comment.pk, publish=True)
    assert "有改进，还需加强。" in client.get(detail(commitment.pk)).content.decode()


def test_a_comment_over_2000_characters_is_refused_and_nothing_is_saved(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    response = client.post(
        reverse("rectification:rate", args=[commitment.pk]), {"value": "satisfied", "comment": "长" * 2001}
    )
    assert response.status_code == 400
    assert "under 2000 characters" in response.context["rating_form"].errors["comment"][0]
    assert not Rating.objects.exists() and not PublicComment.objects.exists()


def test_a_comment_with_a_link_is_held_and_marked(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    client.post(reverse("rectification:rate", args=[commitment.pk]), {"value": "satisfied"})
    response = client.post(
        reverse("rectification:comment", args=[commitment.pk]),
        {"comment": "详见 https://example.com/a 的说明"},
        follow=True,
    )
    comment = PublicComment.objects.get()
    assert comment.has_link and comment.state == "held"
    assert "contains a web link" in response.content.decode()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("请看 www.example.cn", True),
        ("http://x.y", True),
        ("示例.com 上有", True),
        ("办事效率提高了3.5倍", False),
        ("整改措施很好。", False),
    ],
)
def test_links_are_recognised(text, expected):
    assert services.has_link(text) is expected


def test_an_empty_comment_is_refused_next_to_the_field(client, staff_a, coordinator, phase):
    commitment = published(staff_a, coordinator)
    response = client.post(reverse("rectification:comment", args=[commitment.pk]), {"comment": "  "})
    assert response.status_code == 400 and response.context["comment_form"].errors["comment"]


def test_board_renders_a_fixed_number_of_templates_whatever_the_commitments(client, staff_a, coordinator, phase):
    """The rows are written out in board.html: no include per commitment."""
    problem = record_problem(staff_a)
    approved_plan(staff_a, coordinator, n=5, problems=[problem])
    few = [t.name for t in client.get(BOARD).templates]
    approved_plan(staff_a, coordinator, n=45, problems=[record_problem(staff_a)])
    response = client.get(BOARD)
    assert len(response.context["page"].object_list) == 25
    assert [t.name for t in response.templates] == few


def test_the_board_office_filter_renders_its_options_in_python():
    """Hundreds of offices: Django's template per option cost 20 ms a page (docs/benchmarks.md)."""
    from kernel.widgets import FastSelect
    from rectification.forms import CommitmentFilterForm

    form = CommitmentFilterForm()
    assert all(isinstance(form.fields[name].widget, FastSelect) for name in ("office", "status", "handling"))
