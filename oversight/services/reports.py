"""报送: a level of government sends its figures to the level above, frozen.

``level_report_send`` reads the campaign's scorecard within the sender's reach at
the sender's own level (oversight/selectors/rollup.py: each of its offices and
each level under it as one row, and the total), freezes names and counts as JSON,
numbers the report (the level's n-th in the campaign), and hands it to the
campaign office of the level above, in its inbox (oversight/notices.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import scope
from campaigns.models import AuditEvent, Campaign, Office
from campaigns.planning.rules import level_office_id
from kernel.dispatch import after_commit

from ..models import LevelReport
from ..selectors.figures import Figures
from ..selectors.rollup import LevelRow, read_at
from ..selectors.scorecard import ScorecardRow, scorecard
from ..tasks import notify_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from campaigns.models import User

TITLE_MAX, NOTE_MAX = 200, 5000


def can_send(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("oversight.send_level_reports")


def levels_of(user: User) -> tuple[Office | None, Office | None]:
    """The level of government ``user`` reports for, and the level above it that
    receives the report (None when there is none: the top of the tree)."""
    pk = level_office_id(user)
    if pk is None:
        return None, None
    sender = Office.objects.select_related("parent").get(pk=pk)
    above = sender.parent.level_path if sender.parent else ""
    recipient = Office.objects.get(path=above) if above else None
    return sender, recipient


def _row(row: ScorecardRow) -> dict[str, Any]:
    return {
        "office": str(row.office_name),
        "offices": row.offices if isinstance(row, LevelRow) else None,
        "figures": {key: value.as_dict() for key, value in row.figures.items() if isinstance(value, Figures)},
    }


def snapshot_for(user: User, campaign: Campaign, sender: Office, today: dt.date) -> dict[str, Any]:
    """The figures as the sender reads them today, by level: plain JSON."""
    reach = scope.offices(user)
    card = scorecard(campaign_id=campaign.pk, today=today, offices=reach, fresh=True)
    levels = read_at(card, reach=reach, node=sender, url=reverse("oversight-staff:dashboard"), total_label="")
    return {
        "campaign": campaign.name,
        "level": sender.name,
        "families": [key for key in card.columns if key != "appraisal"],
        "rows": [_row(row) for row in levels.card.rows],
        "total": _row(levels.total)["figures"],
    }


@transaction.atomic
def level_report_send(*, actor: User, campaign_id: int, title: str, note: str = "") -> LevelReport:
    """Send the actor's level's figures in ``campaign`` to the level above, once per
    call, numbered in order even when two are sent at the same moment."""
    if not can_send(actor):
        raise PermissionDenied(_("Only the campaign office sends its level's figures to the level above."))
    errors: dict[str, str] = {}
    title, note = (title or "").strip(), (note or "").replace("\r\n", "\n").strip()
    if not title:
        errors["title"] = _("Give the report a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A title may be at most %(n)d characters long.") % {"n": TITLE_MAX}
    if len(note) > NOTE_MAX:
        errors["note"] = _("A covering note may be at most %(n)d characters long.") % {"n": NOTE_MAX}
    sender, recipient = levels_of(actor)
    if recipient is None or sender is None:
        errors["__all__"] = _("Your level of government has no level above it to report to.")
    if errors:
        raise ValidationError(errors)
    assert sender is not None and recipient is not None
    # The campaign row, locked: two reports sent at once never share a number.
    campaign = Campaign.objects.for_user(actor).select_for_update(of=("self",)).filter(pk=campaign_id).first()
    if campaign is None:
        raise ValidationError(_("This campaign is not one your level takes part in."))
    today = timezone.localdate()
    last = LevelReport.objects.filter(campaign=campaign, sender_level=sender).aggregate(n=Max("number"))["n"] or 0
    report = LevelReport.objects.create(
        campaign=campaign,
        sender_level=sender,
        recipient_level=recipient,
        number=last + 1,
        title=title,
        note=note,
        snapshot=snapshot_for(actor, campaign, sender, today),
        as_of=today,
        sent_by=actor,
        sent_at=timezone.now(),
    )
    event = AuditEvent.record(
        report, actor, "level_report.send", number=report.number, sender=sender.pk, recipient=recipient.pk
    )
    after_commit(notify_staff, event.pk)
    return report
