"""The workflow steps posted from the staff detail page: each one goes through
its service, forged posts are refused and change nothing, bad input comes back
next to the field with nothing saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import AccountabilityCase, Callback, Complaint, TypicalCase
from complaints.tests.factories import submit, walk_to

pytestmark = pytest.mark.django_db
Status = Complaint.Status
REPLY = {"findings": "查明属实。", "measures": "已批评教育。", "reply": "经核查，已责令整改。", "substantiated": "yes"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _url(name, complaint):
    return reverse(f"complaints-staff:{name}", args=[complaint.pk])


def _snapshot(complaint):
    complaint = Complaint.objects.get(pk=complaint.pk)
    return (
        complaint.status,
        complaint.handling_office_id,
        complaint.pending_transfer_to_id,
        complaint.paused_since,
        complaint.events.count(),
        AccountabilityCase.objects.count(),
        Callback.objects.count(),
        TypicalCase.objects.count(),
    )


def _closed(office_a, office_b, centre_staff, staff_b, *, code="attitude"):
    complaint, _code = submit(office=office_a, anonymous=True, code=code)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    return services.complaint_close(complaint_id=complaint.pk, actor=centre_staff)


# --- Forged posts ---------------------------------------------------------------------------
def test_office_staff_forging_an_accept_get_403_and_nothing_changes(client, office_a, office_b, centre_staff, staff_b):
    asked, _code = submit(office=office_a)
    services.complaint_accept(complaint_id=asked.pk, actor=centre_staff)
    services.complaint_transfer_request(complaint_id=asked.pk, actor=centre_staff, to_office=office_b)
    handled = walk_to(
        "assigned",
        submit(office=office_a, description="另一件投诉，内容足够长。")[0],
        centre=centre_staff,
        handler=staff_b,
        handling_office=office_b,
    )
    client.force_login(staff_b)
    for complaint in (asked, handled):
        before = _snapshot(complaint)
        assert client.post(_url("accept", complaint)).status_code == 403
        assert client.post(_url("not-accept", complaint), {"reason": "伪造"}).status_code == 403
        assert client.post(_url("close", complaint)).status_code == 403
        assert _snapshot(complaint) == before


@pytest.mark.parametrize(
    "name, data",
    [
        ("reply", REPLY),
        ("start", {}),
        ("request-info", {"question": "请补充。"}),
        ("transfer", {"note": ""}),
        ("transfer-accept", {}),
        ("transfer-refuse", {"reason": "不是我们的事。"}),
    ],
)
def test_the_centre_cannot_do_the_handling_offices_steps(client, office_a, office_b, centre_staff, staff_b, name, data):
    complaint = walk_to(
        "investigating", submit(office=office_a)[0], centre=centre_staff, handler=staff_b, handling_office=office_b
    )
    if name == "transfer":
        data = {"office": office_b.pk}  # refused by the form (already handles it) or the service
    before = _snapshot(complaint)
    client.force_login(centre_staff)
    assert client.post(_url(name, complaint), data).status_code in (400, 403)
    assert _snapshot(complaint) == before


def test_a_transfer_forged_invalid_by_someone_not_allowed_is_403_not_a_form_error(
    client, office_a, office_b, coordinator
):
    complaint, _code = submit(office=office_a)
    client.force_login(coordinator)
    assert client.post(_url("not-accept", complaint), {"reason": ""}).status_code == 403
    assert client.post(_url("reply", complaint), {}).status_code == 403


def test_reply_on_a_registered_complaint_is_refused_with_a_message(client, office_a, centre_staff):
    complaint, _code = submit(office=office_a)
    before = _snapshot(complaint)
    client.force_login(centre_staff)
    response = client.post(_url("reply", complaint), REPLY)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This cannot be done while the complaint is “Registered”." in html
    assert 'data-testid="action-error"' in html and 'id="action-reply"' in html
    assert _snapshot(complaint) == before


def test_accepting_twice_is_refused_with_a_message(client, office_a, centre_staff):
    complaint, _code = submit(office=office_a)
    client.force_login(centre_staff)
    assert client.post(_url("accept", complaint)).status_code == 302
    response = client.post(_url("accept", complaint))
    assert response.status_code == 400 and "“Accepted”" in response.content.decode()


# --- Bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status, who, name, action, data, field",
    [
        ("registered", "centre_staff", "not-accept", "not_accept", {"reason": "  "}, "reason"),
        ("accepted", "centre_staff", "transfer", "transfer", {"office": ""}, "office"),
        ("accepted", "centre_staff", "transfer", "transfer", {"office": "office_a"}, "office"),
        ("pending", "staff_b", "transfer-refuse", "transfer_refuse", {"reason": ""}, "reason"),
        ("investigating", "staff_b", "request-info", "request_info", {"question": ""}, "question"),
        ("investigating", "staff_b", "reply", "reply", {**REPLY, "findings": ""}, "findings"),
        ("investigating", "staff_b", "reply", "reply", {**REPLY, "substantiated": ""}, "substantiated"),
        ("replied", "centre_staff", "callback", "callback", {"outcome": "很满意。"}, "called_on"),
        (
            "replied",
            "centre_staff",
            "callback",
            "callback",
            {"called_on": "2999-01-01", "outcome": "很满意。"},
            "called_on",
        ),
        ("replied", "centre_staff", "callback", "callback", {}, "__all__"),
        (
            "closed",
            "centre_staff",
            "publish",
            "publish",
            {"kind": "negative", "title": "标题", "summary": "太短"},
            "summary",
        ),
        (
            "closed",
            "centre_staff",
            "publish",
            "publish",
            {"kind": "", "title": "标题", "summary": "群众反映的问题已经解决，群众表示满意，特此通报。"},
            "kind",
        ),
    ],
)
def test_bad_input_comes_back_next_to_the_field_and_nothing_is_saved(
    client, office_a, office_b, centre_staff, staff_b, status, who, name, action, data, field, request
):
    if status == "closed":
        complaint = _closed(office_a, office_b, centre_staff, staff_b)
    else:
        complaint, _code = submit(office=office_a)
        if status == "pending":
            walk_to("accepted", complaint, centre=centre_staff)
            services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
        elif status != "registered":
            walk_to(status, complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    if data.get("office") == "office_a":
        data = {**data, "office": office_a.pk}
    before = _snapshot(complaint)
    client.force_login(request.getfixturevalue(who))
    response = client.post(_url(name, complaint), data)
    assert response.status_code == 400
    form = response.context["forms"][action]
    assert field in form.errors
    html = response.content.decode()
    if field != "__all__":
        # crispy puts the message right under the field it belongs to
        assert f'id="error_1_id_{action}_{field}"' in html
    assert str(form.errors[field][0]) in html
    assert _snapshot(complaint) == before


def test_closing_a_real_name_complaint_before_the_callback_is_refused_with_the_reason(
    client, office_a, office_b, centre_staff, staff_b
):
    complaint, _code = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    client.force_login(centre_staff)
    response = client.post(_url("close", complaint))
    assert response.status_code == 400
    assert "Record the callback to the real-name complainant" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.REPLIED


# --- Whole flows through the pages ---------------------------------------------------------
def test_transfer_then_accept_and_handle_to_the_end_through_the_pages(
    client, office_a, office_b, centre_staff, staff_b
):
    complaint, _code = submit(office=office_a)
    client.force_login(centre_staff)
    assert client.post(_url("accept", complaint)).status_code == 302
    form = client.get(_url("detail", complaint)).context["forms"]["transfer"]
    choices = set(form.fields["office"].queryset)
    assert office_b in choices and office_a not in choices  # never the office complained about
    assert client.post(_url("transfer", complaint), {"office": office_b.pk, "note": "请核查。"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.pending_transfer_to == office_b and complaint.handling_office is None

    client.force_login(staff_b)
    assert "transfer_accept" in client.get(_url("detail", complaint)).context["forms"]
    assert client.post(_url("transfer-accept", complaint)).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.handling_office, complaint.status) == (office_b, Status.ASSIGNED)
    assert client.post(_url("start", complaint)).status_code == 302
    assert client.post(_url("request-info", complaint), {"question": "请提供办理时间。"}).status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).is_paused
    services.complaint_add_info(complaint_id=complaint.pk, text="是上周一上午。")
    response = client.post(_url("reply", complaint), {**REPLY, "responsible_person": "李某"}, follow=True)
    assert "The reply was recorded" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED and complaint.substantiated is True
    assert AccountabilityCase.objects.get(complaint=complaint).person == "李某"

    services.complaint_rate(complaint_id=complaint.pk, rating="satisfied")
    client.force_login(centre_staff)
    today = timezone.localdate().isoformat()
    assert client.post(_url("callback", complaint), {"called_on": today, "outcome": "表示满意。"}).status_code == 302
    assert client.post(_url("close", complaint)).status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds[:4] == ["registered", "accepted", "transfer_requested", "transfer_accepted"]
    assert kinds[-2:] == ["callback", "closed"]


def test_a_refused_transfer_goes_back_and_the_refusing_office_no_longer_sees_it(
    client, office_a, office_b, centre_staff, staff_b
):
    complaint, _code = submit(office=office_a)
    walk_to("accepted", complaint, centre=centre_staff)
    services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre_staff, to_office=office_b)
    client.force_login(staff_b)
    response = client.post(_url("transfer-refuse", complaint), {"reason": "不属于我办职责。"})
    assert response.status_code == 302 and response["Location"] == reverse("complaints-staff:queue")
    complaint.refresh_from_db()
    assert complaint.pending_transfer_to is None and complaint.handling_office is None
    assert complaint.events.get(kind="transfer_refused").internal_note == "不属于我办职责。"
    assert client.get(_url("detail", complaint)).status_code == 404
    client.force_login(centre_staff)
    assert "不属于我办职责。" in client.get(_url("detail", complaint)).content.decode()


def test_not_accepting_records_the_reason(client, office_a, centre_staff):
    complaint, _code = submit(office=office_a)
    client.force_login(centre_staff)
    assert client.post(_url("not-accept", complaint), {"reason": "不属于受理范围。"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.NOT_ACCEPTED and complaint.not_accepted_reason == "不属于受理范围。"


def test_a_callback_can_record_why_there_was_none(client, office_a, office_b, centre_staff, staff_b):
    complaint, _code = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    client.force_login(centre_staff)
    assert client.post(_url("callback", complaint), {"no_callback_reason": "电话无人接听。"}).status_code == 302
    assert Callback.objects.get(complaint=complaint).no_callback_reason == "电话无人接听。"


def test_publishing_a_corruption_complaint_needs_the_explicit_checkbox(
    client, office_a, office_b, centre_staff, staff_b
):
    complaint = _closed(office_a, office_b, centre_staff, staff_b, code="corruption")
    data = {
        "kind": "negative",
        "title": "吃拿卡要问题通报",
        "summary": "群众反映某单位工作人员吃拿卡要，经查属实，已移送纪检部门处理。",
    }
    client.force_login(centre_staff)
    assert "allow_corruption" in client.get(_url("detail", complaint)).context["forms"]["publish"].fields
    response = client.post(_url("publish", complaint), data)
    assert response.status_code == 400
    assert "not published unless the centre decides so explicitly" in response.content.decode()
    assert not TypicalCase.objects.exists()
    assert client.post(_url("publish", complaint), {**data, "allow_corruption": "on"}).status_code == 302
    assert TypicalCase.objects.get().complaint == complaint
    assert Complaint.objects.get(pk=complaint.pk).publish_allowed
    assert "publish" not in client.get(_url("detail", complaint)).context["forms"]  # once only


def test_other_complaints_are_published_without_the_checkbox(client, office_a, office_b, centre_staff, staff_b):
    complaint = _closed(office_a, office_b, centre_staff, staff_b)
    client.force_login(centre_staff)
    assert "allow_corruption" not in client.get(_url("detail", complaint)).context["forms"]["publish"].fields
    data = {
        "kind": "positive",
        "title": "窗口整改到位",
        "summary": "群众反映窗口态度问题，经查属实，已整改到位，群众表示满意。",
        "allow_corruption": "on",
    }  # ignored: not a corruption complaint
    assert client.post(_url("publish", complaint), data).status_code == 302
    assert not Complaint.objects.get(pk=complaint.pk).publish_allowed
