"""Rectification records made through the real services, so every test starts
from data exactly as the staff pages would leave it."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rectification import services
from rectification.models import Commitment, Plan, Problem, Rating

_seq = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today() -> dt.date:
    return timezone.localdate()


def pdf(name: str = "整改报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def record_problem(actor, office=None, **overrides) -> Problem:
    data = {
        "description": f"窗口工作人员服务态度生硬，群众反映强烈（{next(_seq)}）。",
        "source": Problem.Source.SELF_INSPECTION,
        "severity": Problem.Severity.SIGNIFICANT,
        **overrides,
    }
    return services.problem_create(actor=actor, office=office or actor.office, **data)


def start_plan(actor, **overrides) -> Plan:
    data = {"summary": "对照查摆出的问题，制定本单位整改方案。", "approved_collectively_on": today(), **overrides}
    return services.plan_save(actor=actor, **data)


def commitment_fields(plan: Plan, actor=None, **overrides) -> dict:
    problems = overrides.pop("problems", None)
    if problems is None:
        problems = [record_problem(actor, plan.office)]
    return {
        "problems": problems,
        "content": "窗口服务态度生硬，群众办事“脸难看、话难听”。",
        "measures": "开展服务规范培训；推行首问负责制和一次性告知制度；设立意见箱。",
        "goal": "群众满意率达到90%以上，服务态度投诉清零。",
        "deadline": today() + dt.timedelta(days=30),
        "responsible_office": plan.office,
        "responsible_person": "张明",
        "responsible_title": "办公室主任",
        "handling": Commitment.Handling.BY_DEADLINE,
        "explanation": "",
        "higher_office": None,
        "scope": Commitment.Scope.PUBLIC,
        **overrides,
    }


def add_commitment(actor, plan: Plan, **overrides) -> Commitment:
    return services.commitment_create(actor=actor, plan_id=plan.pk, **commitment_fields(plan, actor, **overrides))


def approved_plan(staff, coordinator, *, n: int = 1, **overrides) -> tuple[Plan, list[Commitment]]:
    """A plan of ``staff``'s office with ``n`` commitments, submitted and approved (so published)."""
    plan = Plan.objects.filter(office=staff.office, campaign__is_current=True).first() or start_plan(staff)
    commitments = [add_commitment(staff, plan, **overrides) for _ in range(n)]
    if plan.status == Plan.Status.APPROVED:
        # Already filed: drafts added later are published by the office itself.
        for commitment in commitments:
            services.commitment_publish(actor=staff, commitment_id=commitment.pk)
    else:
        services.plan_submit(actor=staff, plan_id=plan.pk)
        services.plan_approve(actor=coordinator, plan_id=plan.pk)
    plan.refresh_from_db()
    return plan, [Commitment.objects.get(pk=c.pk) for c in commitments]


def published(staff, coordinator, **overrides) -> Commitment:
    return approved_plan(staff, coordinator, **overrides)[1][0]


def edit_data(commitment: Commitment, **changes) -> dict:
    """Every field of the commitment as the edit form would send it, with ``changes``."""
    data = {
        "problems": list(commitment.problems.all()),
        **{
            f: getattr(commitment, f)
            for f in (
                "content",
                "measures",
                "goal",
                "deadline",
                "responsible_office",
                "responsible_person",
                "responsible_title",
                "handling",
                "explanation",
                "higher_office",
                "scope",
            )
        },
    }
    data.update(changes)
    return data


def claim(staff, commitment: Commitment, **overrides) -> Commitment:
    services.commitment_claim_completion(
        actor=staff,
        commitment_id=commitment.pk,
        text=overrides.pop("text", "已全部完成，群众反映良好。"),
        evidence=overrides.pop("evidence", [pdf()]),
        **overrides,
    )
    return Commitment.objects.get(pk=commitment.pk)


def verified(staff, coordinator, commitment: Commitment) -> Commitment:
    claim(staff, commitment)
    services.commitment_verify(actor=coordinator, commitment_id=commitment.pk)
    return Commitment.objects.get(pk=commitment.pk)


def ratings(commitment: Commitment, *values: str, at=None) -> list[Rating]:
    """Ratings as if from as many browsers; quicker than the service for big numbers."""
    at = at or timezone.now()
    return Rating.objects.bulk_create(
        Rating(commitment=commitment, value=value, browser_key=f"k{next(_seq)}", created_at=at) for value in values
    )
