"""Bulletins (通报): drafts, publishing once, rendering safely, public list and feeds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from oversight.models import Bulletin, DisclosureItem
from oversight.services import bulletins as services
from oversight.tests.factories import BulletinFactory

pytestmark = pytest.mark.django_db
SCRIPT = '第一段。<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">第二段。'


@pytest.fixture
def draft(campaign, coordinator):
    return services.bulletin_create(
        campaign_id=campaign.pk,
        actor=coordinator,
        kind=Bulletin.Kind.CRITICISM,
        audience=Bulletin.Audience.PUBLIC,
        title="关于通报批评的决定",
        body=SCRIPT,
    )


def test_publishing_numbers_dates_and_catalogues_a_public_bulletin(draft, coordinator):
    services.bulletin_publish(bulletin_id=draft.pk, actor=coordinator)
    draft.refresh_from_db()
    assert (draft.status, draft.number, draft.published_by, draft.issuing_office) == (
        Bulletin.Status.PUBLISHED,
        1,
        coordinator,
        coordinator.office,
    )
    item = DisclosureItem.objects.get(bulletin=draft)
    assert item.is_published and item.responsible_office == coordinator.office


def test_numbers_follow_each_other_within_a_campaign(campaign, coordinator):
    numbers = []
    for _ in range(3):
        b = services.bulletin_create(
            campaign_id=campaign.pk,
            actor=coordinator,
            kind="progress",
            audience="internal",
            title="进展",
            body="本周工作进展顺利。",
        )
        numbers.append(services.bulletin_publish(bulletin_id=b.pk, actor=coordinator).number)
    assert numbers == [1, 2, 3]
    assert not DisclosureItem.objects.exists()  # internal bulletins are not disclosed


def test_publishing_twice_is_refused(draft, coordinator):
    services.bulletin_publish(bulletin_id=draft.pk, actor=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.bulletin_publish(bulletin_id=draft.pk, actor=coordinator)
    assert "cannot be published twice" in exc.value.messages[0]
    assert Bulletin.objects.get().number == 1 and DisclosureItem.objects.count() == 1


def test_a_published_bulletin_cannot_be_edited(draft, coordinator):
    services.bulletin_publish(bulletin_id=draft.pk, actor=coordinator)
    with pytest.raises(ValidationError):
        services.bulletin_update(
            bulletin_id=draft.pk,
            actor=coordinator,
            kind="progress",
            audience="public",
            title="改",
            body="改过的正文内容。",
        )


def test_only_the_campaign_office_writes_and_publishes(campaign, draft, staff_a, supervisor):
    for user in (staff_a, supervisor):
        with pytest.raises(PermissionDenied):
            services.bulletin_create(
                campaign_id=campaign.pk,
                actor=user,
                kind="progress",
                audience="public",
                title="x",
                body="本周工作进展顺利。",
            )
        with pytest.raises(PermissionDenied):
            services.bulletin_publish(bulletin_id=draft.pk, actor=user)


def test_bad_input_is_reported_per_field(campaign, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.bulletin_create(
            campaign_id=campaign.pk, actor=coordinator, kind="bogus", audience="everyone", title=" ", body="短"
        )
    assert set(exc.value.message_dict) == {"kind", "audience", "title", "body"}
    assert not Bulletin.objects.exists()


def test_the_form_shows_errors_next_to_the_fields(client, coordinator, campaign):
    client.force_login(coordinator)
    response = client.post(
        reverse("oversight-staff:bulletin-new"),
        {"kind": "progress", "audience": "public", "title": "标题", "body": "短"},
    )
    assert response.status_code == 400 and response.context["form"].errors["body"]
    assert not Bulletin.objects.exists()


def test_a_script_in_the_body_is_rendered_harmless_everywhere(client, draft, coordinator):
    services.bulletin_publish(bulletin_id=draft.pk, actor=coordinator)
    pages = [
        reverse("oversight:bulletin", args=[draft.pk]),
        reverse("oversight:bulletins"),
        reverse("oversight-staff:bulletin-detail", args=[draft.pk]),
    ]
    client.force_login(coordinator)
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
    html = client.get(pages[0]).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<p>第一段。" in html  # paragraphs kept
    for feed in ("oversight:bulletins-rss", "oversight:bulletins-atom"):
        xml = client.get(reverse(feed)).content.decode()
        assert "<script>" not in xml and "&lt;script&gt;" in xml


def test_drafts_are_seen_only_by_the_campaign_office(client, draft, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("oversight-staff:bulletin-detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("oversight-staff:bulletin-publish", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("oversight-staff:bulletins")).content.decode()
    assert client.get(reverse("oversight:bulletin", args=[draft.pk])).status_code == 404


def test_internal_bulletins_are_for_staff_only(client, campaign, coordinator, staff_a):
    b = services.bulletin_create(
        campaign_id=campaign.pk,
        actor=coordinator,
        kind="commendation",
        audience="internal",
        title="内部表扬",
        body="党委办公室工作出色。",
    )
    services.bulletin_publish(bulletin_id=b.pk, actor=coordinator)
    client.force_login(staff_a)
    assert client.get(reverse("oversight-staff:bulletin-detail", args=[b.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("oversight:bulletin", args=[b.pk])).status_code == 404
    assert "内部表扬" not in client.get(reverse("oversight:bulletins-rss")).content.decode()


def test_publishing_through_the_page_twice_is_refused_with_a_message(client, draft, coordinator):
    client.force_login(coordinator)
    url = reverse("oversight-staff:bulletin-publish", args=[draft.pk])
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 400 and "cannot be published twice" in response.content.decode()


def test_editing_a_draft_through_the_page(client, draft, coordinator, office_a):
    client.force_login(coordinator)
    response = client.post(
        reverse("oversight-staff:bulletin-edit", args=[draft.pk]),
        {
            "kind": "commendation",
            "audience": "internal",
            "title": "新标题",
            "body": "表扬党委办公室。",
            "offices": [office_a.pk],
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, list(draft.offices.all())) == ("新标题", [office_a])


def test_feeds_list_published_public_bulletins(client, campaign, coordinator):
    for title in ("第一期", "第二期"):
        b = services.bulletin_create(
            campaign_id=campaign.pk,
            actor=coordinator,
            kind="progress",
            audience="public",
            title=title,
            body="本周工作进展顺利。",
        )
        services.bulletin_publish(bulletin_id=b.pk, actor=coordinator)
    rss = client.get(reverse("oversight:bulletins-rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "第一期" in rss.content.decode() and "第二期" in rss.content.decode()
    atom = client.get(reverse("oversight:bulletins-atom"))
    assert atom["Content-Type"].startswith("application/atom+xml") and "<entry>" in atom.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_public_bulletin_list_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    for i in range(n):
        BulletinFactory(
            campaign=campaign,
            author=coordinator,
            status="published",
            number=i + 1,
            published_at=timezone.now(),
            issuing_office=coordinator.office,
        )
    client.get(reverse("oversight:bulletins"))
    # 2 queries (the header's campaign is cached by the first request): count of bulletin, bulletin (+campaign,
    # offices)
    with django_assert_num_queries(2):
        response = client.get(reverse("oversight:bulletins"))
    assert len(response.context["page"].object_list) == min(n, 20)


@pytest.mark.parametrize("n", [5, 50])
def test_staff_bulletin_list_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    for _i in range(n):
        BulletinFactory(campaign=campaign, author=coordinator)
    client.force_login(coordinator)
    client.get(reverse("oversight-staff:bulletins"))
    # 7 queries: session, user, user permissions, group permissions, count of bulletin, inbox badge, bulletin
    # (+campaign, user, offices)
    with django_assert_num_queries(7):
        response = client.get(reverse("oversight-staff:bulletins"))
    assert len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("feed", ["oversight:bulletins-rss", "oversight:bulletins-atom"])
@pytest.mark.parametrize("n", [5, 50])
def test_bulletin_feed_query_budget(client, campaign, coordinator, feed, n, django_assert_num_queries):
    for i in range(n):
        BulletinFactory(
            campaign=campaign,
            author=coordinator,
            status="published",
            number=i + 1,
            published_at=timezone.now(),
            issuing_office=coordinator.office,
        )
    # 1 query: the 30 newest published bulletins with their issuing offices (no session, no header)
    with django_assert_num_queries(1):
        response = client.get(reverse(feed))
    assert response.content.decode().count("<title>") == min(n, 30) + 1


def _bulletin_about(campaign, coordinator, n):
    """A published public bulletin naming ``n`` offices concerned."""
    from campaigns.tests.factories import OfficeFactory

    bulletin = BulletinFactory(
        campaign=campaign,
        author=coordinator,
        status="published",
        number=1,
        published_at=timezone.now(),
        issuing_office=coordinator.office,
    )
    bulletin.offices.set(OfficeFactory.create_batch(n))
    return bulletin


@pytest.mark.parametrize("n", [5, 50])
def test_public_bulletin_page_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    bulletin = _bulletin_about(campaign, coordinator, n)
    url = reverse("oversight:bulletin", args=[bulletin.pk])
    client.get(url)
    # 2 queries (the header's campaign is cached by the first request): bulletin (+campaign, issuing office),
    # offices concerned (+bulletin_offices)
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(response.context["bulletin"].offices.all()) == n


@pytest.mark.parametrize("n", [5, 50])
def test_staff_bulletin_page_query_budget(client, campaign, coordinator, n, django_assert_num_queries):
    bulletin = _bulletin_about(campaign, coordinator, n)
    url = reverse("oversight-staff:bulletin-detail", args=[bulletin.pk])
    client.force_login(coordinator)
    client.get(url)
    # 7 queries (the header's campaign is cached by the first request): session, user, user permissions, group
    # permissions, bulletin (+campaign, author, issuing office), offices concerned (+bulletin_offices), inbox badge
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["bulletin"].offices.all()) == n
