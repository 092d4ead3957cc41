"""The complaints' time limits in the reminder sweep (notifications.sources
discovers ``SOURCES``): the acceptance limit of a registered complaint reminds the
complaint centre, the completion limit of an accepted one the handling office (the
centre while it holds the complaint itself), in working days. A paused clock
reminds nobody, and staff of the office complained about never hear of it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from campaigns.roles import Role
from notifications.models import DeadlineKind
from notifications.sources import CHUNK_SIZE, DeadlineSource, DueItem
from notifications.texts import Text


class _ComplaintSource(DeadlineSource):
    oversight_role = Role.COMPLAINT_CENTRE
    field: str
    title: str

    def complaints(self):
        raise NotImplementedError

    def items(self, start, end):
        complaints = (
            self.complaints()
            .filter(paused_since__isnull=True, **{f"{self.field}__gte": start, f"{self.field}__lte": end})
            .select_related("handling_office", "centre")
            .order_by("pk")
        )
        for complaint in complaints.iterator(chunk_size=CHUNK_SIZE):
            yield DueItem(
                target=complaint,
                deadline=getattr(complaint, self.field),
                office=complaint.handling_office if self.kind == DeadlineKind.COMPLAINT_COMPLETE else None,
                title=Text(self.title, {"number": complaint.tracking_number}),
                link=reverse("complaints-staff:detail", args=[complaint.pk]),
                excluded_office_id=complaint.office_id,
                oversight_over=complaint.centre,  # that centre's level (rules.centre_for); none: every centre
            )


class ComplaintAcceptSource(_ComplaintSource):
    kind = DeadlineKind.COMPLAINT_ACCEPT
    field = "accept_due"

    def complaints(self):
        from .models import Complaint

        return Complaint.objects.filter(status=Complaint.Status.REGISTERED)

    title = gettext_noop("Acceptance of complaint %(number)s")


class ComplaintCompleteSource(_ComplaintSource):
    kind = DeadlineKind.COMPLAINT_COMPLETE
    field = "complete_due"

    def complaints(self):
        from . import rules
        from .models import Complaint

        return Complaint.objects.filter(status__in=rules.COMPLETING)

    title = gettext_noop("Completion of complaint %(number)s")


SOURCES = [ComplaintAcceptSource(), ComplaintCompleteSource()]
