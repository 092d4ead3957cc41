import pytest
from django.core.management import call_command
from django.urls import reverse

from rectification.models import (
    Commitment,
    LookBack,
    Plan,
    ProgressUpdate,
    PublicComment,
    Rating,
    RectificationSettings,
)

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Plan, Commitment, ProgressUpdate, Rating, PublicComment, LookBack))


def test_the_demo_has_plans_and_commitments_in_every_status_and_loads_once(capsys):
    call_command("load_demo")
    assert set(Plan.objects.values_list("status", flat=True)) == set(Plan.Status.values)
    assert set(Commitment.objects.values_list("status", flat=True)) == set(Commitment.Status.values)
    assert Plan.objects.values("office").distinct().count() >= 4
    assert set(Commitment.objects.values_list("handling", flat=True)) == set(Commitment.Handling.values)
    assert set(Commitment.objects.values_list("scope", flat=True)) == set(Commitment.Scope.values)
    assert set(PublicComment.objects.values_list("state", flat=True)) == {"held", "published"}
    assert PublicComment.objects.filter(has_link=True).exists()
    assert Commitment.objects.filter(revisions__isnull=False).exists()
    cfg = RectificationSettings.objects.get()
    assert cfg.rectification_phase is not None
    queue = Commitment.objects.for_lookback(
        min_ratings=cfg.lookback_min_ratings, dissatisfied_share=cfg.lookback_dissatisfied_share
    )
    assert queue.count() >= 2  # one by the public's ratings, one by a supervisor's flag
    counts = _counts()
    call_command("load_demo")
    assert _counts() == counts
    assert "rectification" in capsys.readouterr().out


def test_the_demo_history_is_dated_on_its_days(client):
    call_command("load_demo")
    assert ProgressUpdate.objects.values("created_at__date").distinct().count() > 5
    assert Rating.objects.values("created_at__date").distinct().count() > 3
    assert client.get(reverse("rectification:board")).status_code == 200


def test_the_demos_reopened_commitment_opens_for_the_campaign_office_and_its_office(client):
    """The staff page of a commitment reopened by a look-back names the look-back's
    reason (it was a 500: the template took ``|last`` of a queryset)."""
    from campaigns.models import User

    call_command("load_demo")
    reopened = Commitment.objects.get(status=Commitment.Status.REOPENED)
    lookback = LookBack.objects.filter(commitment=reopened).order_by("number").last()
    office_staff = User.objects.filter(office=reopened.responsible_office, is_active=True).first()

    for user in (User.objects.get(username="coordinator"), office_staff):
        client.force_login(user)
        response = client.get(reverse("rectification-staff:commitment-detail", args=[reopened.pk]))

        assert response.status_code == 200
        assert response.context["last_lookback"] == lookback
        assert lookback.reason in response.content.decode()
