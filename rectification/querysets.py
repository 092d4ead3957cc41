"""QuerySets named for the screens that use them; each owns its joins."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Self

from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from campaigns import scope

from . import rules

OPEN = ["published", "in_progress", "sent_back", "reopened"]
PUBLIC_SCOPES = ["public", "media"]


def _any(qs, conditions: list[Q]):
    return qs.filter(reduce(or_, conditions)) if conditions else qs.none()


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The campaign office and office heads see the problems of the offices in
        their reach (campaigns/scope.py); staff see their own office's."""
        if not user.is_authenticated:
            return self.none()
        if rules.sees_all(user) or scope.follows_sub_offices(user):
            return self.filter(scope.within(user, "office"))
        return _any(self, [Q(office_id=user.office_id)] if user.office_id else [])

    def for_list(self, user):
        return (
            self.visible_to(user)
            .select_related("office", "problem_type", "created_by")
            .annotate(
                complaint_count=Count("complaints", distinct=True), commitment_count=Count("commitments", distinct=True)
            )
        )


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if rules.sees_all(user) or scope.follows_sub_offices(user):
            return self.filter(scope.within(user, "office"))
        return _any(self, [Q(office_id=user.office_id)] if user.office_id else [])

    def for_review(self, user):
        """The plans list: each plan with its office and how many commitments in each state."""
        return (
            self.visible_to(user)
            .select_related("office", "campaign", "submitted_by", "reviewed_by")
            .annotate(
                commitment_total=Count("commitments"),
                commitment_draft=Count("commitments", filter=Q(commitments__status="draft")),
                commitment_done=Count("commitments", filter=Q(commitments__status__in=["completed", "verified"])),
            )
        )


class CommitmentQuerySet(models.QuerySet):
    # --- Who sees what ------------------------------------------------------------
    def public(self):
        """What the public may read: public or media scope, and published."""
        return self.filter(scope__in=PUBLIC_SCOPES).exclude(status="draft")

    def visible_to(self, user):
        """Staff pages: the campaign office sees every commitment in its reach
        (campaigns/scope.py), office heads those of their office and the offices
        under it; staff of the plan's or the responsible office see that office's
        commitments, internal ones and drafts included; supervisors see the public
        ones in their reach."""
        if not user.is_authenticated:
            return self.none()
        reach = scope.within(user, "plan__office") | scope.within(user, "responsible_office")
        if rules.sees_all(user):
            return self.filter(reach)
        conditions = []
        if user.office_id:
            conditions.append(Q(plan__office_id=user.office_id) | Q(responsible_office_id=user.office_id))
        if scope.follows_sub_offices(user):
            conditions.append(reach)
        if rules.can_flag(user):
            conditions.append(Q(scope__in=PUBLIC_SCOPES) & ~Q(status="draft") & reach)
        return _any(self, conditions)

    def in_shown_campaign(self):
        """The commitments of the campaign the page shows (``?campaign=``, else the
        first it may show: campaigns/current.py); outside a request, the campaign
        shown first. A subquery: no query of its own."""
        from campaigns.current import shown_campaign

        return self.filter(plan__campaign__in=shown_campaign())

    def open(self):
        return self.filter(status__in=OPEN)

    def overdue_on(self, day: dt.date):
        return self.open().filter(deadline__lt=day)

    def with_overdue(self, day: dt.date):
        return self.annotate(
            is_overdue_now=models.Case(
                models.When(status__in=OPEN, deadline__lt=day, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    # --- Screens ---------------------------------------------------------------------
    def for_board(self, day: dt.date):
        """The public board: one row per public commitment with both offices."""
        return (
            self.public()
            .in_shown_campaign()
            .select_related("responsible_office", "plan__office")
            .with_overdue(day)
            .order_by("deadline", "pk")
        )

    def for_public_detail(self):
        from .models import ProgressUpdate, PublicComment

        return (
            self.public()
            .select_related("responsible_office", "higher_office", "plan__office", "plan__campaign")
            .prefetch_related(
                "problems",
                Prefetch(
                    "updates",
                    queryset=ProgressUpdate.objects.select_related("office")
                    .prefetch_related("evidence")
                    .order_by("reported_on", "created_at", "pk"),
                ),
                "revisions",
                Prefetch(
                    "comments",
                    queryset=PublicComment.objects.filter(state="published").order_by("created_at", "pk"),
                    to_attr="published_comments",
                ),
            )
        )

    def for_staff_list(self, user, day: dt.date):
        return (
            self.visible_to(user)
            .select_related("responsible_office", "plan__office", "plan__campaign")
            .with_overdue(day)
        )

    def for_staff_detail(self, user, day: dt.date):
        from .models import LookBack, ProgressUpdate, SupervisorFlag

        return (
            self.for_staff_list(user, day)
            .select_related("higher_office", "verified_by", "created_by")
            .prefetch_related(
                Prefetch("problems", queryset=self._problems()),
                Prefetch(
                    "updates",
                    queryset=ProgressUpdate.objects.select_related("office", "author")
                    .prefetch_related("evidence")
                    .order_by("reported_on", "created_at", "pk"),
                ),
                Prefetch("revisions", queryset=self._revisions()),
                Prefetch("lookbacks", queryset=LookBack.objects.select_related("decided_by").order_by("number")),
                Prefetch("flags", queryset=SupervisorFlag.objects.select_related("flagged_by", "lookback")),
            )
        )

    @staticmethod
    def _problems():
        from .models import Problem

        return Problem.objects.select_related("office")

    @staticmethod
    def _revisions():
        from .models import CommitmentRevision

        return CommitmentRevision.objects.select_related("revised_by")

    # --- The look-back queue -----------------------------------------------------------
    def with_recent_ratings(self) -> Self:
        """``recent_ratings`` and ``recent_dissatisfied``: ratings since the last
        look-back decision (all of them when there was none)."""
        from .models import Rating

        recent = Rating.objects.filter(commitment=OuterRef("pk")).filter(
            Q(commitment__ratings_since__isnull=True) | Q(created_at__gte=F("commitment__ratings_since"))
        )

        def counted(qs):
            return Coalesce(
                Subquery(qs.values("commitment").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
                0,
            )

        return self.annotate(
            recent_ratings=counted(recent),
            recent_dissatisfied=counted(recent.filter(value="dissatisfied")),
        )

    def with_open_flags(self) -> Self:
        from .models import SupervisorFlag

        return self.annotate(
            open_flags=Coalesce(
                Subquery(
                    SupervisorFlag.objects.filter(commitment=OuterRef("pk"), lookback__isnull=True)
                    .values("commitment")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
        )

    def for_lookback(self, *, min_ratings: int, dissatisfied_share: int):
        """Every published commitment with at least ``min_ratings`` recent ratings of
        which more than ``dissatisfied_share`` per cent are dissatisfied, or with a
        supervisor's flag not yet settled."""
        return (
            self.exclude(status="draft")
            .with_recent_ratings()
            .with_open_flags()
            .annotate(
                # dissatisfied / ratings > share / 100, without division
                dissatisfied_excess=F("recent_dissatisfied") * 100 - F("recent_ratings") * dissatisfied_share
            )
            .filter(Q(recent_ratings__gte=min_ratings, dissatisfied_excess__gt=0) | Q(open_flags__gt=0))
            .select_related("responsible_office", "plan__office")
        )
