"""Deliverables, submissions and bulletins for the tests, made through the services
where a rule applies."""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from campaigns.tests.factories import PhaseFactory, today
from oversight.models import Bulletin, Deliverable

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "自查报告.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class DeliverableFactory(DjangoModelFactory):
    """``offices=[...]``: the offices it applies to."""

    class Meta:
        model = Deliverable
        skip_postgeneration_save = True

    phase = factory.SubFactory(PhaseFactory)
    kind = Deliverable.Kind.SELF_INSPECTION
    title = factory.Sequence(lambda n: f"自查报告 {n}")
    due_date = factory.LazyFunction(lambda: today() + dt.timedelta(days=10))

    @factory.post_generation
    def offices(self, create, extracted, **kwargs):
        if create and extracted:
            self.offices.set(extracted)


class BulletinFactory(DjangoModelFactory):
    class Meta:
        model = Bulletin

    title = factory.Sequence(lambda n: f"关于第{n}期工作进展的通报")
    body = "各部门：\n\n本周各项工作进展顺利。"
    kind = Bulletin.Kind.PROGRESS
    audience = Bulletin.Audience.PUBLIC


def complaint_about(office, *, status="registered", on_time=None, rating="", **kwargs):
    """A complaint about ``office`` received through the real service, then moved to
    ``status`` directly (the figures only read the fields)."""
    from complaints.models import Complaint
    from complaints.tests.factories import submit

    complaint_about.n = getattr(complaint_about, "n", 0) + 1
    # Distinct texts: the same text from the same address within minutes is one complaint.
    complaint, _code = submit(
        office=office, description=f"窗口工作人员态度恶劣，多次推诿不予办理（{complaint_about.n}）。", **kwargs
    )
    Complaint.objects.filter(pk=complaint.pk).update(status=status, replied_on_time=on_time, rating=rating)
    complaint.refresh_from_db()
    return complaint
