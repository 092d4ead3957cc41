"""The pages that list every office render the same number of templates for 5 offices
as for 50: each option is written by kernel.widgets.FastSelect, not by a template
of its own (Django's Select renders two templates per option)."""

import pytest
from django.urls import reverse

from campaigns.models import Office
from campaigns.tests.factories import OfficeFactory
from complaints.tests.factories import submit, walk_to

pytestmark = pytest.mark.django_db


def _add_offices(n: int) -> None:
    """Half of them under a parent, so the public form's <optgroup>s grow too."""
    parent = Office.objects.filter(parent__isnull=True).first() or OfficeFactory()
    for i in range(n):
        OfficeFactory(parent=parent if i % 2 else None)


def _templates_and_options(client, url) -> tuple[int, int]:
    response = client.get(url)
    assert response.status_code == 200
    return len(response.templates), response.content.decode().count("<option")


def _assert_constant_templates(client, url) -> None:
    _add_offices(5)
    templates_5, options_5 = _templates_and_options(client, url)
    _add_offices(45)
    templates_50, options_50 = _templates_and_options(client, url)
    assert options_50 > options_5  # the new offices are listed...
    assert templates_50 == templates_5  # ...without a template render each


def test_staff_queue(client, centre_staff, office_a):
    submit(office=office_a)
    client.force_login(centre_staff)
    _assert_constant_templates(client, reverse("complaints-staff:queue"))


def test_staff_queue_filtered(client, centre_staff, office_a):
    submit(office=office_a)
    client.force_login(centre_staff)
    _assert_constant_templates(
        client, reverse("complaints-staff:queue") + f"?office={office_a.pk}&handling_office=none&sort=due"
    )


def test_public_complaint_form(client, office_a):
    _assert_constant_templates(client, reverse("complaints:new"))


def test_staff_complaint_form(client, centre_staff):
    client.force_login(centre_staff)
    _assert_constant_templates(client, reverse("complaints-staff:new"))


def test_detail_with_the_transfer_form(client, centre_staff, office_a):
    complaint = walk_to("accepted", submit(office=office_a)[0], centre=centre_staff)
    client.force_login(centre_staff)
    url = reverse("complaints-staff:detail", args=[complaint.pk])
    assert 'name="office"' in client.get(url).content.decode()  # the transfer form is offered
    _assert_constant_templates(client, url)


def test_accountability_cases(client, centre_staff):
    client.force_login(centre_staff)
    _assert_constant_templates(client, reverse("complaints-staff:cases"))
