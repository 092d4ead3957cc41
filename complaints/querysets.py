import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import BooleanField, Case, DateField, F, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from campaigns.models import Office

if TYPE_CHECKING:
    from .models import Complaint  # noqa: F401 (the QuerySet's type parameter, a string)


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    """The statuses come from ``rules``, imported in each method: ``rules`` needs the
    model, and the model needs this class."""

    def visible_to(self, user):
        """The complaint centre and readers of all complaints see the complaints
        about the offices of their level and everything under it; office heads what
        their office and those under it handle; other staff what their office
        handles or is asked to take over; and everyone what they registered
        themselves. Nobody sees complaints about their own office."""
        from campaigns import scope

        from . import rules

        if not user.is_authenticated:
            return self.none()
        qs = self
        if user.office_id:
            qs = qs.exclude(office_id=user.office_id)
        if user.is_superuser:
            return qs
        if rules.reads_all_complaints(user):
            # The centre and readers of all complaints: those about an office of
            # their level (campaigns/scope.py).
            qs = qs.filter(
                scope.within(user, "office")
                | scope.within(user, "handling_office")
                | scope.within(user, "centre")
                | Q(office__isnull=True, handling_office__isnull=True, centre__isnull=True)
                | self._own(user)
            )
            if rules.is_centre(user) and user.office_id:
                # A centre never follows complaints about the government it belongs
                # to (its parent): those go to the centre above (rules.centre_for).
                parent = Office.objects.filter(pk=user.office_id).values("parent_id")[:1]
                # (0 for a centre at the top: NULL would make the whole condition unknown.)
                qs = qs.exclude(Q(office_id=Coalesce(Subquery(parent), Value(0))) & ~Q(centre_id=user.office_id))
            return qs
        if user.office_id is None:
            return self.none()
        if scope.follows_sub_offices(user):
            # Office heads follow what their office and those under it handle.
            return qs.filter(
                scope.within(user, "handling_office") | scope.within(user, "pending_transfer_to") | self._own(user)
            )
        return qs.filter(self._own(user))

    @staticmethod
    def _own(user) -> Q:
        """What the user's office handles or is asked to take over, and what they
        registered themselves: first-inquiry responsibility (首问负责), whoever
        registered it keeps following it."""
        if user.office_id is None:
            return Q(first_receiver_id=user.pk)
        return (
            Q(handling_office_id=user.office_id)
            | Q(pending_transfer_to_id=user.office_id)
            | Q(first_receiver_id=user.pk)
        )

    def open(self):
        from . import rules

        return self.filter(status__in=rules.OPEN)

    def for_queue(self, user):
        """The staff queue: one row per complaint with its office and type, and never the identity."""
        return self.visible_to(user).select_related(
            "office", "problem_type", "handling_office", "pending_transfer_to", "centre"
        )

    def for_staff_detail(self, user):
        return self.for_queue(user).select_related("first_receiver", "first_office", "campaign")

    # --- Overdue: ``rules.current_due`` and ``rules.is_overdue`` as a query ----------------
    def with_due(self, today: dt.date):
        """``current_due``: the date the complaint waits for now (acceptance while
        registered, completion while accepted and not replied, none once replied or
        finished); ``is_overdue``: that date has passed and the clock is not paused."""
        from . import rules

        return self.annotate(
            current_due=Case(
                When(status=rules.Status.REGISTERED, then=F("accept_due")),
                When(status__in=rules.COMPLETING, then=F("complete_due")),
                default=Value(None),
                output_field=DateField(),
            )
        ).annotate(
            is_overdue=Case(
                When(paused_since__isnull=True, current_due__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def overdue(self, today: dt.date):
        return self.with_due(today).filter(is_overdue=True)

    def overdue_to_accept(self, today: dt.date):
        """Overdue while registered: written on the columns of the partial index
        ``complaint_late_accept_idx``, so an office's late ones are read in order."""
        from . import rules

        return self.filter(status=rules.Status.REGISTERED, accept_due__lt=today, paused_since__isnull=True)

    def overdue_to_complete(self, today: dt.date):
        """Overdue while accepted and not replied (``complaint_late_complete_idx``)."""
        from . import rules

        return self.filter(status__in=rules.COMPLETING, complete_due__lt=today, paused_since__isnull=True)

    def past_completion_limit(self, today: dt.date):
        """Not replied by the completion date, accepted or not: one still waiting
        for acceptance then has missed both limits (accountability cases)."""
        from . import rules

        return self.filter(status__in=rules.HANDLING, complete_due__lt=today, paused_since__isnull=True)
