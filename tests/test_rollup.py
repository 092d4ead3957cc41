"""The dashboard read at a level of government (oversight/selectors/rollup.py): the
city sees each district as one row and opens it; every count adds up exactly across
the levels; another level's node is 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from campaigns import demo as campaign_demo
from oversight.selectors.figures import Figures, add_figures
from oversight.selectors.rollup import LevelRow
from tests.test_levels import _world, world  # noqa: F401 (the demo, loaded once for the module)

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight-staff:dashboard")


def read(user, **query):
    client = Client()
    client.force_login(user)
    return client.get(DASHBOARD, query)


def counts(row) -> dict:
    return {key: value.as_dict() for key, value in row.figures.items() if isinstance(value, Figures)}


def add(rows, like) -> dict:
    """The sum of ``rows``' counts, family by family (those of the row ``like``: zeros for no rows)."""
    families = {key: type(value) for key, value in like.figures.items() if isinstance(value, Figures)}
    return {key: add_figures((r.figures[key] for r in rows), empty()).as_dict() for key, empty in families.items()}


def test_the_city_reads_each_district_as_one_row_and_the_counts_add_up(world):  # noqa: F811
    city = world["users"]["city"]
    flat = read(city).context["card"].rows
    response = read(city, view="levels")
    assert response.status_code == 200
    levels = response.context["levels"]
    groups = {row.office_name: row for row in levels.card.rows if isinstance(row, LevelRow)}
    assert set(groups) == {campaign_demo.ZONE, campaign_demo.HUIYANG}
    # The whole city: the totals row is the sum of every office's row.
    assert counts(levels.total) == add(flat, levels.total)
    # Each district's row is the sum of its offices' rows, no office counted twice.
    paths = {o.pk: o.path for o in world["offices"].values()}
    for name, row in groups.items():
        district = world["offices"][name]
        under = [r for r in flat if paths[r.office_id].startswith(district.path)]
        assert row.offices == len(under) and counts(row) == add(under, row), name
    assert sum(r.offices if isinstance(r, LevelRow) else 1 for r in levels.card.rows) == len(flat)
    # The district's rows, opened, add up to its row at the city.
    zone = world["offices"][campaign_demo.ZONE]
    opened = read(city, view="levels", node=zone.pk).context["levels"]
    assert counts(opened.total) == counts(groups[campaign_demo.ZONE])
    assert [o.name for o in opened.trail] == [campaign_demo.CITY, campaign_demo.ZONE]
    body = read(city, view="levels").content.decode()
    assert f'href="{DASHBOARD}?view=levels&amp;node={zone.pk}" data-testid="open-level-{zone.pk}"' in body


def test_a_district_reads_its_townships_as_rows_and_not_the_other_district(world):  # noqa: F811
    huiyang_user = world["users"]["huiyang"]
    levels = read(huiyang_user, view="levels").context["levels"]
    names = {row.office_name for row in levels.card.rows if isinstance(row, LevelRow)}
    assert names == {campaign_demo.DANSHUI, campaign_demo.QIUCHANG}  # a township with no figures still has its row
    assert [o.name for o in levels.trail] == [campaign_demo.HUIYANG]
    zone = world["offices"][campaign_demo.ZONE]
    assert read(huiyang_user, view="levels", node=zone.pk).status_code == 404
    department = world["offices"][campaign_demo.HUIYANG_OFFICE]
    assert read(huiyang_user, view="levels", node=department.pk).status_code == 404  # not a level
    assert read(huiyang_user, view="levels", node="x").status_code == 404


def test_the_sort_links_keep_the_level_read(world):  # noqa: F811
    zone = world["offices"][campaign_demo.ZONE]
    body = read(world["users"]["city"], view="levels", node=zone.pk).content.decode()
    assert f'href="?sort=tasks-total&amp;view=levels&amp;node={zone.pk}"' in body


def test_the_scorecard_ledger_names_each_office_s_level_and_adds_up_to_the_dashboard(world):  # noqa: F811
    from oversight.tests.test_exports import _export, _sheet

    city = world["users"]["city"]
    client = Client()
    client.force_login(city)
    sheet = list(_sheet(_export(client, "scorecard")).values)
    assert sheet[0][:3] == ("Office", "Level of government", "Tasks")
    by_level: dict[str, int] = {}
    for row in sheet[1:]:
        by_level[row[1]] = by_level.get(row[1], 0) + row[2]
    levels = read(city, view="levels").context["levels"]
    for row in levels.card.rows:
        if isinstance(row, LevelRow):
            # The district's tasks: its own offices' and its streets' (whose level is the street).
            district = world["offices"][row.office_name]
            names = {o.name for o in world["offices"].values() if o.is_level and o.path.startswith(district.path)}
            assert sum(n for name, n in by_level.items() if name in names) == row.tasks.total, row.office_name
