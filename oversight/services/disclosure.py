"""Public disclosure (政务公开): prepare a snapshot, check it, publish it once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import AuditEvent, Campaign

from .. import snapshots
from ..models import DisclosureItem

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from campaigns.models import User

Status = DisclosureItem.Status


def can_publish(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("oversight.publish_disclosure")


@transaction.atomic
def disclosure_prepare(
    *, campaign_id: int, actor: User, kind: str, title: str = "", today: dt.date | None = None
) -> DisclosureItem:
    """Copy the live figures into a new draft item; nothing is public yet."""
    if not can_publish(actor):
        raise PermissionDenied(_("Only the campaign office prepares items for publication."))
    if kind not in snapshots.available_kinds():
        raise ValidationError({"kind": _("This kind of item cannot be prepared here.")}, code="bad_kind")
    campaign = Campaign.objects.get(pk=campaign_id)
    now = timezone.now()
    today = today or timezone.localdate(now)
    title = (title or "").strip()[:200] or snapshots.default_title(kind, campaign, today)
    item = DisclosureItem.objects.create(
        campaign=campaign,
        kind=kind,
        title=title,
        snapshot=snapshots.build(kind, campaign, today),
        as_of=now,
        prepared_by=actor,
        prepared_at=now,
    )
    AuditEvent.record(item, actor, "disclosure.prepare", kind=kind)
    return item


@transaction.atomic
def disclosure_publish(*, item_id: int, actor: User) -> DisclosureItem:
    if not can_publish(actor):
        raise PermissionDenied(_("Only the campaign office publishes."))
    item = DisclosureItem.objects.select_for_update().get(pk=item_id)
    if item.is_published:
        raise ValidationError(
            _("“%(title)s” was already published on %(date)s; it cannot be published twice.")
            % {"title": item.title, "date": timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M")},
            code="already_published",
        )
    item.status = Status.PUBLISHED
    item.published_at = timezone.now()
    item.published_by = actor
    item.responsible_office_id = actor.office_id
    item.save(update_fields=["status", "published_at", "published_by", "responsible_office"])
    AuditEvent.record(item, actor, "disclosure.publish", kind=item.kind)
    return item


@transaction.atomic
def disclosure_discard(*, item_id: int, actor: User) -> None:
    """Throw away a draft (e.g. to prepare fresher figures). A published item stays."""
    if not can_publish(actor):
        raise PermissionDenied(_("Only the campaign office prepares items for publication."))
    item = DisclosureItem.objects.select_for_update().get(pk=item_id)
    if item.is_published:
        raise ValidationError(_("A published item cannot be withdrawn here."), code="published")
    AuditEvent.record(item, actor, "disclosure.discard", kind=item.kind, title=item.title)
    item.delete()
