"""QuerySets named for the screens that use them; each owns its joins."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone


class CampaignQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()

    def for_home(self):
        """The current campaign with its phases and each phase's task counts."""
        from .models import Phase

        phases = Phase.objects.annotate(
            task_total=Count("tasks"),
            task_done=Count("tasks", filter=Q(tasks__status="done")),
        ).order_by("order")
        return self.filter(is_current=True).prefetch_related(Prefetch("phases", queryset=phases))


class PhaseQuerySet(models.QuerySet):
    def on(self, day: dt.date):
        return self.filter(start_date__lte=day, end_date__gte=day)


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks a staff member may open: all of them for the campaign office and
        supervisors, otherwise only those assigned to the user's own office."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("campaigns.view_all_tasks"):
            return self
        if user.office_id is None:
            return self.none()
        from .models import TaskAssignment

        return self.filter(
            Exists(TaskAssignment.objects.filter(task=OuterRef("pk"), office_id=user.office_id))
        )

    def with_due_for(self, user):
        """Annotate ``my_due`` (the user's office's due date, else the deadline),
        ``my_role`` and ``my_overdue`` so the workspace needs no extra queries."""
        from .models import TaskAssignment

        today = timezone.localdate()
        qs = self
        if user.office_id:
            mine = TaskAssignment.objects.filter(task=OuterRef("pk"), office_id=user.office_id)
            qs = qs.annotate(
                my_due=Coalesce(Subquery(mine.values("due_date")[:1]), "deadline"),
                my_role=Subquery(mine.values("role")[:1]),
            )
        else:
            qs = qs.annotate(my_due=models.F("deadline"), my_role=Value(None, models.CharField()))
        return qs.annotate(
            my_overdue=models.Case(
                models.When(~Q(status="done") & Q(my_due__lt=today), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def _for_staff(self, user):
        return self.visible_to(user).with_due_for(user).select_related("phase", "phase__campaign")

    def for_workspace(self, user):
        from .models import TaskAssignment

        return (
            self._for_staff(user)
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=TaskAssignment.objects.select_related("office").order_by(
                        "-role", "office__name"
                    ),
                )
            )
        )

    def for_detail(self, user):
        from .models import TaskAssignment, TaskComment, TaskReport

        return self._for_staff(user).prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("office", "waived_by").order_by(
                    "-role", "office__name"
                ),
            ),
            Prefetch(
                "reports",
                queryset=TaskReport.objects.select_related("office", "author").order_by(
                    "-created_at"
                ),
            ),
            Prefetch("comments", queryset=TaskComment.objects.select_related("author")),
        )
