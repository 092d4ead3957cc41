"""Deliverables in the reminder sweep (notifications.sources discovers SOURCES)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications.models import DeadlineKind
from notifications.sources import CHUNK_SIZE, DeadlineSource, DueItem
from notifications.texts import Text


class DeliverableSource(DeadlineSource):
    """Each office a deliverable applies to, by the deliverable's due date, until a
    version of it is accepted or waits for review (a returned one is reminded again)."""

    kind = DeadlineKind.DELIVERABLE

    def items(self, start, end):
        from .models import Deliverable, Submission
        from .selectors.deliverables import latest_submission

        pairs = (
            Deliverable.offices.through.objects.filter(
                deliverable__due_date__gte=start, deliverable__due_date__lte=end, office__is_active=True
            )
            .annotate(latest_status=latest_submission())
            # Nothing handed in yet, or the latest version was returned.
            .filter(Q(latest_status__isnull=True) | Q(latest_status=Submission.Status.RETURNED))
            .select_related("deliverable", "deliverable__phase", "office")
            .order_by("pk")
        )
        for pair in pairs.iterator(chunk_size=CHUNK_SIZE):
            deliverable = pair.deliverable
            yield DueItem(
                target=pair,
                deadline=deliverable.due_date,
                office=pair.office,
                title=Text(
                    gettext_noop("Deliverable “%(title)s” (phase %(phase)s)"),
                    {"title": deliverable.title, "phase": deliverable.phase.name},
                ),
                link=reverse("oversight-staff:deliverable-cell", args=[deliverable.pk, pair.office_id]),
            )


SOURCES = [DeliverableSource()]
