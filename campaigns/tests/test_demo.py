import datetime as dt

import pytest
from django.core.management import call_command

from campaigns.demo import DEMO_USERS, load_demo
from campaigns.models import AuditEvent, Campaign, Office, Phase, Task, TaskAssignment, TaskReport, User
from campaigns.roles import Role

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Office, User, Campaign, Phase, Task, TaskAssignment, TaskReport, AuditEvent)]


def test_load_demo_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    out = capsys.readouterr().out
    for user in DEMO_USERS:
        assert user.username in out and user.password in out


def test_demo_follows_seed_000_phases_and_months():
    load_demo(today=dt.date(2026, 11, 22))
    campaign = Campaign.objects.get(is_current=True)
    phases = list(campaign.phases.order_by("order"))
    assert [p.name for p in phases] == ["动员部署阶段", "整改提高阶段", "考核总结阶段"]
    assert [(p.start_date, p.end_date) for p in phases] == [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ]
    assert [p.tasks.count() for p in phases] == [4, 4, 3]
    # "(党委办公室、管委会办公室负责)": the first named leads, the others assist.
    mobilisation = phases[0].tasks.get(number=1)
    assert mobilisation.assignments.get(role="lead").office.name == "党委办公室"
    assert list(mobilisation.assignments.filter(role="co").values_list("office__name", flat=True)) == ["管委会办公室"]


def test_demo_users_have_their_roles_and_can_log_in(client):
    load_demo()
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert user.check_password(demo.password)
        if demo.role:
            assert user.groups.filter(name=demo.role).exists()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="coordinator").has_perm("campaigns.coordinate_campaign")
    assert not User.objects.get(username="supervisor").has_perm("campaigns.report_on_task")
    assert {Role.CAMPAIGN_OFFICE, Role.OFFICE_STAFF, Role.SUPERVISOR} <= {d.role for d in DEMO_USERS}


def test_demo_always_has_an_overdue_task_and_done_tasks():
    load_demo(today=dt.date(2026, 11, 22))
    today = dt.date(2026, 11, 22)
    open_past = Task.objects.exclude(status="done").filter(deadline__lt=today)
    assert open_past.exists()
    assert Task.objects.filter(status="done").exists()
    # the history was played through the services, so it is audited
    assert AuditEvent.objects.filter(verb="task.complete").count() == Task.objects.filter(status="done").count()


def test_huiyang_runs_its_own_campaign_alongside_the_zones():
    """惠阳区's campaign runs at the same time as the zone's (the one shown first): each
    district's users take part in their own, and the city's campaign office follows both."""
    summary = load_demo(today=dt.date(2026, 11, 22))
    shown_first, district = summary["campaign"], summary["district_campaign"]
    assert district.status == Campaign.Status.RUNNING and district.office.name == "惠阳区"
    assert shown_first.office.name == "高新区管委会"
    assert (district.start_date, district.end_date) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    expected = {
        "city": [shown_first.pk, district.pk],
        "district": [district.pk],
        "danshui": [district.pk],
        "party": [shown_first.pk],
        "coordinator": [shown_first.pk],
    }
    for username, campaigns in expected.items():
        user = User.objects.get(username=username)
        assert list(Campaign.objects.for_user(user).values_list("pk", flat=True)) == campaigns, username
    # Each campaign office plans its own district's campaign; the city's plans both.
    assert list(Campaign.objects.planned_by(User.objects.get(username="coordinator"))) == [shown_first]
    assert list(Campaign.objects.planned_by(User.objects.get(username="district"))) == [district]
    assert district.phases.get(order=2).tasks.filter(assignments__office__name="淡水街道办事处").count() == 2
    # Its tasks led by 淡水街道 that have begun carry the street's report.
    assert TaskReport.objects.filter(task__phase__campaign=district, author__username="danshui").count() == 2
