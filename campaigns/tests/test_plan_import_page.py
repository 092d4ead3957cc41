"""/staff/plan/import/: preview first (nothing stored), the campaign office chooses the
office each unmatched name means and the phases' dates, then one import; the new
campaign is on its home."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Campaign, Phase, Task
from campaigns.roles import Role
from campaigns.tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("staff:plan-import")
SEED_000 = Path(__file__).resolve().parent.parent / "planning" / "plans" / "seed_000.txt"


def _post(client, **extra):
    data = {"text": SEED_000.read_text(encoding="utf-8"), "year": "2026", "new_campaign_name": "2026年效能建设"}
    data.update(extra)
    return client.post(URL, data)


def test_only_the_campaign_office_opens_the_import(client, zone, planner):
    assert client.get(URL).status_code == 302  # to the login
    client.force_login(UserFactory(office=zone["党办"], role=Role.OFFICE_STAFF))
    assert client.get(URL).status_code == 403
    assert _post(client, preview="1").status_code == 403
    client.force_login(planner)
    assert client.get(URL).status_code == 200
    assert not Campaign.objects.exists()


def test_the_preview_shows_what_was_read_and_stores_nothing(client, planner):
    client.force_login(planner)
    response = _post(client, preview="1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "動員部署階段" in html and "召開動員大會" in html
    assert "<strong>党委办公室</strong>" in html  # matched across scripts, named as in the directory
    assert 'data-testid="unmatched-badge">辦公室?' in html
    assert response.context["corrections"].unmatched == ["辦公室"]
    assert response.context["task_count"] == 11
    assert not Campaign.objects.exists() and not Task.objects.exists()


def test_importing_without_choosing_the_unmatched_office_is_refused_next_to_it(client, planner):
    client.force_login(planner)
    response = _post(client, **{"import": "1", "phase_0_start": "2026-09-01", "phase_0_end": "2026-09-30"})
    assert response.status_code == 400
    form = response.context["corrections"]
    assert "office_0" in form.errors
    summary = response.context["error_summary"]
    assert ("id_office_0", "辦公室") in [(anchor, what) for anchor, what, _m in summary]
    assert not Campaign.objects.exists() and not Phase.objects.exists()


def test_import_with_the_office_chosen_creates_the_campaign_and_shows_it_home(client, planner, zone):
    client.force_login(planner)
    dates = {
        "phase_0_start": "2026-09-01",
        "phase_0_end": "2026-09-30",
        "phase_1_start": "2026-10-01",
        "phase_1_end": "2026-11-30",
        "phase_2_start": "2026-12-01",
        "phase_2_end": "2026-12-31",
    }
    response = _post(client, **{"import": "1", "office_0": zone["管委办"].pk, **dates})
    assert response.status_code == 302 and response.url == reverse("staff:workspace")
    campaign = Campaign.objects.get()
    assert (campaign.name, campaign.status, campaign.phases.count()) == ("2026年效能建设", "draft", 3)
    assert Task.objects.get(phase__order=1, number=2).assignments.get().office == zone["管委办"]
    home = client.get(reverse("staff:workspace")).content.decode()
    assert "2026年效能建设" in home and reverse("admin:campaigns_campaign_change", args=[campaign.pk]) in home


def test_phase_dates_can_be_corrected_before_importing(client, planner, zone):
    client.force_login(planner)
    response = client.post(
        URL,
        {
            "text": "（一）学习阶段\n1. 组织学习（党办负责）\n",
            "year": "2026",
            "new_campaign_name": "学习",
            "import": "1",
            "phase_0_start": "2026-03-10",
            "phase_0_end": "2026-03-01",
        },
    )
    assert response.status_code == 400 and "phase_0_end" in response.context["corrections"].errors
    assert not Campaign.objects.exists()
    response = client.post(
        URL,
        {
            "text": "（一）学习阶段\n1. 组织学习（党办负责）\n",
            "year": "2026",
            "new_campaign_name": "学习",
            "import": "1",
            "phase_0_start": "2026-03-01",
            "phase_0_end": "2026-03-31",
        },
    )
    assert response.status_code == 302
    assert Phase.objects.get().end_date.isoformat() == "2026-03-31"


def test_an_empty_plan_and_a_broken_document_are_refused_next_to_their_fields(client, planner):
    client.force_login(planner)
    response = client.post(URL, {"text": "", "year": "2026", "preview": "1"})
    assert response.status_code == 400 and "text" in response.context["source"].errors
    from django.core.files.uploadedfile import SimpleUploadedFile

    broken = SimpleUploadedFile("plan.docx", b"PK\x03\x04 not a real docx")
    response = client.post(URL, {"document": broken, "year": "2026", "preview": "1"})
    assert response.status_code == 400 and "document" in response.context["source"].errors


def test_a_docx_upload_is_previewed_as_its_text(client, planner, tmp_path):
    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = docx.Document()
    for line in SEED_000.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)
    client.force_login(planner)
    response = client.post(
        URL, {"document": SimpleUploadedFile("plan.docx", path.read_bytes()), "year": "2026", "preview": "1"}
    )
    assert response.status_code == 200 and response.context["task_count"] == 11
    # The text read is in the form, to be corrected and previewed again.
    assert "召開動員大會" in response.context["source"]["text"].value()


@pytest.mark.parametrize("n", [5, 50])
def test_the_planning_panel_costs_the_same_with_many_campaigns(client, planner, zone, n):
    client.force_login(planner)
    CampaignFactory(office=zone["zone"])  # campaigns of the planner's own level
    client.get(reverse("staff:workspace"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("staff:workspace"))
    CampaignFactory.create_batch(n, office=zone["zone"])
    client.get(reverse("staff:workspace"))  # saving a campaign empties the header's cached summary
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("staff:workspace"))
    # One query for the panel whatever the number of campaigns; five listed.
    assert len(many) == len(one)
    assert response.content.decode().count('data-testid="planning-campaign"') == 5
