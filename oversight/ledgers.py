"""The ledgers (台账) staff export as .xlsx: who may export which, what each row
holds, and the rows themselves, streamed from the database in chunks.

Each ledger's rows come from the same scoped querysets as the pages (a user never
exports a row the pages would not show), and the complaint ledger carries the
complainant's identity only for complaint-centre staff allowed to see it, each
such read logged as an ``IdentityAccess`` row, as on the complaint page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, Task, TaskAssignment

from .querysets import reads_all
from .selectors import integrations

CHUNK = 2000


def yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def yes_no_labels() -> dict:
    """``{True: "Yes", False: "No", None: ""}`` translated once per export, not once per cell."""
    return {True: _("Yes"), False: _("No"), None: ""}


def labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def local_date(value):
    return timezone.localdate(value) if value else None


@dataclass(frozen=True)
class Ledger:
    key: str
    label: Promise
    description: Promise
    stem: str
    allowed: Callable  # (user) -> bool
    count: Callable  # (user, campaign, params) -> int
    sheet: Callable  # (user, campaign, params, today) -> (title, headers, widths, rows iterator)


def _office_param(params) -> int | None:
    value = str((params or {}).get("office") or "")
    return int(value) if value.isdigit() else None


# --- Task ledger ------------------------------------------------------------------------
def _tasks_allowed(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.can_read_all or user.office_id is not None)


def _task_rows_qs(user, campaign: Campaign, params):
    visible = Task.objects.visible_to(user).filter(phase__campaign=campaign)
    qs = TaskAssignment.objects.filter(task__in=visible)
    if (office := _office_param(params)) is not None:
        qs = qs.filter(office_id=office)
    return qs


def _task_count(user, campaign, params) -> int:
    return _task_rows_qs(user, campaign, params).count()


def _task_sheet(user, campaign, params, today):
    headers = [
        _("Phase"), _("No."), _("Task"), _("Office"), _("Role"), _("Task deadline"), _("Office due date"),
        _("Status"), _("Progress (%)"), _("Completed on"), _("Done on time"), _("Overdue"),
    ]
    widths = [18, 7, 44, 24, 10, 12, 12, 12, 10, 12, 10, 9]
    statuses = labels(Task.Status.choices)
    roles = labels(TaskAssignment.Role.choices)
    yn = yes_no_labels()
    qs = (
        _task_rows_qs(user, campaign, params)
        .annotate(office_due=Coalesce("due_date", "task__deadline"))
        .order_by("task__phase__order", "task__number", "-role", "office__name")
        .values_list(
            "task__phase__order", "task__phase__name", "task__number", "task__title", "office__name", "role",
            "task__deadline", "office_due", "task__status", "task__progress", "task__completed_at",
            "submitted_at", "waived_at",
        )
    )

    def rows() -> Iterator[list]:
        for (p_order, p_name, number, title, office, role, deadline, due, status, progress, completed,
             submitted, waived) in qs.iterator(chunk_size=CHUNK):
            done = status == Task.Status.DONE
            completed_on = local_date(completed)
            overdue = not done and due < today and submitted is None and waived is None
            yield [
                f"{p_order}. {p_name}", f"{p_order}.{number}", title, office, roles.get(role, role), deadline,
                due, statuses.get(status, status), progress, completed_on,
                yn[completed_on <= deadline] if done and completed_on else "", yn[overdue],
            ]

    return _("Task ledger"), headers, widths, rows()


# --- Complaint ledger -------------------------------------------------------------------
def _complaints_allowed(user) -> bool:
    from complaints import services

    return user.is_authenticated and (
        services.is_centre(user) or user.has_perm("complaints.view_all_complaints") or user.office_id is not None
    )


def with_identity(user) -> bool:
    """Complaint-centre staff allowed to see who complained; nobody else."""
    from complaints import services

    return services.is_centre(user) and services.can_view_identity(user)


def _complaint_qs(user, campaign, params):
    from complaints.models import Complaint

    qs = Complaint.objects.visible_to(user).filter(campaign=campaign)
    if (office := _office_param(params)) is not None:
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
        _("Tracking number"), _("Received on"), _("Channel"), _("Problem type"), _("Office complained about"),
        _("Handling office"), _("Status"), _("Acceptance due"), _("Completion due"), _("Accepted on time"),
        _("Replied on"), _("Completed on time"), _("Closed on"), _("Substantiated"), _("Complainant's rating"),
    ]
    widths = [18, 12, 14, 16, 24, 24, 16, 12, 12, 10, 12, 10, 12, 10, 14]
    fields = [
        "pk", "tracking_number", "received_on", "channel", "problem_type__name", "office__name",
        "handling_office__name", "status", "accept_due", "complete_due", "accepted_on_time", "replied_at",
        "replied_on_time", "closed_at", "substantiated", "rating",
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
            (pk, number, received, channel, ptype, office, handling, status, accept_due, complete_due,
             accepted_on_time, replied_at, replied_on_time, closed_at, substantiated, rating) = values[:16]
            row = [
                number, received, channels.get(channel, channel), ptype, office or "", handling or centre,
                statuses.get(status, status), accept_due, complete_due, yn[accepted_on_time],
                local_date(replied_at), yn[replied_on_time], local_date(closed_at), yn[substantiated],
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


# --- Accountability cases ------------------------------------------------------------------
def _cases_allowed(user) -> bool:
    from complaints import services

    return user.is_authenticated and (services.is_centre(user) or user.has_perm("complaints.view_all_complaints"))


def _cases_qs(user, campaign, params):
    from complaints.models import AccountabilityCase, Complaint

    visible = Complaint.objects.visible_to(user).filter(campaign=campaign)
    qs = AccountabilityCase.objects.filter(complaint__in=visible)
    if (office := _office_param(params)) is not None:
        qs = qs.filter(office_id=office)
    return qs


def _cases_count(user, campaign, params) -> int:
    return _cases_qs(user, campaign, params).count()


def _cases_sheet(user, campaign, params, today):
    from complaints.models import AccountabilityCase

    headers = [
        _("Tracking number"), _("Reason"), _("Office"), _("Responsible person"), _("Opened on"), _("Decision"),
        _("Reasoning"), _("Decided on"),
    ]
    widths = [18, 24, 24, 16, 12, 22, 40, 12]
    reasons, decisions = labels(AccountabilityCase.Reason.choices), labels(AccountabilityCase.Decision.choices)
    qs = _cases_qs(user, campaign, params).order_by("created_at", "pk").values_list(
        "complaint__tracking_number", "reason", "office__name", "person", "created_at", "decision", "reasoning",
        "decided_on",
    )

    def rows():
        for number, reason, office, person, created, decision, reasoning, decided_on in qs.iterator(chunk_size=CHUNK):
            yield [number, reasons.get(reason, reason), office or "", person, local_date(created),
                   decisions.get(decision, decision), reasoning, decided_on]

    return _("Accountability cases"), headers, widths, rows()


# --- Scorecard ---------------------------------------------------------------------------
def _scorecard_allowed(user) -> bool:
    return reads_all(user)


def _scorecard_count(user, campaign, params) -> int:
    return 0  # one row per office: always small enough to write at once


def _scorecard_sheet(user, campaign, params, today):
    from .selectors.scorecard import scorecard

    card = scorecard(campaign_id=campaign.pk, today=today, fresh=True)
    headers = [
        _("Office"), _("Tasks"), _("Tasks done"), _("Done on time"), _("Tasks overdue"),
        _("Complaints received"), _("Complaints closed"), _("Closed on time (%)"), _("Satisfaction (%)"),
    ]
    widths = [26, 8, 8, 10, 10, 10, 10, 12, 12]
    if card.has_commitments:
        headers += [_("Commitments made"), _("Completed"), _("Verified"), _("Commitments overdue"),
                    _("Public satisfaction (%)")]
        widths += [10, 10, 10, 10, 12]
    if card.has_appraisal:
        headers += [_("Appraisal score"), _("Rank")]
        widths += [10, 8]
    headers += [_("Deliverables required"), _("Deliverables accepted"), _("Deliverables overdue")]
    widths += [10, 10, 10]

    def rows():
        for row in card.rows:
            t, c, d = row.tasks, row.complaints, row.deliverables
            values = [row.office_name, t.total, t.done, t.done_on_time, t.overdue, c.received, c.closed,
                      c.on_time_rate, c.satisfaction_rate]
            if card.has_commitments:
                m = row.commitments
                values += [m.made, m.completed, m.verified, m.overdue, m.satisfaction_rate]
            if card.has_appraisal:
                a = row.appraisal
                values += [a.score, a.rank]
            values += [d.required, d.accepted, d.overdue]
            yield values

    return _("Office scorecard"), headers, widths, rows()


LEDGERS: dict[str, Ledger] = {
    ledger.key: ledger
    for ledger in [
        Ledger("tasks", gettext_lazy("Task ledger"),
               gettext_lazy("One row per office and task: deadline, the office's due date, status, progress, "
                            "completion and whether it was on time."),
               "task-ledger", _tasks_allowed, _task_count, _task_sheet),
        Ledger("complaints", gettext_lazy("Complaint ledger"),
               gettext_lazy("One row per complaint you may see: dates, offices, status, time limits, rating. "
                            "Who complained is included only for complaint-centre staff allowed to see it."),
               "complaint-ledger", _complaints_allowed, _complaint_count, _complaint_sheet),
        Ledger("cases", gettext_lazy("Accountability cases"),
               gettext_lazy("Every accountability case (责任追究) opened on a complaint of this campaign."),
               "accountability-cases", _cases_allowed, _cases_count, _cases_sheet),
        Ledger("scorecard", gettext_lazy("Office scorecard"),
               gettext_lazy("The dashboard's scorecard: one row per office, every figure."),
               "office-scorecard", _scorecard_allowed, _scorecard_count, _scorecard_sheet),
    ]
}


def all_ledgers() -> dict[str, Ledger]:
    """The ledgers above plus those the rectification and evaluations apps make possible."""
    ledgers = dict(LEDGERS)
    ledgers.update(integrations.ledgers(Ledger))
    return ledgers


def ledgers_for(user) -> list[Ledger]:
    return [ledger for ledger in all_ledgers().values() if ledger.allowed(user)]
