"""Public disclosure (政务公开, seed 004): nothing public before it is published,
published figures frozen, the catalogue, and the public results pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.tests.factories import PhaseFactory, TaskFactory
from complaints import services as complaint_services
from oversight.models import DisclosureItem
from oversight.services import bulletins as bulletin_services
from oversight.services import disclosure as services
from oversight.tests.factories import complaint_about

pytestmark = pytest.mark.django_db
Kind = DisclosureItem.Kind


@pytest.fixture
def figures(phase, office_a, office_b):
    TaskFactory(phase=phase, lead=office_a)
    for _ in range(3):
        complaint_about(office_a, status="closed", on_time=True, rating="satisfied")
    complaint_about(office_b)


def test_a_prepared_item_is_not_public_until_published(client, campaign, coordinator, figures):
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.COMPLAINT_STATISTICS)
    assert not item.is_published and item.snapshot["total"]["received"] == 4
    assert client.get(reverse("oversight:item", args=[item.pk])).status_code == 404
    index = client.get(reverse("oversight:index"))
    assert index.context["results"] == {} and b'data-testid="nothing-published"' in index.content
    assert client.get(reverse("oversight:catalogue")).context["entries"] == []

    services.disclosure_publish(item_id=item.pk, actor=coordinator)
    assert client.get(reverse("oversight:item", args=[item.pk])).status_code == 200
    assert client.get(reverse("oversight:index")).context["results"]["complaint_statistics"] == item


def test_published_figures_are_frozen(client, campaign, coordinator, office_a, figures):
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.COMPLAINT_STATISTICS)
    services.disclosure_publish(item_id=item.pk, actor=coordinator)
    before = client.get(reverse("oversight:item", args=[item.pk])).content.decode()
    # Later complaints change the live statistics, never the published snapshot.
    for _ in range(2):
        complaint_about(office_a)
    item.refresh_from_db()
    assert item.snapshot["total"]["received"] == 4
    after = client.get(reverse("oversight:item", args=[item.pk])).content.decode()

    def snapshot_part(html):
        return html[html.index('data-testid="snapshot-complaints"') : html.index("</main>")]

    assert 'data-testid="snap-received">4<' in after and snapshot_part(before) == snapshot_part(after)
    # ...and a published item refuses to be rewritten, whoever calls save().
    item.snapshot = {"total": {"received": 99}}
    with pytest.raises(ValidationError):
        item.save()


def test_a_newer_publication_takes_the_results_page_and_the_old_one_stays_in_the_catalogue(
    client, campaign, coordinator, office_a, figures
):
    first = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS, title="第一次")
    services.disclosure_publish(item_id=first.pk, actor=coordinator)
    second = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS, title="第二次")
    services.disclosure_publish(item_id=second.pk, actor=coordinator)
    assert client.get(reverse("oversight:index")).context["results"]["progress"] == second
    titles = [e.title for e in client.get(reverse("oversight:catalogue")).context["entries"]]
    assert titles == ["第二次", "第一次"]
    assert client.get(reverse("oversight:item", args=[first.pk])).status_code == 200


def test_publishing_twice_is_refused(campaign, coordinator, figures):
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    services.disclosure_publish(item_id=item.pk, actor=coordinator)
    first_date = DisclosureItem.objects.get().published_at
    with pytest.raises(ValidationError) as exc:
        services.disclosure_publish(item_id=item.pk, actor=coordinator)
    assert "cannot be published twice" in exc.value.messages[0]
    assert DisclosureItem.objects.get().published_at == first_date


def test_only_the_campaign_office_prepares_and_publishes(client, campaign, coordinator, staff_a, supervisor):
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    for user in (staff_a, supervisor):
        with pytest.raises(PermissionDenied):
            services.disclosure_prepare(campaign_id=campaign.pk, actor=user, kind=Kind.PROGRESS)
        with pytest.raises(PermissionDenied):
            services.disclosure_publish(item_id=item.pk, actor=user)
        client.force_login(user)
        assert client.get(reverse("oversight-staff:disclosure")).status_code == 403
        assert client.post(reverse("oversight-staff:disclosure-publish", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert not item.is_published


def test_the_desk_prepares_checks_and_publishes(client, campaign, coordinator, figures):
    client.force_login(coordinator)
    response = client.post(reverse("oversight-staff:disclosure"), {"kind": "progress", "title": ""})
    item = DisclosureItem.objects.get()
    assert response.url == reverse("oversight-staff:disclosure-detail", args=[item.pk])
    assert "Campaign progress by phase" in item.title or item.title  # default title with the date
    page = client.get(response.url).content.decode()
    assert 'data-testid="draft-badge"' in page and 'data-testid="snapshot-progress"' in page
    assert client.post(reverse("oversight-staff:disclosure-publish", args=[item.pk])).status_code == 302
    again = client.post(reverse("oversight-staff:disclosure-publish", args=[item.pk]))
    assert again.status_code == 400 and "cannot be published twice" in again.content.decode()


def test_an_unknown_kind_is_refused_next_to_the_field(client, campaign, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("oversight-staff:disclosure"), {"kind": "bulletin"})
    assert response.status_code == 400 and response.context["form"].errors["kind"]
    assert not DisclosureItem.objects.exists()


def test_a_draft_can_be_thrown_away_but_a_published_item_cannot(client, campaign, coordinator):
    client.force_login(coordinator)
    draft = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    assert client.post(reverse("oversight-staff:disclosure-discard", args=[draft.pk])).status_code == 302
    assert not DisclosureItem.objects.exists()
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    services.disclosure_publish(item_id=item.pk, actor=coordinator)
    assert client.post(reverse("oversight-staff:disclosure-discard", args=[item.pk])).status_code == 400
    assert DisclosureItem.objects.filter(pk=item.pk).exists()


def test_the_progress_snapshot_counts_tasks_per_phase(campaign, phase, coordinator, office_a):
    from campaigns.models import Task

    TaskFactory(phase=phase, lead=office_a)
    done = TaskFactory(phase=phase, lead=office_a)
    Task.objects.filter(pk=done.pk).update(status="done", completed_at=dt.datetime.now(dt.UTC))
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    assert item.snapshot["phases"][0] | {} == item.snapshot["phases"][0]
    assert (item.snapshot["task_total"], item.snapshot["task_done"], item.snapshot["progress"]) == (2, 1, 50.0)
    assert item.snapshot["phases"][0]["name"] == phase.name


def test_complaint_statistics_group_small_offices_as_the_public_figures_do(campaign, coordinator, figures):
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.COMPLAINT_STATISTICS)
    rows = item.snapshot["by_office"]
    # Office A has 3 complaints (named); office B's single complaint is grouped.
    assert [(r["kind"], r["received"]) for r in rows] == [("office", 3), ("grouped", 1)]
    assert rows[0]["satisfaction_rate"] == 100.0
    names = {r["names"]["zh-hans"] for r in item.snapshot["by_type"]}
    assert "服务态度差" in names or len(names) > 1


# --- Catalogue ----------------------------------------------------------------------------------
def test_the_catalogue_lists_every_published_item_with_date_and_office(
    client, campaign, coordinator, centre_staff, office_a, office_b, staff_b
):
    from complaints.tests.factories import walk_to

    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    services.disclosure_publish(item_id=item.pk, actor=coordinator)
    bulletin = bulletin_services.bulletin_create(
        campaign_id=campaign.pk,
        actor=coordinator,
        kind="commendation",
        audience="public",
        title="表扬通报",
        body="表扬先进单位。",
    )
    bulletin_services.bulletin_publish(bulletin_id=bulletin.pk, actor=coordinator)
    complaint = walk_to(
        "replied",
        complaint_about(office_a, anonymous=True),
        centre=centre_staff,
        handler=staff_b,
        handling_office=office_b,
    )
    complaint_services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    complaint_services.complaint_close(complaint_id=complaint.pk, actor=centre_staff)
    complaint_services.typical_case_publish(
        complaint_id=complaint.pk,
        actor=centre_staff,
        kind="negative",
        title="推诿扯皮典型案例",
        summary="某窗口工作人员对前来办事的群众多次推诿，经查属实，已责令整改并通报批评。",
    )
    services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.COMPLAINT_STATISTICS)  # draft

    response = client.get(reverse("oversight:catalogue"))
    entries = response.context["entries"]
    assert [e.title for e in entries] == ["推诿扯皮典型案例", "表扬通报", item.title]
    assert entries[1].office == coordinator.office.name and entries[0].office == centre_staff.office.name
    html = response.content.decode()
    assert reverse("oversight:bulletin", args=[bulletin.pk]) in html
    assert reverse("oversight:item", args=[item.pk]) in html
    index = client.get(reverse("oversight:index")).content.decode()
    assert "推诿扯皮典型案例" in index and "表扬通报" in index


@pytest.mark.parametrize("n", [5, 50])
def test_catalogue_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    for _ in range(n):
        item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
        services.disclosure_publish(item_id=item.pk, actor=coordinator)
    client.get(reverse("oversight:catalogue"))
    # 3 queries: current campaign, disclosureitem (+bulletin, offices), typicalcase (+complaint, user, offices)
    with django_assert_num_queries(3):
        response = client.get(reverse("oversight:catalogue"))
    assert len(response.context["entries"]) == n


@pytest.mark.parametrize("n", [5, 50])
def test_public_results_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    for i in range(n):
        for kind in (Kind.PROGRESS, Kind.COMPLAINT_STATISTICS):
            item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=kind)
            services.disclosure_publish(item_id=item.pk, actor=coordinator)
        b = bulletin_services.bulletin_create(
            campaign_id=campaign.pk,
            actor=coordinator,
            kind="progress",
            audience="public",
            title=f"第{i}期",
            body="本周工作进展顺利。",
        )
        bulletin_services.bulletin_publish(bulletin_id=b.pk, actor=coordinator)
    client.get(reverse("oversight:index"))
    # 4 queries: current campaign, disclosureitem (+offices), bulletin (+campaign, offices), typicalcase (+complaint,
    # offices, problemtype)
    with django_assert_num_queries(4):
        response = client.get(reverse("oversight:index"))
    assert set(response.context["results"]) == {"progress", "complaint_statistics"}


def test_no_current_campaign_shows_nothing(client):
    assert client.get(reverse("oversight:index")).status_code == 200
    assert client.get(reverse("oversight:catalogue")).context["entries"] == []


@pytest.mark.parametrize("n", [5, 50])
def test_disclosure_desk_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    for _ in range(n):
        services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    client.force_login(coordinator)
    client.get(reverse("oversight-staff:disclosure"))
    # 7 queries (the header's campaign is cached by the first request): session, user, user permissions, group
    # permissions, current campaign, inbox badge, disclosureitem (+bulletin, user, offices)
    with django_assert_num_queries(7):
        response = client.get(reverse("oversight-staff:disclosure"))
    assert len(response.context["items"]) == n


def _progress_over(campaign, coordinator, n: int, *, publish: bool = True) -> DisclosureItem:
    """A progress item whose snapshot lists ``n`` phases, each with a task."""
    for i in range(n):
        phase = PhaseFactory(campaign=campaign, order=i + 1, name=f"第{i + 1}阶段")
        TaskFactory(phase=phase)
    item = services.disclosure_prepare(campaign_id=campaign.pk, actor=coordinator, kind=Kind.PROGRESS)
    if publish:
        services.disclosure_publish(item_id=item.pk, actor=coordinator)
    assert len(item.snapshot["phases"]) == n
    return item


@pytest.mark.parametrize("n", [5, 50])
def test_published_item_page_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    url = reverse("oversight:item", args=[_progress_over(campaign, coordinator, n).pk])
    client.get(url)
    # 1 query (the header's campaign is cached by the first request; the phases are in the frozen snapshot):
    # disclosureitem (+campaign, responsible office)
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.content.decode().count('<progress class="progress-bar-native"') == n


@pytest.mark.parametrize("n", [5, 50])
def test_disclosure_item_desk_page_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    url = reverse("oversight-staff:disclosure-detail", args=[_progress_over(campaign, coordinator, n).pk])
    client.force_login(coordinator)
    client.get(url)
    # 6 queries (the header's campaign is cached by the first request; the phases are in the snapshot): session,
    # user, user permissions, group permissions, disclosureitem (+campaign, bulletin, preparer, publisher, responsible
    # office), inbox badge
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count('<progress class="progress-bar-native"') == n
