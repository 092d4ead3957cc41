"""Records written through services are read in the admin, never written there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from campaigns.models import AuditEvent
from kernel.admin import ReadOnlyAdmin, ReadOnlyAdminMixin, ReadOnlyInline

pytestmark = pytest.mark.django_db


def test_a_read_only_admin_refuses_even_a_superuser_to_add_change_or_delete(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    model_admin = ReadOnlyAdmin(AuditEvent, admin.site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_a_read_only_inline_offers_no_empty_rows_and_no_delete_boxes(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user

    class EventInline(ReadOnlyInline):
        model = AuditEvent

    inline = EventInline(AuditEvent, admin.site)
    assert inline.extra == 0 and not inline.can_delete
    assert not inline.has_add_permission(request, None) and not inline.has_change_permission(request, None)


def test_the_apps_read_only_admins_are_the_kernels(client, admin_user):
    read_only = {type(a).__name__ for a in admin.site._registry.values() if isinstance(a, ReadOnlyAdminMixin)}
    assert {"AuditEventAdmin", "NotificationAdmin", "ComplaintAdmin", "SubmissionAdmin", "PlanAdmin"} <= read_only
    client.force_login(admin_user)
    assert client.get(reverse("admin:campaigns_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:campaigns_auditevent_changelist")).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_calendar_day_changelist_query_budget(client, admin_user, n, django_assert_num_queries):
    import datetime as dt

    from kernel.models import CalendarDay

    first = dt.date(2027, 1, 4)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=first + dt.timedelta(days=7 * i), kind="holiday", name=f"假日{i}") for i in range(n)
    )
    client.force_login(admin_user)
    client.get(reverse("admin:kernel_calendarday_changelist"))  # the header's current campaign, cached
    # 7 queries: session, user, the paginator's count and the full count, the page, the date hierarchy's first and
    # last date, and its years
    with django_assert_num_queries(7):
        response = client.get(reverse("admin:kernel_calendarday_changelist"))
    assert response.status_code == 200 and response.context["cl"].result_count == n
