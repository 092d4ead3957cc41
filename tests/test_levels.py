"""Levels of government (campaigns/scope.py): every staff URL that names a record,
walked with records of two branches of the office tree.

The demo's high-tech zone (高新区管委会) has records of every kind; the second
district, 惠阳区, gets a task, a complaint, a problem, a plan and a commitment of a
township's. Three users hold the campaign office's and the complaint centre's
roles at three nodes: the zone, 惠阳区 and the city above both. For every staff
URL pattern with an id, each record answers 404 to the other branch's user and
not 404 to its own branch's and to the city's (a GET, or for POST-only steps an
empty POST rolled back afterwards). A staff URL with an id that the tables below
do not name fails the test, so a new page cannot be added unscoped.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import time
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigns import demo as campaign_demo
from campaigns import scope
from campaigns.models import Office, Task, TaskAssignment, TaskReport
from campaigns.roles import Role
from campaigns.services import task_report_create
from campaigns.tests.factories import TaskFactory, UserFactory
from complaints.models import AccountabilityCase, Complaint, ComplaintAttachment
from complaints.tests.factories import submit
from oversight.models import Deliverable, LevelReport, Submission
from oversight.services.reports import level_report_send
from rectification.models import Commitment, Evidence, Plan, Problem, PublicComment
from rectification.services import complaints_to_record
from tests import shared_demo

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

#: Staff URLs whose records belong to a campaign rather than an office (surveys,
#: hearings, bulletins, disclosure items): scoped by the offices they concern or the
#: level they are written at, walked by test_campaign_bound_staff_urls_answer_404_...
CAMPAIGN_BOUND = {
    "oversight-staff:bulletin-detail",
    "oversight-staff:bulletin-edit",
    "oversight-staff:bulletin-publish",
    "oversight-staff:disclosure-detail",
    "oversight-staff:disclosure-publish",
    "oversight-staff:disclosure-discard",
}
CAMPAIGN_BOUND_NAMESPACES = {"evaluations-staff"}
#: A user's own records, whoever they are (their inbox, their exports): fetched by owner.
OWN = {"notifications:mark-read", "oversight-staff:export-download"}
#: Named by a key, not a record: a ledger, whose rows are the reader's reach (its own tests).
NOT_A_RECORD = {"oversight-staff:ledger-export"}
SKIPPED = CAMPAIGN_BOUND | OWN | NOT_A_RECORD


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The demo of every app and the three walkers, loaded once for a module's tests
    (ten seconds and six thousand queries each time) the way Django's
    ``setUpTestData`` does it: inside an atomic block in which each test's own
    transaction is a savepoint, rolled back when the module is done."""
    with (
        django_db_blocker.unblock(),
        override_settings(LANGUAGE_CODE="en"),
        time_machine.travel(NOON, tick=False),
        transaction.atomic(),
    ):
        started = time.time()
        summary = campaign_demo.load_demo(today=TODAY)
        from importlib import import_module

        for app in ("complaints", "rectification", "evaluations", "oversight"):
            import_module(f"{app}.demo").load_demo(users=summary["user_objects"], today=TODAY)
        offices = {o.name: o for o in Office.objects.all()}
        zone, huiyang, city = offices[campaign_demo.ZONE], offices[campaign_demo.HUIYANG], offices[campaign_demo.CITY]
        groups = Group.objects.filter(name__in=[Role.CAMPAIGN_OFFICE, Role.COMPLAINT_CENTRE])

        def walker(name, office):
            user = UserFactory(username=name, office=office)
            user.groups.set(groups)
            return user

        users = {
            "zone": walker("zone_all", zone),
            "huiyang": walker("huiyang_all", huiyang),
            "city": walker("city_all", city),
        }
        # The files the demo wrote (attachments, evidence, deliverables), copied into
        # each test's own MEDIA_ROOT (a temporary directory per test).
        files = shared_demo.files_written_since(started, Path(django_settings.MEDIA_ROOT))
        yield {
            "offices": offices,
            "users": users,
            "demo_users": summary["user_objects"],
            "zone": zone,
            "huiyang": huiyang,
            "_files": files,
        }
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, db, settings):
    """The demo as of NOON, 20 November 2026, in English; each test gets its own copy
    of the records' Python objects, and its changes to the database are rolled back."""
    settings.LANGUAGE_CODE = "en"
    shared_demo.put_files(_world["_files"], Path(settings.MEDIA_ROOT))
    with time_machine.travel(NOON, tick=False):
        yield copy.deepcopy({key: value for key, value in _world.items() if key != "_files"})


