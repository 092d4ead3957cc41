"""QuerySets named for the screens that use them; each owns its joins and its scoping."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q

from campaigns import scope

if TYPE_CHECKING:
    from .models import Bulletin, DisclosureItem, LevelReport, Submission  # noqa: F401 (the QuerySets' type parameters, strings)


def reads_all(user) -> bool:
    """The campaign office, supervisors and admins read every office's figures."""
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("oversight.view_dashboard") or user.has_perm("oversight.review_deliverables")
    )


class DeliverableQuerySet(models.QuerySet):
    def visible_to(self, user):
        """For those who read all offices, the deliverables that apply to an office
        in their reach (campaigns/scope.py); otherwise those that apply to the
        user's own office."""
        if not user.is_authenticated:
            return self.none()
        through = self.model.offices.through
        if reads_all(user):
            return self.filter(scope.within_any(user, through.objects.all(), "deliverable"))
        if user.office_id is None:
            return self.none()
        return self.filter(Exists(through.objects.filter(deliverable=OuterRef("pk"), office_id=user.office_id)))

    def of_campaign(self, campaign_id: int):
        return self.filter(phase__campaign_id=campaign_id)


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if reads_all(user) or scope.follows_sub_offices(user):
            return self.filter(scope.within(user, "office"))
        if user.office_id is None:
            return self.none()
        return self.filter(office_id=user.office_id)


class BulletinQuerySet(models.QuerySet["Bulletin"]):
    def visible_to(self, user):
        """By the level they are written at (campaigns/scope.py): published ones,
        internal or public, for every staff member of that level and the levels
        under it (a city's bulletin reaches the districts, a district's never the
        district beside it); for those who write bulletins, the drafts and
        bulletins written in their reach as well (the city reads a district's)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        published = Q(status="published") & scope.issued_at_or_above(user, "author__office")
        if user.has_perm("oversight.manage_bulletins"):
            return self.filter(published | scope.within(user, "author__office"))
        return self.filter(published)

    def public(self) -> Self:
        return self.filter(status="published", audience="public")


class DisclosureQuerySet(models.QuerySet["DisclosureItem"]):
    def visible_to(self, user):
        """Staff pages: the items prepared in the publisher's reach (campaigns/scope.py)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(scope.within(user, "prepared_by__office"))

    def published(self) -> Self:
        return self.filter(status="published")


class LevelReportQuerySet(models.QuerySet["LevelReport"]):
    def visible_to(self, user):
        """Reports sent by a level in the reader's reach (campaigns/scope.py): a
        district's campaign office reads its own, the city's reads every district's
        it receives; never the district beside it. Only for those who read every
        office's figures."""
        if not reads_all(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(scope.within(user, "sender_level"))
