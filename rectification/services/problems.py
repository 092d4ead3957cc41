"""Problems found (查摆问题): recorded by an office, from a complaint in one click,
or raised automatically as a hotspot (see ``hotspots``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Office
from complaints.models import Complaint

from .. import rules
from ..models import Problem
from .common import TEXT_MIN, Errors, audit, clean_text, current_campaign_or_error, require

# Complaints that have been investigated and answered.
ANSWERED = [Complaint.Status.REPLIED, Complaint.Status.CLOSED]


def _require_may_record(actor, office_id: int) -> None:
    require(
        rules.is_coordinator(actor) or rules.works_on(actor, office_id),
        _("Only the office's own staff or the campaign office can record its problems."),
    )


@transaction.atomic
def problem_create(
    *,
    actor,
    office: Office,
    description: str,
    source: str,
    severity: str = Problem.Severity.SIGNIFICANT,
    found_on=None,
    complaints=(),
    appraisal_reference: str = "",
) -> Problem:
    campaign = current_campaign_or_error()
    _require_may_record(actor, office.pk)
    today = timezone.localdate()
    found_on = found_on or today
    complaints = list(complaints)
    errors = Errors()
    description = clean_text(description)
    if len(description) < TEXT_MIN:
        errors.add("description", _("Describe the problem in at least %(n)d characters.") % {"n": TEXT_MIN})
    if source not in Problem.Source.values:
        errors.add("source", _("Choose where the problem was found."))
    if severity not in Problem.Severity.values:
        errors.add("severity", _("Choose how serious the problem is."))
    if found_on > today:
        errors.add("found_on", _("The date cannot be in the future."))
    if source == Problem.Source.COMPLAINT and not complaints:
        errors.add("complaints", _("Choose the complaint or complaints that revealed the problem."))
    for complaint in complaints:
        if complaint.office_id != office.pk:
            errors.add("complaints", _("Complaint %(number)s is not about this office.") % {"number": complaint.tracking_number})
    appraisal_reference = clean_text(appraisal_reference)
    if source == Problem.Source.APPRAISAL and not appraisal_reference:
        errors.add("appraisal_reference", _("Say which appraisal or survey result found the problem."))
    errors.raise_if_any()
    problem = Problem(
        campaign=campaign, office=office, description=description, source=source, severity=severity,
        found_on=found_on, appraisal_reference=appraisal_reference, created_by=actor,
    )
    problem.full_clean()
    problem.save()
    if complaints:
        problem.complaints.set(complaints)
    audit(problem, actor, "problem.create", office=office.pk, source=source, complaints=[c.pk for c in complaints])
    return problem


def complaints_to_record(user):
    """Substantiated, answered complaints about offices whose problems ``user`` may
    record, not yet linked to a problem: the "one click" list."""
    qs = Complaint.objects.filter(substantiated=True, status__in=ANSWERED, office__isnull=False).filter(
        rectification_problems__isnull=True
    )
    if rules.is_coordinator(user):
        return qs
    if rules.works_on(user):
        return qs.filter(office_id=user.office_id)
    return qs.none()


@transaction.atomic
def problem_from_complaint(*, actor, complaint_id: int) -> Problem:
    """One click: a substantiated complaint becomes a problem of the office it was about."""
    campaign = current_campaign_or_error()
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("problem_type", "office").get(pk=complaint_id)
    if complaint.office_id is None:
        raise ValidationError(_("The complaint names no office, so there is no office to rectify."))
    _require_may_record(actor, complaint.office_id)
    if not (complaint.substantiated and complaint.status in ANSWERED):
        raise ValidationError(_("Only a complaint that was investigated and found substantiated becomes a problem."))
    if complaint.rectification_problems.exists():
        raise ValidationError(_("Complaint %(number)s is already recorded as a problem.") % {"number": complaint.tracking_number})
    findings = complaint.findings or complaint.problem_type.name
    problem = Problem.objects.create(
        campaign=campaign,
        office=complaint.office,
        description=_("Substantiated complaint %(number)s (%(type)s): %(findings)s") % {
            "number": complaint.tracking_number, "type": complaint.problem_type.name, "findings": findings,
        },
        source=Problem.Source.COMPLAINT,
        severity=Problem.Severity.SIGNIFICANT,
        found_on=timezone.localdate(complaint.replied_at) if complaint.replied_at else timezone.localdate(),
        problem_type=complaint.problem_type,
        created_by=actor,
    )
    problem.complaints.add(complaint)
    audit(problem, actor, "problem.from_complaint", complaint=complaint.pk)
    return problem
