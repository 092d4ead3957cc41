"""generate_scale_data: what it fills, the rules the data keeps, and when it refuses."""

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone, translation

from benchmarks.models import ScaleDataRun
from benchmarks.scale.guard import content_models
from benchmarks.scale.writer import copy_text
from campaigns.models import Office, User, rebuild_paths
from campaigns.tests.factories import OfficeFactory
from complaints.models import Complaint, ProblemType, TrackingCounter
from complaints.services import access_code_matches, complaint_submit
from evaluations.models import Ballot, RespondentGroup, Survey
from rectification.models import Commitment

SMALL = {"offices": 12, "complaints": 300, "commitments": 40, "ballots": 200}
PASSWORD = "bench-test-password"


@pytest.fixture(autouse=True)
def _english():
    """The command's messages are translated; these tests read the English ones."""
    with translation.override("en"):
        yield


def generate(**overrides):
    options = {**SMALL, "password": PASSWORD, "no_progress": True, **overrides}
    call_command("generate_scale_data", **options)
    return ScaleDataRun.objects.get().manifest


@pytest.fixture
def manifest(db):
    return generate()


def _snapshot():
    return list(
        Complaint.objects.order_by("pk").values_list(
            "tracking_number", "status", "office_id", "handling_office_id", "received_on", "channel"
        )
    )


def _content_counts():
    return {model._meta.label: model._base_manager.count() for model in content_models()}


# --- What it fills ------------------------------------------------------------------------------
def test_counts_match_the_parameters_and_the_manifest(manifest):
    assert Office.objects.count() == 12
    assert Complaint.objects.count() == 300
    assert Commitment.objects.count() == 40
    assert Ballot.objects.filter(survey_id=manifest["published_survey_id"]).count() == 200
    for label, count in manifest["counts"].items():
        model = apps.get_model(label)
        assert model._base_manager.count() == count, label


def test_offices_form_a_four_level_tree(manifest):
    parents = dict(Office.objects.values_list("pk", "parent_id"))

    def depth(pk):
        return 0 if parents[pk] is None else 1 + depth(parents[pk])

    depths = {depth(pk) for pk in parents}
    assert depths == {0, 1, 2, 3}  # the city, its districts, their townships, the townships' offices
    assert Office.objects.filter(parent=None).count() == 1
    levels = set(Office.objects.values_list("level", flat=True))
    assert levels >= {"city", "district", "township", "department", "section"}
    # The tree's materialised paths are written with the rows, as Office.save would write them.
    written = set(Office.objects.values_list("pk", "path", "level_path"))
    rebuild_paths()
    assert set(Office.objects.values_list("pk", "path", "level_path")) == written
    assert all(path for _pk, path, _level_path in written)


def test_every_complaint_status_and_channel_appears(manifest):
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Complaint.Status.values)
    assert set(Complaint.objects.values_list("channel", flat=True)) == set(Complaint.Channel.values)
    assert set(Commitment.objects.values_list("status", flat=True)) == set(Commitment.Status.values)


def test_no_complaint_is_handled_by_or_sent_to_the_office_it_is_about(manifest):
    handled = Complaint.objects.filter(handling_office__isnull=False, office__isnull=False)
    assert handled.count() > 50
    assert not handled.filter(handling_office=F("office")).exists()
    assert not Complaint.objects.filter(pending_transfer_to=F("office")).exists()


def test_complaint_steps_agree_with_the_status(manifest):
    today = timezone.localdate()
    assert not Complaint.objects.filter(complete_due__lt=F("accept_due")).exists()
    assert not Complaint.objects.filter(received_on__gt=today).exists()
    assert not Complaint.objects.filter(received_on__lt=today - timezone.timedelta(days=730)).exists()
    assert not Complaint.objects.filter(created_at__gt=timezone.now()).exists()
    assert not Complaint.objects.filter(status="registered", accepted_at__isnull=False).exists()
    assert not Complaint.objects.filter(status__in=["closed", "not_accepted"], closed_at__isnull=True).exists()
    replied = Complaint.objects.filter(status__in=["replied", "closed"])
    assert not replied.filter(replied_at__isnull=True).exists()
    assert not replied.filter(substantiated__isnull=True).exists()
    assert not replied.filter(replied_at__lt=F("accepted_at")).exists()
    assert not Complaint.objects.filter(status="closed", closed_at__lt=F("replied_at")).exists()
    # Every complaint has a timeline that starts with its registration.
    events = Complaint.objects.annotate(n=Count("events")).values_list("n", flat=True)
    assert min(events) >= 1 and max(events) <= 4
    assert not Complaint.objects.exclude(events__kind="registered").exists()


def test_tracking_numbers_are_unique_and_a_real_submission_gets_the_next_one(manifest):
    numbers = list(Complaint.objects.values_list("tracking_number", flat=True))
    assert len(numbers) == len(set(numbers))
    year = timezone.localdate().year
    this_year = Complaint.objects.filter(tracking_number__startswith=f"TS-{year}-").count()
    assert TrackingCounter.objects.get(year=year).last == this_year

    result = complaint_submit(
        problem_type=ProblemType.objects.first(),
        description="窗口工作人员态度生硬，拒绝解释办事要求。",
        is_anonymous=True,
    )

    assert result.complaint.tracking_number == f"TS-{year}-{this_year + 1:06d}"
    assert result.complaint.tracking_number not in numbers


