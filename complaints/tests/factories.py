"""Complaints are made through the real service, so every test starts from a
complaint exactly as the public form would leave it."""

from complaints import services
from complaints.models import ProblemType


def problem_type(code: str = "attitude") -> ProblemType:
    return ProblemType.objects.get(code=code)


def submit(
    *,
    office=None,
    code="attitude",
    description="窗口工作人员态度恶劣，多次推诿不予办理。",
    anonymous=False,
    name="张三",
    phone="13800138000",
    email="citizen@example.com",
    ip="203.0.113.5",
    **kwargs,
):
    """Submit a complaint as a citizen would; returns (complaint, access code)."""
    result = services.complaint_submit(
        problem_type=problem_type(code),
        description=description,
        is_anonymous=anonymous,
        office=office,
        name="" if anonymous else name,
        phone="" if anonymous else phone,
        email=email,
        ip=ip,
        **kwargs,
    )
    return result.complaint, result.access_code


def walk_to(status, complaint, *, centre, handler=None, handling_office=None, substantiated=False):
    """Move a complaint along the workflow through the services."""
    from complaints.models import Complaint

    order = ["accepted", "assigned", "investigating", "replied"]
    target = order.index(status)
    services.complaint_accept(complaint_id=complaint.pk, actor=centre)
    if target >= 1:
        services.complaint_transfer_request(complaint_id=complaint.pk, actor=centre, to_office=handling_office)
        services.complaint_transfer_accept(complaint_id=complaint.pk, actor=handler)
    if target >= 2:
        services.complaint_start_investigation(complaint_id=complaint.pk, actor=handler)
    if target >= 3:
        services.complaint_reply(
            complaint_id=complaint.pk,
            actor=handler,
            findings="查明属实。",
            measures="已批评教育。",
            reply="经核查，已责令整改。",
            substantiated=substantiated,
        )
    return Complaint.objects.get(pk=complaint.pk)


def workflow_steps() -> list[str]:
    """The URL names of every workflow step on the staff pages (the views of
    complaints/staff_views/actions.py), read from the URLconf: a step added there is
    walked by every test that takes them all."""
    from complaints import staff_urls
    from complaints.staff_views import actions

    return [
        p.name for p in staff_urls.urlpatterns if p.name and getattr(p.callback, "__module__", "") == actions.__name__
    ]
