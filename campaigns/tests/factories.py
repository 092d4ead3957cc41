import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from campaigns.models import Campaign, Office, Phase, Task, TaskAssignment, TaskReport, User

PASSWORD = "correct-horse-battery"


def today() -> dt.date:
    return timezone.localdate()


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    short_name = factory.Sequence(lambda n: f"O{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Staff {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    office = factory.SubFactory(OfficeFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class CampaignFactory(DjangoModelFactory):
    """A running campaign around today: 60 days back to 60 days ahead."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    year = factory.LazyFunction(lambda: today().year)
    start_date = factory.LazyFunction(lambda: today() - dt.timedelta(days=60))
    end_date = factory.LazyFunction(lambda: today() + dt.timedelta(days=60))
    status = Campaign.Status.RUNNING
    is_current = False


class PhaseFactory(DjangoModelFactory):
    """By default the phase running today (30 days either side)."""

    class Meta:
        model = Phase

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Phase {n}")
    start_date = factory.LazyFunction(lambda: today() - dt.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: today() + dt.timedelta(days=30))


class TaskFactory(DjangoModelFactory):
    """A task with a lead office (``lead=``) and optional ``co_offices=[...]``."""

    class Meta:
        model = Task
        skip_postgeneration_save = True

    phase = factory.SubFactory(PhaseFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Task {n}")
    description = "Carry out the measure."
    deadline = factory.LazyFunction(lambda: today() + dt.timedelta(days=20))

    @factory.post_generation
    def lead(self, create, extracted, **kwargs):
        if create:
            TaskAssignment.objects.create(task=self, office=extracted or OfficeFactory(), role=TaskAssignment.Role.LEAD)

    @factory.post_generation
    def co_offices(self, create, extracted, **kwargs):
        if create and extracted:
            for office in extracted:
                TaskAssignment.objects.create(task=self, office=office, role=TaskAssignment.Role.CO)


class TaskReportFactory(DjangoModelFactory):
    class Meta:
        model = TaskReport

    task = factory.SubFactory(TaskFactory)
    office = factory.LazyAttribute(lambda r: r.task.assignments.get(role="lead").office)
    author = factory.SubFactory(UserFactory, office=factory.SelfAttribute("..office"))
    text = "Done what we said we would."
    progress = 50
