"""Accountability cases (责任追究): the list for the centre and readers, its
filters and export, and the centre's decision."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaints import services
from complaints.models import AccountabilityCase
from complaints.tests.factories import submit, walk_to

pytestmark = pytest.mark.django_db
CASES = reverse("complaints-staff:cases")
EXPORT = reverse("complaints-staff:cases-export")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _overdue_cases(n, office, *, received_by=None):
    """``n`` complaints left unaccepted past their limit: the sweep opens one case each,
    against the office that first received it (none for the public web form)."""
    extra = {"channel": "hotline", "actor": received_by} if received_by else {}
    complaints = [
        submit(office=office, description=f"第{i}件超期投诉，内容足够长。", ip=f"198.51.100.{i % 250}", **extra)[0]
        for i in range(n)
    ]
    services.complaints_sweep(today=complaints[0].accept_due + dt.timedelta(days=1))
    return complaints


def _decide(url, client, **data):
    return client.post(url, {"decision": "criticism", "reasoning": "超期未受理。", "person": "", **data})


def _numbers(response):
    return [case.complaint.tracking_number for case in response.context["rows"]]


def test_the_centre_and_readers_see_the_cases_and_others_are_refused(
    client, office_a, centre_staff, coordinator, staff_a, staff_b
):
    (complaint,) = _overdue_cases(1, office_a)
    for user in (centre_staff, coordinator):
        client.force_login(user)
        assert _numbers(client.get(CASES)) == [complaint.tracking_number]
    for user in (staff_a, staff_b):
        client.force_login(user)
        assert client.get(CASES).status_code == 403
        assert client.get(EXPORT).status_code == 403


def test_cases_about_the_centres_own_office_are_not_listed_to_it(client, centre_office, centre_staff, coordinator):
    (complaint,) = _overdue_cases(1, centre_office)
    client.force_login(centre_staff)
    assert _numbers(client.get(CASES)) == []
    client.force_login(coordinator)
    assert _numbers(client.get(CASES)) == [complaint.tracking_number]


def test_filters_by_decision_reason_and_office(client, office_a, office_b, centre_staff, staff_a):
    # taken by phone in office A and left unaccepted: the cases are against office A (首问负责)
    late_a, late_a2 = _overdue_cases(2, office_b, received_by=staff_a)
    substantiated = walk_to(
        "replied",
        submit(office=office_b, description="被证实的投诉，内容足够长。")[0],
        centre=centre_staff,
        handler=staff_a,
        handling_office=office_a,
        substantiated=True,
    )
    decided = AccountabilityCase.objects.get(complaint=late_a2)
    services.case_decide(case_id=decided.pk, actor=centre_staff, decision="no_action", reasoning="情有可原。")
    client.force_login(centre_staff)
    assert set(_numbers(client.get(CASES, {"state": "pending"}))) == {
        late_a.tracking_number,
        substantiated.tracking_number,
    }
    assert _numbers(client.get(CASES, {"state": "decided"})) == [late_a2.tracking_number]
    assert _numbers(client.get(CASES, {"reason": "substantiated"})) == [substantiated.tracking_number]
    assert set(_numbers(client.get(CASES, {"office": office_a.pk}))) == {
        late_a.tracking_number,
        late_a2.tracking_number,
    }
    assert _numbers(client.get(CASES))[-1] == late_a2.tracking_number  # pending cases first


def test_the_centre_decides_a_case_and_returns_to_the_same_filtered_list(client, office_a, centre_staff):
    _overdue_cases(1, office_a)
    case = AccountabilityCase.objects.get()
    client.force_login(centre_staff)
    assert "decide_form" in vars(client.get(CASES).context["rows"][0])
    url = reverse("complaints-staff:case-decide", args=[case.pk]) + "?state=pending&page=1"
    response = _decide(url, client, person="王某")
    assert response.status_code == 302 and response["Location"] == f"{CASES}?state=pending&page=1"
    case.refresh_from_db()
    assert (case.decision, case.reasoning, case.person, case.decided_by) == (
        "criticism",
        "超期未受理。",
        "王某",
        centre_staff,
    )
    assert client.get(CASES).context["rows"][0].decide_form is None  # decided: no second form


@pytest.mark.parametrize("data, field", [({"reasoning": "  "}, "reasoning"), ({"decision": "pending"}, "decision")])
def test_a_decision_with_bad_input_comes_back_next_to_the_field_and_nothing_is_saved(
    client, office_a, centre_staff, data, field
):
    _overdue_cases(1, office_a)
    case = AccountabilityCase.objects.get()
    client.force_login(centre_staff)
    response = _decide(reverse("complaints-staff:case-decide", args=[case.pk]), client, **data)
    assert response.status_code == 400
    assert field in response.context["failed"].errors
    assert f'id="error_1_id_case{case.pk}_{field}"' in response.content.decode()
    assert AccountabilityCase.objects.get().decision == "pending"


def test_readers_cannot_decide_and_other_offices_cannot_even_find_the_case(
    client, office_a, office_b, coordinator, staff_a, staff_b
):
    _overdue_cases(1, office_a)
    case = AccountabilityCase.objects.get()
    url = reverse("complaints-staff:case-decide", args=[case.pk])
    client.force_login(coordinator)
    assert client.get(CASES).context["rows"][0].decide_form is None
    assert _decide(url, client).status_code == 403
    assert _decide(url, client, reasoning="").status_code == 403
    for user in (staff_a, staff_b):  # the office complained about, and an office with nothing to do with it
        client.force_login(user)
        assert _decide(url, client).status_code == 404
    assert AccountabilityCase.objects.get().decision == "pending"


def test_the_export_holds_the_filtered_cases(client, office_a, office_b, centre_staff, staff_a):
    a_cases = _overdue_cases(2, office_b, received_by=staff_a)
    _overdue_cases(1, office_a)
    assert AccountabilityCase.objects.count() == 3
    client.force_login(centre_staff)
    response = client.get(EXPORT, {"office": office_a.pk})
    assert response["Content-Disposition"].startswith('attachment; filename="accountability-cases-')
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tracking number", "Reason", "Office")
    assert sorted(r[0] for r in rows[1:]) == sorted(c.tracking_number for c in a_cases)
    assert isinstance(rows[1][4], dt.datetime)  # opened on: a date cell


@pytest.mark.parametrize("n", [5, 50])
def test_cases_query_budget(client, office_a, centre_staff, n, django_assert_num_queries):
    _overdue_cases(n, office_a)
    client.force_login(centre_staff)
    # 9 queries: session, user, user permissions, group permissions, offices, count of accountabilitycase,
    # accountabilitycase (+complaint, problemtype, offices, user), current campaign, inbox badge
    with django_assert_num_queries(9):
        response = client.get(CASES)
    assert response.status_code == 200 and len(response.context["rows"]) == min(n, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_cases_export_query_budget(client, office_a, centre_staff, n, django_assert_num_queries):
    _overdue_cases(n, office_a)
    client.force_login(centre_staff)
    # 6 queries: session, user, user permissions, group permissions, offices, accountabilitycase (+complaint,
    # problemtype, offices, user)
    with django_assert_num_queries(6):
        response = client.get(EXPORT)
    assert len(list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows())) == n + 1
