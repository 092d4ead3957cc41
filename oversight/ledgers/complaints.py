"""The complaint ledger and the accountability cases. Who complained is in the
complaint ledger only for complaint-centre staff allowed to see it, each such
read logged as an ``IdentityAccess`` row, as on the complaint page."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import CHUNK, Ledger, labels, local_date, office_param, yes_no_labels


def _complaints_allowed(user) -> bool:
    from complaints import rules

    return rules.may_open_complaint_pages(user)


def with_identity(user) -> bool:
    """Complaint-centre staff allowed to see who complained; nobody else."""
    from complaints import rules

    return rules.is_centre(user) and rules.can_view_identity(user)


def _complaint_qs(user, campaign, params):
    from complaints.models import Complaint

    qs = Complaint.objects.visible_to(user).filter(campaign=campaign)
    if (office := office_param(params)) is not None:
        qs = qs.filter(office_id=office)
    if (status := (params or {}).get("status")) in Complaint.Status.values:
        qs = qs.filter(status=status)
    return qs


def _complaint_count(user, campaign, params) -> int:
    return _complaint_qs(user, campaign, params).count()


def _complaint_sheet(user, campaign, params, today):
    from complaints.models import Complaint, IdentityAccess

    identity = with_identity(user)
    headers = [
        _("Tracking number"),
        _("Received on"),
        _("Channel"),
        _("Problem type"),
        _("Office complained about"),
        _("Handling office"),
        _("Status"),
        _("Acceptance due"),
        _("Completion due"),
        _("Accepted on time"),
        _("Replied on"),
        _("Completed on time"),
        _("Closed on"),
        _("Substantiated"),
        _("Complainant's rating"),
    ]
    widths = [18, 12, 14, 16, 24, 24, 16, 12, 12, 10, 12, 10, 12, 10, 14]
    fields = [
        "pk",
        "tracking_number",
        "received_on",
        "channel",
        "problem_type__name",
        "office__name",
        "handling_office__name",
        "status",
        "accept_due",
        "complete_due",
        "accepted_on_time",
        "replied_at",
        "replied_on_time",
        "closed_at",
        "substantiated",
        "rating",
    ]
    if identity:
        headers += [_("Anonymous"), _("Complainant's name"), _("Phone"), _("E-mail")]
        widths += [9, 14, 16, 26]
        fields += ["is_anonymous", "identity__name", "identity__phone", "identity__email"]
    channels, statuses = labels(Complaint.Channel.choices), labels(Complaint.Status.choices)
    ratings = labels(Complaint.Rating.choices)
    yn = yes_no_labels()
    qs = _complaint_qs(user, campaign, params).order_by("received_on", "pk").values_list(*fields)
    centre = str(_("Complaint centre"))

    def rows() -> Iterator[list]:
        seen: list[int] = []
        for values in qs.iterator(chunk_size=CHUNK):
            (
                pk,
                number,
                received,
                channel,
                ptype,
                office,
                handling,
                status,
                accept_due,
                complete_due,
                accepted_on_time,
                replied_at,
                replied_on_time,
                closed_at,
                substantiated,
                rating,
            ) = values[:16]
            row = [
                number,
                received,
                channels.get(channel, channel),
                ptype,
                office or "",
                handling or centre,
                statuses.get(status, status),
                accept_due,
                complete_due,
                yn[accepted_on_time],
                local_date(replied_at),
                yn[replied_on_time],
                local_date(closed_at),
                yn[substantiated],
                ratings.get(rating, ""),
            ]
            if identity:
                anonymous, name, phone, email = values[16:]
                row += [yn[anonymous], name or "", phone or "", email or ""]
                seen.append(pk)
                if len(seen) >= CHUNK:
                    _log_identity(IdentityAccess, seen, user)
                    seen = []
            yield row
        if seen:
            _log_identity(IdentityAccess, seen, user)

    return _("Complaint ledger"), headers, widths, rows()


def _log_identity(model, complaint_ids: list[int], user) -> None:
    now = timezone.now()
    model.objects.bulk_create(
        [model(complaint_id=pk, user=user, at=now, purpose="export") for pk in complaint_ids], batch_size=CHUNK
    )


def _cases_allowed(user) -> bool:
    from complaints import rules

    return rules.reads_all_complaints(user)


def _cases_qs(user, campaign, params):
    from complaints.models import AccountabilityCase, Complaint

    visible = Complaint.objects.visible_to(user).filter(campaign=campaign)
    qs = AccountabilityCase.objects.filter(complaint__in=visible)
    if (office := office_param(params)) is not None:
        qs = qs.filter(office_id=office)
    return qs


def _cases_count(user, campaign, params) -> int:
    return _cases_qs(user, campaign, params).count()


def _cases_sheet(user, campaign, params, today):
    from complaints.models import AccountabilityCase

    headers = [
        _("Tracking number"),
        _("Reason"),
        _("Office"),
        _("Responsible person"),
        _("Opened on"),
        _("Decision"),
        _("Reasoning"),
        _("Decided on"),
    ]
    widths = [18, 24, 24, 16, 12, 22, 40, 12]
    reasons, decisions = labels(AccountabilityCase.Reason.choices), labels(AccountabilityCase.Decision.choices)
    qs = (
        _cases_qs(user, campaign, params)
        .order_by("created_at", "pk")
        .values_list(
            "complaint__tracking_number",
            "reason",
            "office__name",
            "person",
            "created_at",
            "decision",
            "reasoning",
            "decided_on",
        )
    )

    def rows():
        for number, reason, office, person, created, decision, reasoning, decided_on in qs.iterator(chunk_size=CHUNK):
            yield [
                number,
                reasons.get(reason, reason),
                office or "",
                person,
                local_date(created),
                decisions.get(decision, decision),
                reasoning,
                decided_on,
            ]

    return _("Accountability cases"), headers, widths, rows()


LEDGER = Ledger(
    "complaints",
    gettext_lazy("Complaint ledger"),
    gettext_lazy(
        "One row per complaint you may see: dates, offices, status, time limits, rating. "
        "Who complained is included only for complaint-centre staff allowed to see it."
    ),
    "complaint-ledger",
    _complaints_allowed,
    _complaint_count,
    _complaint_sheet,
)


CASES = Ledger(
    "cases",
    gettext_lazy("Accountability cases"),
    gettext_lazy("Every accountability case (责任追究) opened on a complaint of this campaign."),
    "accountability-cases",
    _cases_allowed,
    _cases_count,
    _cases_sheet,
)
