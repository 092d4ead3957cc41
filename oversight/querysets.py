"""QuerySets named for the screens that use them; each owns its joins and its scoping."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef


def reads_all(user) -> bool:
    """The campaign office, supervisors and admins read every office's figures."""
    return user.is_authenticated and (
        user.is_superuser
        or user.has_perm("oversight.view_dashboard")
        or user.has_perm("oversight.review_deliverables")
    )


class DeliverableQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every deliverable for those who read all offices; otherwise those that
        apply to the user's own office."""
        if not user.is_authenticated:
            return self.none()
        if reads_all(user):
            return self
        if user.office_id is None:
            return self.none()
        through = self.model.offices.through
        return self.filter(Exists(through.objects.filter(deliverable=OuterRef("pk"), office_id=user.office_id)))

    def of_campaign(self, campaign_id: int):
        return self.filter(phase__campaign_id=campaign_id)


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if reads_all(user):
            return self
        if user.office_id is None:
            return self.none()
        return self.filter(office_id=user.office_id)


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafts only for those who write bulletins; published ones, internal or
        public, for every staff member."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("oversight.manage_bulletins"):
            return self
        return self.filter(status="published")

    def public(self):
        return self.filter(status="published", audience="public")


class DisclosureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")
