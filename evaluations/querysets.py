"""QuerySets named for the screens that use them; each owns its joins and counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from .models import Hearing, Survey  # noqa: F401 (the QuerySets' type parameters, strings)


def _count(queryset, field: str = "pk"):
    """A correlated COUNT subquery: several counts on one row without multiplying joins."""
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(n=Count("*")).values("n")[:1], output_field=IntegerField()),
        Value(0),
    )


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm("evaluations.manage_appraisal")


def can_read_results(user) -> bool:
    return user.is_authenticated and (
        user.has_perm("evaluations.manage_appraisal") or user.has_perm("evaluations.view_appraisal_results")
    )


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user):
        """For the campaign office and result readers (supervisors), the surveys whose
        offices all lie in their reach (campaigns/scope.py): a district reads and runs
        the appraisals of its own offices, the city every one; none for others."""
        from campaigns import scope

        if not can_read_results(user):
            return self.none()
        return self.filter(scope.within_all(user, self.model.offices.through.objects.all(), "survey"))

    def published(self) -> Self:
        return self.filter(status="published")

    def with_counts(self):
        from .models import Ballot, Invitation, Survey

        offices = Survey.offices.through.objects.filter(survey_id=OuterRef("pk"))
        return self.annotate(
            office_count=_count(offices, "survey_id"),
            ballot_count=_count(Ballot.objects.filter(survey_id=OuterRef("pk")), "survey_id"),
            open_link_count=_count(Ballot.objects.filter(survey_id=OuterRef("pk"), channel="open_link"), "survey_id"),
            invitation_count=_count(Invitation.objects.filter(group__survey_id=OuterRef("pk")), "group__survey_id"),
            invitation_used=_count(
                Invitation.objects.filter(group__survey_id=OuterRef("pk"), used_at__isnull=False), "group__survey_id"
            ),
        )

    def for_staff_list(self, user):
        return self.visible_to(user).with_counts().select_related("campaign", "hearing").order_by("-opens_at", "-pk")

    def for_public_list(self):
        return (
            self.published()
            .annotate(
                office_count=_count(self.model.offices.through.objects.filter(survey_id=OuterRef("pk")), "survey_id"),
            )
            .with_ballot_count()
            .select_related("campaign")
            .order_by("-published_at", "-pk")
        )

    def with_ballot_count(self):
        from .models import Ballot

        return self.annotate(ballot_count=_count(Ballot.objects.filter(survey_id=OuterRef("pk")), "survey_id"))


class HearingQuerySet(models.QuerySet["Hearing"]):
    def visible_to(self, user):
        """As for surveys: the hearings whose offices all lie in the reader's reach."""
        from campaigns import scope

        if not can_read_results(user):
            return self.none()
        return self.filter(scope.within_all(user, self.model.offices.through.objects.all(), "hearing"))

    def published(self) -> Self:
        return self.filter(published_at__isnull=False)

    def for_staff_list(self):
        return (
            self.select_related("campaign", "poll")
            .annotate(
                panel_size=Count("panel", distinct=True),
                question_count=Count("questions", distinct=True),
            )
            .prefetch_related("offices")
            .order_by("-date", "-pk")
        )

    def for_public_list(self):
        return (
            self.published()
            .select_related("poll")
            .annotate(question_count=Count("questions", distinct=True))
            .prefetch_related("offices")
            .order_by("-date", "-pk")
        )

    def for_detail(self):
        from .models import HearingQuestion, Panelist

        return self.select_related("campaign", "poll", "published_by").prefetch_related(
            "offices",
            models.Prefetch("panel", queryset=Panelist.objects.order_by("kind", "pk")),
            models.Prefetch(
                "questions",
                queryset=HearingQuestion.objects.select_related("office", "asked_by").order_by("order", "pk"),
            ),
        )


__all__ = ["HearingQuerySet", "SurveyQuerySet", "can_manage", "can_read_results"]
