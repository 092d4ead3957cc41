"""The results pages stay fast with hundreds of appraised offices: the rows are drawn
without a template per office (see evaluations/tables.py), and drawn exactly as the
templates did, escaped."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize

from campaigns.tests.factories import OfficeFactory
from evaluations.models import Survey
from evaluations.tables import Numbers
from evaluations.tests.factories import cast_counts, make_survey

pytestmark = pytest.mark.django_db


def _survey(campaign, n, **fields):
    offices = [OfficeFactory() for _ in range(n)]
    survey = make_survey(campaign, offices, **fields)
    for g in survey.groups.all():
        cast_counts(survey, g, dict.fromkeys(offices, (3, 2, 1, 1)))
    return survey


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


def test_results_page_renders_a_fixed_number_of_templates_whatever_the_offices(client, campaign):
    rendered = {}
    for n in (5, 50):
        survey = _survey(campaign, n, status=Survey.Status.PUBLISHED)
        response = client.get(reverse("evaluations:results", args=[survey.pk]))
        assert response.status_code == 200 and response.content.decode().count('data-office="') == n
        rendered[n] = _templates(response)
    assert rendered[5] == rendered[50]
    assert len(rendered[50]) < 25


def test_staff_results_page_renders_a_fixed_number_of_templates_whatever_the_offices(client, campaign, coordinator):
    client.force_login(coordinator)
    rendered = {}
    for n in (5, 50):
        survey = _survey(campaign, n)
        response = client.get(reverse("evaluations-staff:results", args=[survey.pk]))
        assert response.status_code == 200 and response.content.decode().count('data-office="') == n
        rendered[n] = _templates(response)
    assert rendered[5] == rendered[50]


def test_office_and_group_names_are_escaped_in_every_table_and_the_chart(client, campaign, coordinator):
    office = OfficeFactory(name='<b>"Bureau" & co</b>')
    survey = make_survey(campaign, [office], groups=(("<i>群众</i>", 100),), status=Survey.Status.PUBLISHED)
    cast_counts(survey, survey.groups.get(), {office: (9, 1, 0, 0)})
    client.force_login(coordinator)
    for url in (
        reverse("evaluations:results", args=[survey.pk]),
        reverse("evaluations-staff:results", args=[survey.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<b>" not in page and "<i>群众" not in page
        # ranking, breakdown caption and heading or summary, chart bar title: all escaped
        assert page.count("&lt;b&gt;&quot;Bureau&quot; &amp; co&lt;/b&gt;") >= 4
        assert "&lt;i&gt;群众&lt;/i&gt;" in page


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("thousands", [False, True])
def test_numbers_in_the_tables_read_as_the_templates_wrote_them(language, thousands):
    values = [
        0,
        7,
        1234567,
        Decimal("0.00"),
        Decimal("85.50"),
        Decimal("100.00"),
        Decimal("-0.50"),
        Decimal("12345.67"),
        None,
        2.5,
    ]
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=thousands):
        numbers = Numbers()
        assert [numbers(v) for v in values] == [str(localize(v)) for v in values]
