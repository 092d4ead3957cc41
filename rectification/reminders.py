"""Commitment deadlines for the reminder sweep (notifications.sources discovers
``SOURCES``): each open commitment — published, in progress, sent back or
reopened; not drafts, and not those claimed complete or verified — reminds its
responsible office before the deadline and escalates after it, by the
"Rectification commitment deadlines" reminder rule."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications.models import DeadlineKind
from notifications.sources import CHUNK_SIZE, DeadlineSource, DueItem
from notifications.texts import Text


class CommitmentSource(DeadlineSource):
    kind = DeadlineKind.COMMITMENT

    def items(self, start, end):
        from .models import Commitment

        commitments = (
            Commitment.objects.open()
            .filter(deadline__gte=start, deadline__lte=end)
            .select_related("responsible_office", "plan__office")
            .order_by("pk")
        )
        for commitment in commitments.iterator(chunk_size=CHUNK_SIZE):
            yield DueItem(
                target=commitment,
                deadline=commitment.deadline,
                office=commitment.responsible_office,
                title=Text(
                    gettext_noop("Rectification commitment %(code)s “%(content)s”"),
                    {"code": commitment.code, "content": commitment.content[:60]},
                ),
                link=reverse("rectification-staff:commitment-detail", args=[commitment.pk]),
            )


SOURCES = [CommitmentSource()]
