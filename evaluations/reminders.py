"""The reminder sweep's view of appraisals: an open survey's closing time is a
deadline for the campaign office (to chase the invitations still unused, then close
and publish). Found by notifications.sources.all_sources()."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from campaigns.roles import Role
from notifications.models import DeadlineKind
from notifications.sources import CHUNK_SIZE, DeadlineSource, DueItem
from notifications.texts import Text


class SurveyClosingSource(DeadlineSource):
    """Each open survey, by the day it closes. No office holds it: ``office=None`` with
    the campaign office as the source's oversight role (see notifications.services.
    resolve_recipients), which is reminded before and escalated to after."""

    kind = DeadlineKind.SURVEY
    oversight_role = Role.CAMPAIGN_OFFICE

    def items(self, start: dt.date, end: dt.date):
        from .models import Survey

        tz = timezone.get_current_timezone()
        first = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
        last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
        surveys = (
            Survey.objects.filter(status=Survey.Status.OPEN, closes_at__gte=first, closes_at__lt=last)
            .select_related("campaign__office")
            .order_by("pk")
        )
        for survey in surveys.iterator(chunk_size=CHUNK_SIZE):
            yield DueItem(
                target=survey,
                deadline=timezone.localdate(survey.closes_at),
                office=None,
                title=Text(gettext_noop("Appraisal survey “%(title)s” closes"), {"title": survey.title}),
                link=reverse("evaluations-staff:detail", args=[survey.pk]),
                oversight_over=survey.campaign.office,  # the campaign's level's campaign office
            )


SOURCES = [SurveyClosingSource()]
