from django.db import models
from django.db.models import Q


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The complaint centre and readers of all complaints see everything except
        complaints about their own office; other staff see what their office
        handles or is asked to take over, and what they registered themselves.
        Nobody sees complaints about their own office."""
        if not user.is_authenticated:
            return self.none()
        qs = self
        if user.office_id:
            qs = qs.exclude(office_id=user.office_id)
        if user.is_superuser:
            return qs
        if user.has_perm("complaints.handle_complaints") or user.has_perm("complaints.view_all_complaints"):
            return qs
        if user.office_id is None:
            return self.none()
        # First-inquiry responsibility (首问负责): whoever registered it keeps following it.
        return qs.filter(
            Q(handling_office_id=user.office_id) | Q(pending_transfer_to_id=user.office_id) | Q(first_receiver_id=user.pk)
        )

    def open(self):
        from .models import Complaint

        return self.filter(status__in=Complaint.OPEN_STATUSES)

    def for_queue(self, user):
        """The staff queue: one row per complaint with its office and type, and never the identity."""
        return self.visible_to(user).select_related(
            "office", "problem_type", "handling_office", "pending_transfer_to"
        )

    def for_staff_detail(self, user):
        return self.for_queue(user).select_related("first_receiver", "first_office", "campaign")
