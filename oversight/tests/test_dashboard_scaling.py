"""The dashboards' work per office: rendering the scorecard must not grow in templates or
URL reversals with the number of offices (300 offices × 17 columns of `{% include %}` and
`reverse()` per cell made the campaign dashboard take seconds)."""

import pytest
from django.urls import reverse
from django.urls.resolvers import URLResolver

from campaigns.tests.factories import OfficeFactory, TaskFactory
from evaluations.selectors import result_url
from oversight.tests.factories import complaint_about
from oversight.tests.test_dashboard import URL, _offices_with_everything

pytestmark = pytest.mark.django_db
OFFICE_URL = "oversight-staff:office-dashboard"


@pytest.fixture
def count_reversals(monkeypatch):
    """Counts URL reversals however they are asked for (`reverse()`, `{% url %}`)."""
    calls = []
    original = URLResolver._reverse_with_prefix

    def counting(self, lookup_view, _prefix, *args, **kwargs):
        calls.append(lookup_view)
        return original(self, lookup_view, _prefix, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", counting)
    return calls


def _measure(client, url, count_reversals):
    client.get(url)  # caches warmed, as on a running site
    count_reversals.clear()
    response = client.get(url)
    assert response.status_code == 200
    return len(response.templates), len(count_reversals), response


@pytest.mark.parametrize("viewer", ["coordinator", "supervisor"])
def test_dashboard_templates_and_reversals_do_not_grow_with_offices(
    client, request, phase, coordinator, count_reversals, viewer
):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    offices = _offices_with_everything(phase, 5, coordinator)
    templates_5, reversals_5, response = _measure(client, reverse(URL), count_reversals)
    assert len(response.context["table_rows"]) == 5
    _offices_with_everything(phase, 45, coordinator)
    templates_50, reversals_50, response = _measure(client, reverse(URL), count_reversals)
    assert len(response.context["table_rows"]) == 50
    assert templates_50 == templates_5
    assert reversals_50 == reversals_5, sorted(set(count_reversals))
    # Every office still has its figures and links.
    html = response.content.decode()
    for office in offices:
        assert f'data-testid="row-{office.pk}"' in html
        assert f'data-testid="cell-{office.pk}-deliverables-overdue"' in html


def test_office_dashboard_reversals_do_not_grow_with_offices(client, phase, coordinator, count_reversals):
    offices = _offices_with_everything(phase, 5, coordinator)
    client.force_login(coordinator)
    url = f"{reverse(OFFICE_URL)}?office={offices[0].pk}"
    before = _measure(client, url, count_reversals)[:2]
    for _ in range(45):
        TaskFactory(phase=phase, lead=OfficeFactory())
    assert _measure(client, url, count_reversals)[:2] == before


def test_scorecard_links_are_the_ones_each_list_answers_to(client, phase, coordinator):
    offices = _offices_with_everything(phase, 3, coordinator)
    client.force_login(coordinator)
    response = client.get(reverse(URL))
    html = response.content.decode()
    office = offices[0]
    row, cells = next((row, cells) for row, cells in response.context["table_rows"] if row.office_id == office.pk)
    hrefs = {cell.key: cell.href for cell in cells}
    assert hrefs["appraisal-rank"] == result_url(survey_id=row.appraisal.survey_id, office_id=office.pk)
    assert hrefs["commitments-verified"] == (
        f"{reverse('rectification-staff:commitments')}?office={office.pk}&status=verified"
    )
    assert hrefs["commitments-overdue"] == f"{reverse('rectification-staff:commitments')}?office={office.pk}&overdue=on"
    assert hrefs["deliverables-accepted"] == f"{reverse('oversight-staff:deliverables')}?office={office.pk}"
    assert hrefs["tasks-done"] == f"{reverse('staff:tasks')}?office={office.pk}&state=done"
    assert f'<a href="{reverse(OFFICE_URL)}?office={office.pk}">{office.name}</a>' in html


def test_office_staff_see_links_only_for_their_own_office(client, staff_a, office_a, phase):
    TaskFactory(phase=phase, lead=office_a)
    complaint_about(office_a)
    client.force_login(staff_a)
    response = client.get(reverse(OFFICE_URL))
    ((_row, cells),) = response.context["table_rows"]
    hrefs = {cell.key: cell.href for cell in cells}
    assert hrefs["tasks-total"] == reverse("staff:tasks")
    assert hrefs["complaints-received"] is None  # never complaints about one's own office
    assert hrefs["deliverables-accepted"] == reverse("oversight-staff:deliverables-mine")


def test_the_scorecard_escapes_what_it_shows(client, coordinator, phase):
    office = OfficeFactory(name='<b>"East" & West</b>')
    TaskFactory(phase=phase, lead=office)
    client.force_login(coordinator)
    html = client.get(reverse(URL)).content.decode()
    assert "<b>&quot;East&quot; &amp; West</b>" not in html
    assert "&lt;b&gt;&quot;East&quot; &amp; West&lt;/b&gt;</a></th>" in html
    assert 'title="Done tasks completed (local date) on or before the task&#x27;s deadline.">' in html