# --- Pages the benchmark drives -----------------------------------------------------------------
def test_bench_users_see_their_pages(client, manifest):
    pk = manifest["complaint_visible_to_office_and_centre"]
    for username in ("bench-office", "bench-centre"):
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD)
        client.force_login(user)
        assert client.get(reverse("complaints-staff:queue")).status_code == 200
        assert client.get(reverse("complaints-staff:detail", args=[pk])).status_code == 200
        client.logout()


def test_the_published_results_page_renders(client, manifest):
    survey = Survey.objects.get(pk=manifest["published_survey_id"])
    assert survey.status == Survey.Status.PUBLISHED
    assert sum(RespondentGroup.objects.filter(survey=survey).values_list("weight", flat=True)) == 100
    response = client.get(reverse("evaluations:results", args=[survey.pk]))
    assert response.status_code == 200
    assert Office.objects.get(pk=manifest["bench_office_id"]).name in response.content.decode()
    assert Survey.objects.filter(status=Survey.Status.OPEN).exists()


# --- When it refuses ----------------------------------------------------------------------------
def test_a_freshly_migrated_database_counts_as_empty(db):
    # What migrations and post_migrate put there (problem types, reminder rules) is no real data.
    assert ProblemType.objects.exists()
    assert not any(_content_counts().values())
    generate()
    assert ScaleDataRun.objects.get().is_complete


def test_refuses_a_database_with_a_real_office_and_writes_nothing(db):
    OfficeFactory(name="真实的单位")
    before = _content_counts()

    with pytest.raises(CommandError, match="real data"):
        generate()

    assert _content_counts() == before
    assert not ScaleDataRun.objects.exists()


def test_refuses_a_database_with_the_demo_data(db):
    call_command("load_demo")
    before = _content_counts()

    with pytest.raises(CommandError, match="real data"):
        generate()

    assert _content_counts() == before
    assert not ScaleDataRun.objects.exists()


def test_a_second_run_needs_replace_and_then_starts_afresh(db):
    generate()
    before = _snapshot()

    with pytest.raises(CommandError, match="--replace"):
        generate(complaints=120)
    assert _snapshot() == before

    generate(complaints=120, replace=True)
    assert Complaint.objects.count() == 120
    assert Office.objects.count() == 12
    assert ScaleDataRun.objects.count() == 1
    assert User.objects.filter(username="bench-office").count() == 1


# --- The manifest and the seed ------------------------------------------------------------------
def test_the_manifest_names_what_the_harness_needs(db, tmp_path):
    path = tmp_path / "manifest.json"
    stored = generate(manifest=str(path))
    manifest = json.loads(path.read_text(encoding="utf-8"))

    assert manifest == stored
    assert manifest["seed"] == 2026 and manifest["password"] == PASSWORD
    complaint = Complaint.objects.get(tracking_number=manifest["tracking"]["tracking_number"])
    assert access_code_matches(complaint, manifest["tracking"]["access_code"])
    office_user = User.objects.get(username=manifest["users"]["office"])
    centre_user = User.objects.get(username=manifest["users"]["centre"])
    assert office_user.office_id == manifest["bench_office_id"]
    pk = manifest["complaint_visible_to_office_and_centre"]
    assert Complaint.objects.visible_to(office_user).filter(pk=pk).exists()
    assert Complaint.objects.visible_to(centre_user).filter(pk=pk).exists()
    assert Survey.objects.get(pk=manifest["published_survey_id"]).is_published
    assert manifest["counts"]["complaints.Complaint"] == 300
    assert manifest["duration_seconds"] >= 0


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    generate()
    first = _snapshot()
    generate(replace=True)
    assert _snapshot() == first
    generate(replace=True, seed=7)
    assert _snapshot() != first


def test_copy_format_escapes_what_would_break_a_row():
    assert copy_text(None) == r"\N"
    assert copy_text("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert copy_text(True) == "t" and copy_text(False) == "f"
    assert copy_text({"note": "行\n"}) == '{"note":"行\\\\n"}'
    assert copy_text(Complaint.Status.CLOSED) == "closed"


def test_the_help_renders():
    from benchmarks.management.commands.generate_scale_data import Command

    assert "--replace" in Command().create_parser("manage.py", "generate_scale_data").format_help()


def test_staff_per_office_gives_each_office_that_many_staff(db):
    generate(staff_per_office=3)
    from campaigns.models import User

    staff = User.objects.filter(groups__name="office_staff", username__startswith="bench-staff-")
    offices = Office.objects.count()
    assert staff.count() == 3 * offices
    assert set(staff.values_list("office_id", flat=True)) == set(Office.objects.values_list("pk", flat=True))