def staff_patterns() -> dict[str, str]:
    """Every named staff URL pattern with a path parameter: name -> route."""
    found = {}

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                route = prefix + str(p.pattern)
                if route.startswith("staff/") and "<" in route:
                    found[f"{namespace}:{p.name}" if namespace else p.name] = route

    walk(get_resolver().url_patterns, "", "")
    return found


def huiyang_records(world) -> dict:
    """A township of 惠阳区 with a task, a complaint, a problem, a plan and a commitment."""
    from rectification.tests.factories import add_commitment, record_problem, start_plan

    danshui = world["offices"][campaign_demo.DANSHUI]
    staff = world["demo_users"]["danshui"]
    task = Task.objects.filter(phase__campaign__is_current=True).first()
    township_task = cast(Task, TaskFactory(phase=task.phase, lead=danshui, title="街道窗口服务规范整改", number=99))
    report = task_report_create(
        task_id=township_task.pk,
        actor=staff,
        text="已完成窗口服务规范培训。",
        progress=50,
        attachment=SimpleUploadedFile("培训.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    complaint, _ = submit(office=danshui, description="街道窗口工作人员多次推诿，不予办理。")
    problem = record_problem(staff, danshui)
    plan = start_plan(staff)
    commitment = add_commitment(staff, plan, problems=[problem])
    return {
        "task": township_task,
        "assignment": township_task.assignments.get(),
        "report": report,
        "complaint": complaint,
        "problem": problem,
        "plan": plan,
        "commitment": commitment,
        "level_report": LevelReport.objects.filter(sender_level=world["huiyang"]).first(),  # the demo's
    }


def zone_records(world) -> dict:
    """One record of each kind from the zone's demo data, none about the walkers' own offices."""
    zone = world["zone"]
    in_zone = {"office__path__startswith": zone.path}
    task = (
        Task.objects.filter(assignments__office__name=campaign_demo.PARTY, phase__campaign__is_current=True)
        .exclude(status=Task.Status.DONE)
        .first()
    )
    reports = TaskReport.objects.filter(task__assignments__office__path__startswith=zone.path).exclude(attachment="")
    report = reports.first() or task_report_create(
        task_id=task.pk,
        actor=world["demo_users"]["party"],
        text="附件已上传。",
        progress=10,
        attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    complaint = Complaint.objects.filter(**in_zone).exclude(office=zone).order_by("pk").first()
    attachment = ComplaintAttachment.objects.filter(complaint__office__path__startswith=zone.path).first()
    if attachment is None:
        with_file, _ = submit(
            office=world["offices"]["党委办公室"],
            attachments=[SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        )
        attachment = with_file.attachments.get()
    commitment = Commitment.objects.filter(plan__office__path__startswith=zone.path).order_by("pk").first()
    deliverable = Deliverable.objects.filter(offices__path__startswith=zone.path).distinct().first()
    return {
        "task": task,
        "assignment": task.assignments.first(),
        "report": report,
        "complaint": complaint,
        "attachment": attachment,
        "case": AccountabilityCase.objects.filter(complaint__office__path__startswith=zone.path).first(),
        "problem": Problem.objects.filter(**in_zone).first(),
        "plan": Plan.objects.filter(**in_zone).first(),
        "commitment": commitment,
        "evidence": Evidence.objects.filter(update__commitment__plan__office__path__startswith=zone.path).first(),
        "comment": PublicComment.objects.filter(commitment__plan__office__path__startswith=zone.path).first(),
        "deliverable": deliverable,
        "deliverable_office": deliverable.offices.filter(path__startswith=zone.path).first() if deliverable else None,
        "submission": Submission.objects.filter(**in_zone).first(),
        "recordable": complaints_to_record(world["users"]["city"]).filter(**in_zone).first(),
        "level_report": level_report_send(
            actor=world["demo_users"]["coordinator"], campaign_id=task.phase.campaign_id, title="高新区报送"
        ),
    }


#: For each staff URL with an id: the record kind it names (and how its kwargs are made).
def kwargs_for(name: str, records: dict) -> dict | None:
    kind = {
        "staff:task-detail": "task",
        "staff:task-report": "task",
        "staff:task-complete": "task",
        "staff:task-reopen": "task",
        "staff:task-comment": "task",
        "staff:assignment-waive": "assignment",
        "staff:report-attachment": "report",
        "complaints-staff:attachment": "attachment",
        "complaints-staff:case-decide": "case",
        "rectification-staff:problem-detail": "problem",
        "rectification-staff:record-complaint": "recordable",
        "rectification-staff:evidence": "evidence",
        "rectification-staff:moderate": "comment",
        "oversight-staff:deliverable-upload": "deliverable",
        "oversight-staff:submission-review": "submission",
        "oversight-staff:submission-file": "submission",
        "oversight-staff:level-report": "level_report",
    }.get(name)
    if kind is None and name.startswith("complaints-staff:"):
        kind = "complaint"
    elif (
        kind is None
        and name.startswith("rectification-staff:plan")
        or kind is None
        and name.startswith("rectification-staff:commitment-new")
    ):
        kind = "plan"
    elif kind is None and name.startswith("rectification-staff:commitment"):
        kind = "commitment"
    if name == "oversight-staff:deliverable-cell":
        if records.get("deliverable") is None:
            return None
        return {"pk": records["deliverable"].pk, "office_pk": records["deliverable_office"].pk}
    if kind is None:
        raise AssertionError(f"{name}: the walk does not know which record this URL names")
    record = records.get(kind)
    return None if record is None else {"pk": record.pk}


def status(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 405:
        return response.status_code
    # A POST-only step: an empty POST, undone afterwards so the walk leaves no trace.
    with transaction.atomic():
        code = client.post(url).status_code
        transaction.set_rollback(True)
    return code


def walk(world, records: dict, *, own: list[str], other: list[str]) -> tuple[list[str], int]:
    clients = {}
    for key, user in world["users"].items():
        clients[key] = Client()
        clients[key].force_login(user)
    wrong, walked = [], 0
    for name in sorted(staff_patterns()):
        namespace = name.split(":")[0]
        if name in SKIPPED or namespace in CAMPAIGN_BOUND_NAMESPACES:
            continue
        kwargs = kwargs_for(name, records)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs)
        walked += 1
        for key in own:
            code = status(clients[key], url)
            if code == 404:
                wrong.append(f"{key} {url} ({name}): 404 for a record in reach")
        for key in other:
            code = status(clients[key], url)
            if code != 404:
                wrong.append(f"{key} {url} ({name}): {code} for another branch's record")
    return wrong, walked


def test_every_staff_url_answers_404_to_the_other_district_and_not_to_its_own_or_the_city(world):
    zone = zone_records(world)
    assert all(zone[k] is not None for k in ("task", "complaint", "case", "problem", "plan", "commitment"))
    wrong, walked = walk(world, zone, own=["zone", "city"], other=["huiyang"])
    assert not wrong, "\n".join(wrong)
    assert walked >= 40

    wrong, walked = walk(world, huiyang_records(world), own=["huiyang", "city"], other=["zone"])
    assert not wrong, "\n".join(wrong)
    assert walked >= 30


def test_every_staff_url_with_an_id_is_walked_or_listed():
    """A new staff page naming a record must be added to the walk (or say why not)."""
    records = {
        key: Office(pk=1)
        for key in [
            "task",
            "assignment",
            "report",
            "complaint",
            "attachment",
            "case",
            "problem",
            "recordable",
            "plan",
            "commitment",
            "evidence",
            "comment",
            "deliverable",
            "deliverable_office",
            "submission",
            "level_report",
        ]
    }
    for name in staff_patterns():
        if name in SKIPPED or name.split(":")[0] in CAMPAIGN_BOUND_NAMESPACES:
            continue
        assert kwargs_for(name, records) is not None, name


def test_the_demo_has_two_districts_and_level_users(world):
    users = world["demo_users"]
    zone, huiyang = world["zone"], world["huiyang"]
    assert huiyang.parent.name == campaign_demo.CITY and zone.parent.name == campaign_demo.CITY
    assert set(huiyang.children.values_list("level", flat=True)) >= {Office.Level.TOWNSHIP}
    assert huiyang.children.filter(level=Office.Level.TOWNSHIP).count() == 2
    city, district, head = users["city"], users["district"], users["head"]
    assert city.check_password("demo-city-2026") and district.check_password("demo-district-2026")
    city_offices = set(scope.offices(city))
    district_offices = set(scope.offices(district))
    assert zone in city_offices and huiyang in city_offices
    assert huiyang in district_offices and zone not in district_offices
    assert set(scope.offices(head)) == set(Office.objects.filter(path__startswith=zone.path))
    # The head of the zone reads a sub-office's task, which was a 404 before levels.
    sub_task = TaskAssignment.objects.filter(office__parent=zone).first().task
    client = Client()
    client.force_login(head)
    assert client.get(reverse("staff:task-detail", args=[sub_task.pk])).status_code == 200


def test_the_demo_complaint_about_the_zones_centre_is_handled_by_the_citys_centre(world, client):
    users = world["demo_users"]
    complaint = Complaint.objects.get(office__name=campaign_demo.DISCIPLINE, description__contains="纪工委办")
    assert complaint.centre.name == campaign_demo.CITY_CENTRE
    client.force_login(users["centre"])
    assert client.get(reverse("complaints-staff:detail", args=[complaint.pk])).status_code == 404
    client.force_login(users["citycentre"])
    assert client.post(reverse("complaints-staff:accept", args=[complaint.pk])).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ACCEPTED
    # The district handed one of its streets' complaints up to the city, on the timeline.
    escalated = Complaint.objects.get(office__name=campaign_demo.QIUCHANG)
    assert escalated.centre.name == campaign_demo.CITY_CENTRE
    assert escalated.events.filter(kind="escalated", actor=users["district"]).exists()


# --- Records bound to a campaign rather than one office ------------------------------------
def campaign_bound_records(world, branch: str) -> dict:
    """An appraisal (survey with a question and an invitation batch, hearing with a
    panelist and a question) of the branch's offices, a draft bulletin and a
    disclosure item written by the branch's campaign office."""
    from evaluations.models import HearingQuestion
    from evaluations.tests.factories import group, invite, make_survey, published_hearing
    from oversight.services.bulletins import bulletin_create
    from oversight.services.disclosure import disclosure_prepare
    from oversight.snapshots import available_kinds

    top = world["zone"] if branch == "zone" else world["huiyang"]
    author = world["users"][branch]
    offices = list(Office.objects.filter(path__startswith=top.path).exclude(pk=top.pk).order_by("pk")[:2])
    campaign = Task.objects.filter(phase__campaign__is_current=True).first().phase.campaign
    survey = make_survey(campaign, offices, status="draft", extra_questions=["text"])
    invitation = invite(group(survey))[0]
    hearing = published_hearing(campaign, offices, 2)
    bulletin = bulletin_create(
        campaign_id=campaign.pk,
        actor=author,
        kind="progress",
        audience="internal",
        title=f"{top.name}工作通报",
        body="本阶段各单位按计划推进整改工作，情况良好。" * 3,
    )
    item = disclosure_prepare(campaign_id=campaign.pk, actor=author, kind=sorted(available_kinds())[0])
    return {
        "pk": survey.pk,
        "question_pk": survey.questions.order_by("order").last().pk,
        "batch_pk": invitation.batch_id,
        "invitation_pk": invitation.pk,
        "direction": "up",
        "hearing_pk": hearing.pk,
        "panelist_pk": hearing.panel.first().pk,
        "hearing_question_pk": HearingQuestion.objects.filter(hearing=hearing).first().pk,
        "bulletin": bulletin.pk,
        "disclosure": item.pk,
    }


def campaign_kwargs(name: str, route: str, records: dict) -> dict:
    """The kwargs of a campaign-bound staff URL, from its route's parameters."""
    if name.startswith("oversight-staff:bulletin"):
        return {"pk": records["bulletin"]}
    if name.startswith("oversight-staff:disclosure"):
        return {"pk": records["disclosure"]}
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    hearing = "hearing_pk" in params
    return {p: records["hearing_question_pk" if hearing and p == "question_pk" else p] for p in params}


def campaign_bound_patterns() -> dict[str, str]:
    return {
        name: route
        for name, route in staff_patterns().items()
        if name in CAMPAIGN_BOUND or name.split(":")[0] in CAMPAIGN_BOUND_NAMESPACES
    }


def test_campaign_bound_staff_urls_answer_404_to_the_other_district(world):
    """Appraisals, hearings, bulletins and disclosure items: a district's answer 404 to
    the other district and not to its own or the city; the city's reach both."""
    records = {branch: campaign_bound_records(world, branch) for branch in ("zone", "huiyang")}
    clients = {}
    for key, user in world["users"].items():
        clients[key] = Client()
        clients[key].force_login(user)
    wrong, walked = [], 0
    for own, other in (("zone", "huiyang"), ("huiyang", "zone")):
        for name, route in sorted(campaign_bound_patterns().items()):
            url = reverse(name, kwargs=campaign_kwargs(name, route, records[own]))
            walked += 1
            for key in (own, "city"):
                if status(clients[key], url) == 404:
                    wrong.append(f"{key} {url} ({name}): 404 for a record in reach")
            code = status(clients[other], url)
            if code != 404:
                wrong.append(f"{other} {url} ({name}): {code} for another branch's record")
    assert not wrong, "\n".join(wrong)
    assert walked >= 2 * 30


def test_the_lists_of_appraisals_and_bulletins_are_the_districts(world):
    from evaluations.models import Hearing, Survey
    from oversight.models import Bulletin, DisclosureItem

    zone = campaign_bound_records(world, "zone")
    huiyang = campaign_bound_records(world, "huiyang")
    district = world["users"]["huiyang"]
    assert set(Survey.objects.visible_to(district).values_list("pk", flat=True)) >= {huiyang["pk"]}
    assert zone["pk"] not in set(Survey.objects.visible_to(district).values_list("pk", flat=True))
    assert zone["hearing_pk"] not in set(Hearing.objects.visible_to(district).values_list("pk", flat=True))
    assert zone["bulletin"] not in set(Bulletin.objects.visible_to(district).values_list("pk", flat=True))
    assert zone["disclosure"] not in set(DisclosureItem.objects.visible_to(district).values_list("pk", flat=True))
    city = world["users"]["city"]
    for kind, model in (
        ("pk", Survey),
        ("hearing_pk", Hearing),
        ("bulletin", Bulletin),
        ("disclosure", DisclosureItem),
    ):
        assert {zone[kind], huiyang[kind]} <= set(model.objects.visible_to(city).values_list("pk", flat=True))


def test_a_published_city_bulletin_reaches_both_districts_staff_and_a_districts_only_its_own(world):
    from oversight.models import Bulletin
    from oversight.services.bulletins import bulletin_create, bulletin_publish

    campaign = Task.objects.filter(phase__campaign__is_current=True).first().phase.campaign
    body = "本阶段各单位按计划推进整改工作，情况良好。" * 3
    made = {}
    for key in ("city", "huiyang"):
        author = world["users"][key]
        draft = bulletin_create(
            campaign_id=campaign.pk, actor=author, kind="progress", audience="internal", title=key, body=body
        )
        made[key] = bulletin_publish(bulletin_id=draft.pk, actor=author).pk
    staff = world["demo_users"]
    zone_staff, danshui_staff = staff["party"], staff["danshui"]
    seen_zone = set(Bulletin.objects.visible_to(zone_staff).values_list("pk", flat=True))
    seen_danshui = set(Bulletin.objects.visible_to(danshui_staff).values_list("pk", flat=True))
    assert made["city"] in seen_zone and made["city"] in seen_danshui
    assert made["huiyang"] in seen_danshui and made["huiyang"] not in seen_zone


def test_an_office_dashboard_named_in_the_address_is_404_to_the_other_district(world):
    """``/staff/oversight/office/?office=<id>``: the office is in the address's query,
    not its path, so the walk above does not reach it."""
    url = reverse("oversight-staff:office-dashboard")
    zone_office = world["offices"][campaign_demo.PARTY]
    huiyang_office = world["offices"][campaign_demo.DANSHUI]
    for key, office, code in (
        ("zone", zone_office, 200),
        ("huiyang", zone_office, 404),
        ("zone", huiyang_office, 404),
        ("huiyang", huiyang_office, 200),
        ("city", zone_office, 200),
        ("city", huiyang_office, 200),
    ):
        client = Client()
        client.force_login(world["users"][key])
        assert status(client, f"{url}?office={office.pk}") == code, (key, office.name)
