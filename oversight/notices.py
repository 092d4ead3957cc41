"""Notices to staff about phase deliverables, when work comes to them: a version
handed in → the campaign office, to accept or return it; a version returned →
the office's staff and head, to hand in a new one. And a level's report (报送) →
the campaign office of the level above.

The service records the step's ``AuditEvent`` and queues ``tasks.notify_staff``
with it once the step commits; each notice is written and sent once per person
(keyed by the deliverable, the office and the version)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_noop

from campaigns.models import AuditEvent, Office
from notifications.notices import HandOver, campaign_office_for, office_staff, tell_step
from notifications.texts import Text

from .models import Deliverable

KIND = "deliverable"


def _parts(event: AuditEvent):
    deliverable = Deliverable.objects.get(pk=event.target_id)
    office = Office.objects.get(pk=event.data["office"])
    link = reverse("oversight-staff:deliverable-cell", args=[deliverable.pk, office.pk])
    return deliverable, office, link


def _submitted(event: AuditEvent) -> HandOver:
    deliverable, office, link = _parts(event)
    params = {"title": deliverable.title, "office": office.name, "version": event.data.get("version")}
    return HandOver(
        campaign_office_for(office),
        deliverable,
        f"submitted-{office.pk}-{params['version']}",
        link,
        Text(gettext_noop("Deliverable to review: %(title)s (%(office)s)"), params),
        Text(gettext_noop("%(office)s handed in version %(version)s of “%(title)s”: accept it or return it."), params),
        event.data.get("note", ""),
    )


def _returned(event: AuditEvent) -> HandOver:
    deliverable, office, link = _parts(event)
    params = {"title": deliverable.title, "version": event.data.get("version"), "date": deliverable.due_date}
    return HandOver(
        office_staff(office.pk),
        deliverable,
        f"returned-{office.pk}-{params['version']}",
        link,
        Text(gettext_noop("Deliverable returned: %(title)s"), params),
        Text(
            gettext_noop(
                "The campaign office returned version %(version)s of “%(title)s”: hand in a new one (due %(date)s)."
            ),
            params,
        ),
        event.data.get("comment", ""),
    )


def _level_report(event: AuditEvent) -> HandOver:
    from .models import LevelReport

    report = LevelReport.objects.select_related("sender_level", "recipient_level").get(pk=event.target_id)
    params = {"level": report.sender_level.name, "number": report.number, "title": report.title}
    return HandOver(
        # The campaign office of the level it is sent to (never a district beside it).
        campaign_office_for(report.recipient_level),
        report,
        f"level-report-{report.pk}",
        reverse("oversight-staff:level-report", args=[report.pk]),
        Text(gettext_noop("Report from %(level)s: %(title)s"), params),
        Text(gettext_noop("%(level)s sent its figures (report no. %(number)s): “%(title)s”."), params),
        report.note,
    )


#: The audit verbs that hand work to someone, and the notice each calls for.
NOTICES: dict[str, Callable[[AuditEvent], HandOver]] = {
    "deliverable.submit": _submitted,
    "deliverable.returned": _returned,
    "level_report.send": _level_report,
}


def tell(event: AuditEvent) -> int:
    """Write the notices of one step, each once; returns how many were new."""
    build = NOTICES.get(event.verb)
    kind = "level_report" if event.verb == "level_report.send" else KIND
    return tell_step(build(event) if build else None, kind=kind, actor_id=event.actor_id, at=event.created_at)
