"""The complaints admin: problem types are edited here; complaints, cases and the
identity log are only read; typical cases may be unpublished; Open311 keys are
issued once and revoked. The complainant's identity never appears."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from campaigns.roles import Role
from campaigns.tests.factories import UserFactory
from complaints import services
from complaints.models import AccountabilityCase, Complaint, IdentityAccess, Open311Key, ProblemType, TypicalCase
from complaints.open311.keys import hash_key, key_check, key_create
from complaints.tests.factories import submit, walk_to

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "欧阳娜娜", "13912345678", "nana.ouyang@example.org"


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:complaints_{model}_{view}", args=args)


def many(n, office):
    return [submit(office=office, description=f"第{i}件投诉，窗口人员推诿不办。")[0] for i in range(n)]


def published(n, *, office, centre, handler, handling_office):
    """n typical cases, each on a complaint taken through the whole workflow."""
    for i in range(n):
        complaint, _ = submit(office=office, anonymous=True, email="", description=f"第{i}件投诉，窗口人员推诿不办。")
        walk_to("replied", complaint, centre=centre, handler=handler, handling_office=handling_office)
        services.complaint_rate(complaint_id=complaint.pk, rating=Complaint.Rating.SATISFIED)
        services.complaint_close(complaint_id=complaint.pk, actor=centre)
        services.typical_case_publish(
            complaint_id=complaint.pk,
            actor=centre,
            kind="positive",
            title=f"典型案例{i}",
            summary="窗口推诿问题经查属实，已责令整改并通报批评。",
        )


# --- Query budgets ---------------------------------------------------------------
@pytest.mark.parametrize("n", [5, 50])
def test_complaint_changelist_query_budget(client, admin_user, office_a, n, django_assert_num_queries):
    many(n, office_a)
    client.force_login(admin_user)
    # 11 queries: session, user, problemtype, offices, offices, count of complaint, count of complaint, complaint
    # (+offices, problemtype), current campaign, date hierarchy: first and last complaint, date hierarchy: the dates
    with django_assert_num_queries(11):
        response = client.get(admin_url("complaint"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == n


@pytest.mark.parametrize("n", [5, 50])
def test_case_changelist_query_budget(client, admin_user, office_a, n, django_assert_num_queries):
    many(n, office_a)
    services.complaints_sweep(today=timezone.localdate() + timezone.timedelta(days=60))
    assert AccountabilityCase.objects.count() >= n
    client.force_login(admin_user)
    # 7 queries: session, user, offices, count of accountabilitycase, count of accountabilitycase, accountabilitycase
    # (+complaint, offices), current campaign
    with django_assert_num_queries(7):
        response = client.get(admin_url("accountabilitycase"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_identity_access_changelist_query_budget(
    client, admin_user, centre_staff, office_a, n, django_assert_num_queries
):
    for complaint in many(n, office_a):
        services.complaint_view_identity(complaint_id=complaint.pk, actor=centre_staff)
    client.force_login(admin_user)
    # 9 queries: session, user, count of identityaccess, count of identityaccess, identityaccess (+complaint, user),
    # current campaign, date hierarchy: first and last identityaccess, date hierarchy: the dates, filter choices
    # (purpose)
    with django_assert_num_queries(9):
        response = client.get(admin_url("identityaccess"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == n


@pytest.mark.parametrize("n", [5, 50])
def test_typical_case_changelist_query_budget(
    client, admin_user, centre_staff, staff_b, office_a, office_b, n, django_assert_num_queries
):
    published(n, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    client.force_login(admin_user)
    # 8 queries: session, user, count of typicalcase, count of typicalcase, typicalcase (+complaint, user), current
    # campaign, date hierarchy: first and last typicalcase, date hierarchy: the dates
    with django_assert_num_queries(8):
        response = client.get(admin_url("typicalcase"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == n


@pytest.mark.parametrize("n", [5, 50])
def test_open311_key_changelist_query_budget(client, admin_user, n, django_assert_num_queries):
    for i in range(n):
        key_create(name=f"system {i}")
    client.force_login(admin_user)
    # 6 queries: session, user, count of open311key, count of open311key, open311key, current campaign
    with django_assert_num_queries(6):
        response = client.get(admin_url("open311key"))
    assert response.status_code == 200


def test_problem_type_changelist_query_budget(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)
    # 6 queries: session, user, count of problemtype, count of problemtype, problemtype, current campaign
    with django_assert_num_queries(6):
        assert client.get(admin_url("problemtype")).status_code == 200


# --- Problem types -----------------------------------------------------------------
def _type_form(problem_type, **changes):
    data = {
        "name": problem_type.name,
        "name_zh_hant": problem_type.name_zh_hant,
        "name_en": problem_type.name_en,
        "description": problem_type.description,
        "description_zh_hant": problem_type.description_zh_hant,
        "description_en": problem_type.description_en,
        "accept_limit_days": problem_type.accept_limit_days,
        "complete_limit_days": problem_type.complete_limit_days,
        "order": problem_type.order,
        "is_active": "on" if problem_type.is_active else "",
        "is_corruption": "on" if problem_type.is_corruption else "",
        "code": "renamed-code",  # read-only on change: ignored
        "_save": "Save",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_admin_edits_a_problem_type_but_not_its_code(client, admin_user):
    attitude = ProblemType.objects.get(code="attitude")
    client.force_login(admin_user)
    response = client.post(
        admin_url("problemtype", "change", attitude.pk),
        _type_form(attitude, name_en="Rude service", accept_limit_days=2, complete_limit_days=10, is_active=""),
    )
    assert response.status_code == 302
    attitude.refresh_from_db()
    assert (attitude.name_en, attitude.accept_limit_days, attitude.complete_limit_days) == ("Rude service", 2, 10)
    assert attitude.code == "attitude" and not attitude.is_active


def test_admin_refuses_a_completion_limit_shorter_than_acceptance(client, admin_user):
    attitude = ProblemType.objects.get(code="attitude")
    client.force_login(admin_user)
    response = client.post(
        admin_url("problemtype", "change", attitude.pk),
        _type_form(attitude, accept_limit_days=10, complete_limit_days=5),
    )
    assert response.status_code == 200
    attitude.refresh_from_db()
    assert attitude.complete_limit_days == 15


def test_problem_types_are_never_deleted(client, admin_user):
    client.force_login(admin_user)
    attitude = ProblemType.objects.get(code="attitude")
    assert client.get(admin_url("problemtype", "delete", attitude.pk)).status_code == 403


# --- Complaints --------------------------------------------------------------------
def test_the_complaint_page_never_shows_who_complained(client, admin_user, office_a):
    complaint, code = submit(office=office_a, name=NAME, phone=PHONE, email=EMAIL, ip="198.51.100.23")
    client.force_login(admin_user)
    for path in (admin_url("complaint"), admin_url("complaint", "change", complaint.pk)):
        response = client.get(path)
        assert response.status_code == 200
        text = response.content.decode()
        assert complaint.tracking_number in text
        for secret in (NAME, PHONE, EMAIL, "198.51.100.23", code, complaint.access_code_hash):
            assert secret not in text, (path, secret)


def test_complaints_are_read_only_in_the_admin(client, admin_user, office_a):
    complaint, _ = submit(office=office_a)
    client.force_login(admin_user)
    assert client.get(admin_url("complaint", "add")).status_code == 403
    assert client.get(admin_url("complaint", "delete", complaint.pk)).status_code == 403
    response = client.post(admin_url("complaint", "change", complaint.pk), {"status": "closed", "_save": "Save"})
    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.REGISTERED


def test_complaints_are_found_by_tracking_number(client, admin_user, office_a):
    first, second = many(2, office_a)
    client.force_login(admin_user)
    response = client.get(admin_url("complaint"), {"q": second.tracking_number})
    assert list(response.context["cl"].result_list) == [second]


def test_complaints_filter_by_status_and_channel(client, admin_user, office_a, centre_staff):
    first, second = many(2, office_a)
    services.complaint_accept(complaint_id=second.pk, actor=centre_staff)
    client.force_login(admin_user)
    response = client.get(admin_url("complaint"), {"status__exact": "accepted", "channel__exact": "web"})
    assert list(response.context["cl"].result_list) == [second]


def test_staff_never_read_complaints_about_their_own_office_in_the_admin(client, office_a, office_b):
    about_a, _ = submit(office=office_a)
    about_b, _ = submit(office=office_b, description="另一件投诉，窗口人员推诿不办。")
    reader = UserFactory(office=office_a, role=Role.COMPLAINT_CENTRE, is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_complaint"))
    client.force_login(reader)
    response = client.get(admin_url("complaint"))
    assert list(response.context["cl"].result_list) == [about_b]
    # Out of reach: a 404, as on the staff pages (campaigns/adminscope.py).
    assert client.get(admin_url("complaint", "change", about_a.pk)).status_code == 404


# --- Accountability cases, typical cases, identity log -------------------------------
def test_cases_are_read_only_in_the_admin(client, admin_user, office_a):
    many(1, office_a)
    services.complaints_sweep(today=timezone.localdate() + timezone.timedelta(days=60))
    case = AccountabilityCase.objects.first()
    client.force_login(admin_user)
    assert client.get(admin_url("accountabilitycase", "change", case.pk)).status_code == 200
    response = client.post(
        admin_url("accountabilitycase", "change", case.pk),
        {"decision": "criticism", "reasoning": "x", "_save": "Save"},
    )
    assert response.status_code == 403
    assert AccountabilityCase.objects.get(pk=case.pk).decision == AccountabilityCase.Decision.PENDING


def test_the_centre_unpublishes_a_typical_case_by_deleting_it(client, centre_staff, staff_b, office_a, office_b):
    published(1, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    case = TypicalCase.objects.get()
    centre_staff.is_staff = True
    centre_staff.save()
    centre_staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_typicalcase", "delete_typicalcase"])
    )
    client.force_login(centre_staff)
    response = client.post(admin_url("typicalcase", "delete", case.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not TypicalCase.objects.exists()


def test_other_staff_cannot_unpublish_a_typical_case(client, centre_staff, staff_b, office_a, office_b):
    published(1, office=office_a, centre=centre_staff, handler=staff_b, handling_office=office_b)
    case = TypicalCase.objects.get()
    staff_b.is_staff = True
    staff_b.save()
    staff_b.user_permissions.add(*Permission.objects.filter(codename__in=["view_typicalcase", "delete_typicalcase"]))
    client.force_login(staff_b)
    assert client.post(admin_url("typicalcase", "delete", case.pk), {"post": "yes"}).status_code == 403
    assert TypicalCase.objects.exists()


def test_typical_cases_are_not_added_or_edited_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(admin_url("typicalcase", "add")).status_code == 403


def test_the_identity_log_is_read_only(client, admin_user, centre_staff, office_a):
    (complaint,) = many(1, office_a)
    services.complaint_view_identity(complaint_id=complaint.pk, actor=centre_staff)
    access = IdentityAccess.objects.get()
    client.force_login(admin_user)
    assert client.get(admin_url("identityaccess", "add")).status_code == 403
    assert client.get(admin_url("identityaccess", "delete", access.pk)).status_code == 403
    assert client.post(admin_url("identityaccess", "change", access.pk), {"purpose": "x"}).status_code == 403


# --- Open311 keys ------------------------------------------------------------------
def test_adding_a_key_in_the_admin_shows_it_once_and_stores_its_hash(client, admin_user):
    client.force_login(admin_user)
    response = client.post(admin_url("open311key", "add"), {"name": "12345 hotline", "_save": "Save"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (raw,) = re.findall(r"cp311_[0-9a-f]{8}_[-A-Za-z0-9_]+", response.content.decode())
    key = Open311Key.objects.get()
    assert key.name == "12345 hotline" and key.key_hash == hash_key(raw)
    assert key_check(raw) == key
    # The key's own page shows its prefix, never the plaintext nor the hash.
    page = client.get(admin_url("open311key", "change", key.pk)).content.decode()
    assert key.prefix in page and raw not in page and key.key_hash not in page
    assert raw not in client.get(admin_url("open311key")).content.decode()


def test_the_admin_revokes_selected_keys(client, admin_user):
    first, _ = key_create(name="system one")
    second, _ = key_create(name="system two")
    client.force_login(admin_user)
    response = client.post(admin_url("open311key"), {"action": "revoke", "_selected_action": [first.pk]}, follow=True)
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None


def test_keys_are_revoked_not_deleted(client, admin_user):
    key, _ = key_create(name="system one")
    client.force_login(admin_user)
    assert client.get(admin_url("open311key", "delete", key.pk)).status_code == 403


def test_the_hash_cannot_be_edited_in_the_admin(client, admin_user):
    key, _ = key_create(name="system one")
    client.force_login(admin_user)
    response = client.post(
        admin_url("open311key", "change", key.pk),
        {"name": "renamed", "key_hash": "0" * 64, "prefix": "ffffffff", "_save": "Save"},
    )
    assert response.status_code == 302
    after = Open311Key.objects.get()
    assert after.name == "renamed"
    assert (after.key_hash, after.prefix) == (key.key_hash, key.prefix)
