"""Problems found (查摆问题): recorded by an office, from a complaint in one click,
or raised automatically as a hotspot (see ``hotspots``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import scope
from campaigns.models import Office
from complaints.models import Complaint

from .. import rules
from ..models import Problem
from .common import TEXT_MIN, Errors, audit, clean_text, current_campaign_or_error, require

if TYPE_CHECKING:
    from campaigns.models import User
    from complaints.querysets import ComplaintQuerySet


def recordable_complaints() -> ComplaintQuerySet:
    """The one rule for which complaints may become, or be named by, an office's
    problem: found substantiated, and final (closed: a replied complaint can still
    be reviewed and its finding overturned). The office complained about never
    learns of an unfounded or undecided complaint about itself this way."""
    return Complaint.objects.filter(substantiated=True, status=Complaint.Status.CLOSED, office__isnull=False)


def complaints_offered(user: User) -> ComplaintQuerySet:
    """Recordable complaints about the offices whose problems ``user`` may record."""
    qs = recordable_complaints()
    if rules.is_coordinator(user):
        return qs.filter(scope.within(user, "office"))
    if rules.works_on(user) and user.office_id is not None:
        return qs.filter(office_id=user.office_id)
    return qs.none()


def _require_may_record(actor: User, office_id: int) -> None:
    require(
        (rules.is_coordinator(actor) and scope.office_in_reach(actor, Office.objects.get(pk=office_id)))
        or rules.works_on(actor, office_id),
        _("Only the office's own staff or the campaign office can record its problems."),
    )


@transaction.atomic
def problem_create(
    *,
    actor: User,
    office: Office,
    description: str,
    source: str,
    severity: str = Problem.Severity.SIGNIFICANT,
    found_on: dt.date | None = None,
    complaints: Iterable[Complaint] = (),
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
    recordable = set(recordable_complaints().filter(pk__in=[c.pk for c in complaints]).values_list("pk", flat=True))
    for complaint in complaints:
        if complaint.office_id != office.pk:
            errors.add(
                "complaints",
                _("Complaint %(number)s is not about this office.") % {"number": complaint.tracking_number},
            )
        elif complaint.pk not in recordable:
            errors.add(
                "complaints",
                _("Complaint %(number)s was not found substantiated in a final decision.")
                % {"number": complaint.tracking_number},
            )
    appraisal_reference = clean_text(appraisal_reference)
    if source == Problem.Source.APPRAISAL and not appraisal_reference:
        errors.add("appraisal_reference", _("Say which appraisal or survey result found the problem."))
    errors.raise_if_any()
    problem = Problem(
        campaign=campaign,
        office=office,
        description=description,
        source=source,
        severity=severity,
        found_on=found_on,
        appraisal_reference=appraisal_reference,
        created_by=actor,
    )
    problem.full_clean()
    problem.save()
    if complaints:
        problem.complaints.set(complaints)
    audit(problem, actor, "problem.create", office=office.pk, source=source, complaints=[c.pk for c in complaints])
    return problem


def complaints_to_record(user: User) -> ComplaintQuerySet:
    """Complaints offered to ``user`` not yet linked to a problem: the "one click" list."""
    return complaints_offered(user).filter(rectification_problems__isnull=True)


@transaction.atomic
def problem_from_complaint(*, actor: User, complaint_id: int) -> Problem:
    """One click: a substantiated complaint becomes a problem of the office it was about."""
    campaign = current_campaign_or_error()
    complaint = (
        Complaint.objects.select_for_update(of=("self",)).select_related("problem_type", "office").get(pk=complaint_id)
    )
    if complaint.office_id is None:
        raise ValidationError(_("The complaint names no office, so there is no office to rectify."))
    assert complaint.office is not None  # complaint.office_id is set (and selected with it)
    _require_may_record(actor, complaint.office_id)
    if not recordable_complaints().filter(pk=complaint.pk).exists():
        raise ValidationError(_("Only a complaint found substantiated in a final decision (closed) becomes a problem."))
    if complaint.rectification_problems.exists():
        raise ValidationError(
            _("Complaint %(number)s is already recorded as a problem.") % {"number": complaint.tracking_number}
        )
    findings = complaint.findings or complaint.problem_type.name
    problem = Problem.objects.create(
        campaign=campaign,
        office=complaint.office,
        description=_("Substantiated complaint %(number)s (%(type)s): %(findings)s")
        % {
            "number": complaint.tracking_number,
            "type": complaint.problem_type.name,
            "findings": findings,
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
