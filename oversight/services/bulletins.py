"""Bulletins (通报): a draft is written and edited, then published once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import AuditEvent, Campaign

from ..models import Bulletin, DisclosureItem

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

    from campaigns.models import Office, User

BODY_MIN, BODY_MAX = 5, 20000


def can_manage(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("oversight.manage_bulletins")


def _check(*, kind: str, audience: str, title: str, body: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    body = (body or "").replace("\r\n", "\n").strip()
    if kind not in Bulletin.Kind.values:
        errors["kind"] = _("Choose the kind of bulletin.")
    if audience not in Bulletin.Audience.values:
        errors["audience"] = _("Choose who may read the bulletin.")
    if not title:
        errors["title"] = _("A bulletin needs a title.")
    if len(body) < BODY_MIN:
        errors["body"] = _("Write the bulletin (at least %(n)d characters).") % {"n": BODY_MIN}
    elif len(body) > BODY_MAX:
        errors["body"] = _("A bulletin may be at most %(n)d characters long.") % {"n": BODY_MAX}
    if errors:
        raise ValidationError(errors)
    return {"title": title[:200], "body": body}


@transaction.atomic
def bulletin_create(
    *, campaign_id: int, actor: User, kind: str, audience: str, title: str, body: str, offices: Iterable[Office] = ()
) -> Bulletin:
    if not can_manage(actor):
        raise PermissionDenied(_("Only the campaign office writes bulletins."))
    clean = _check(kind=kind, audience=audience, title=title, body=body)
    campaign = Campaign.objects.get(pk=campaign_id)
    bulletin = Bulletin.objects.create(campaign=campaign, kind=kind, audience=audience, author=actor, **clean)
    bulletin.offices.set(offices)
    AuditEvent.record(bulletin, actor, "bulletin.create")
    return bulletin


@transaction.atomic
def bulletin_update(
    *, bulletin_id: int, actor: User, kind: str, audience: str, title: str, body: str, offices: Iterable[Office] = ()
) -> Bulletin:
    if not can_manage(actor):
        raise PermissionDenied(_("Only the campaign office writes bulletins."))
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
    if bulletin.is_published:
        raise ValidationError(
            _("A published bulletin cannot be changed; publish a correction instead."), code="published"
        )
    clean = _check(kind=kind, audience=audience, title=title, body=body)
    bulletin.kind, bulletin.audience = kind, audience
    bulletin.title, bulletin.body = clean["title"], clean["body"]
    bulletin.save(update_fields=["kind", "audience", "title", "body", "updated_at"])
    bulletin.offices.set(offices)
    AuditEvent.record(bulletin, actor, "bulletin.update")
    return bulletin


@transaction.atomic
def bulletin_publish(*, bulletin_id: int, actor: User) -> Bulletin:
    """Publish once: the bulletin gets the campaign's next number and its date; a
    public one enters the disclosure catalogue at the same moment."""
    if not can_manage(actor):
        raise PermissionDenied(_("Only the campaign office publishes bulletins."))
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
    if bulletin.is_published:
        raise ValidationError(
            _("This bulletin was already published on %(date)s; it cannot be published twice.")
            % {"date": timezone.localtime(bulletin.published_at).strftime("%Y-%m-%d %H:%M")},
            code="already_published",
        )
    # Lock the campaign row so that two publications never take the same number.
    Campaign.objects.select_for_update().filter(pk=bulletin.campaign_id).first()
    last = Bulletin.objects.filter(campaign_id=bulletin.campaign_id).aggregate(n=Max("number"))["n"] or 0
    now = timezone.now()
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.number = last + 1
    bulletin.published_at = now
    bulletin.published_by = actor
    bulletin.issuing_office_id = actor.office_id
    bulletin.save(update_fields=["status", "number", "published_at", "published_by", "issuing_office", "updated_at"])
    if bulletin.is_public:
        DisclosureItem.objects.create(
            campaign_id=bulletin.campaign_id,
            kind=DisclosureItem.Kind.BULLETIN,
            bulletin=bulletin,
            title=bulletin.title,
            snapshot={"number": bulletin.number, "kind": bulletin.kind},
            as_of=now,
            status=DisclosureItem.Status.PUBLISHED,
            prepared_by=actor,
            prepared_at=now,
            published_by=actor,
            published_at=now,
            responsible_office_id=actor.office_id,
        )
    AuditEvent.record(bulletin, actor, "bulletin.publish", number=bulletin.number, audience=bulletin.audience)
    return bulletin
