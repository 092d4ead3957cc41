"""QuerySets named for the screens that use them; each owns its joins."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Campaign, Task  # noqa: F401 (the QuerySets' type parameters, strings)


class CampaignQuerySet(models.QuerySet["Campaign"]):
    """Several campaigns run at once. ``running()`` are all of them (the public
    pages and the reminders), ``for_user(user)`` the ones a staff member's pages
    show: the one place that decides it. Both come in the switcher's order
    (``in_order``): the campaign shown first (``is_current``), then the broader
    ones (the city's before a district's), then by start."""

    def running(self):
        return self.filter(status="running").in_order()

    def on_show(self):
        """What the public pages show: every running campaign, and the one shown
        first even once it has closed (its results stay up until another campaign
        is shown first), as before several campaigns ran."""
        return self.filter(Q(status="running") | Q(is_current=True)).in_order()

    def in_order(self):
        from django.db.models.functions import Length

        return self.order_by(
            models.F("is_current").desc(),
            Length("office__path").asc(nulls_first=True),
            "start_date",
            "pk",
        )

    def for_user(self, user):
        """The running campaigns ``user`` takes part in or follows (``reaching``), in
        the switcher's order. One query, whatever the number of campaigns or offices."""
        return self.on_show().reaching(user)

    def for_office(self, office, *, preferred: int | None = None):
        """The campaigns on show that ``office`` takes part in (their node at or above
        it, or no node), the one to file its records under first: ``preferred`` (the
        campaign the page shows) when the office takes part in it, else the nearest
        level's (a street's complaint goes to its district's campaign before the
        city's), then the switcher's order. One query with ``.first()``."""
        from django.db.models import Case, F, IntegerField, When
        from django.db.models.functions import Length

        takes_part = Q(office__isnull=True) | Q(office_path_of_target__startswith=F("office__path"))
        return (
            self.on_show()
            .alias(office_path_of_target=Value(office.path))
            .filter(takes_part)
            .order_by(
                Case(When(pk=preferred or 0, then=Value(0)), default=Value(1), output_field=IntegerField()),
                Length("office__path").desc(nulls_last=True),
                models.F("is_current").desc(),
                "start_date",
                "pk",
            )
        )

    def reaching(self, user):
        """Campaigns of any status that concern ``user``: those of a node of the office
        tree at or above the user's office (a township's staff take part in their
        district's and their city's campaigns), and, for a role that reaches a level
        (campaigns/scope.py), those of any node in that level (the city's campaign
        office follows every district's). A campaign with no node belongs to the
        whole tree."""
        from . import scope
        from .models import Office

        if not (user and user.is_authenticated):
            return self.none()
        if scope.reaches_everything(user):
            return self
        whole_tree = Q(office__isnull=True)
        if user.office_id is None:
            return self.filter(whole_tree)
        above = Exists(Office.objects.filter(pk=user.office_id, path__startswith=OuterRef("office__path")))
        condition = whole_tree | Q(above)
        if scope.reaches_beyond_office(user):
            condition |= scope.within(user, "office")
        return self.filter(condition)

    def planned_by(self, user):
        """Campaigns ``user`` may change (their phases, sections and tasks, a plan
        imported into them): those of a node in the user's reach (campaigns/scope.py).
        A district's campaign office reads the city's campaign (``reaching``) but plans
        only its own district's; a campaign with no node belongs to the whole tree and
        is planned only by a user whose reach is the whole tree."""
        from . import scope

        return scope.restrict(self, user, "office")

    def for_home(self):
        """The campaigns on show (``on_show``) with their phases and each phase's task
        counts: two queries however many campaigns run."""
        from .models import Phase

        phases = Phase.objects.annotate(
            task_total=Count("tasks"),
            task_done=Count("tasks", filter=Q(tasks__status="done")),
        ).order_by("order")
        return self.on_show().select_related("office").prefetch_related(Prefetch("phases", queryset=phases))


class PhaseQuerySet(models.QuerySet):
    def on(self, day: dt.date):
        return self.filter(start_date__lte=day, end_date__gte=day)


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user):
        """Tasks a staff member may open: for the campaign office, supervisors and
        office heads, those with an office in their reach (campaigns/scope.py: the
        level their role is held for, or the head's office and those under it);
        otherwise those assigned to the user's own office."""
        from . import scope
        from .models import TaskAssignment

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.has_perm("campaigns.view_all_tasks") or scope.follows_sub_offices(user):
            return self.filter(scope.within_any(user, TaskAssignment.objects.all(), "task"))
        if user.office_id is None:
            return self.none()
        return self.filter(Exists(TaskAssignment.objects.filter(task=OuterRef("pk"), office_id=user.office_id)))

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

    def open(self):
        return self.exclude(status="done")

    def for_office(self, office_id: int):
        """Tasks the office leads or assists."""
        from .models import TaskAssignment

        return self.filter(Exists(TaskAssignment.objects.filter(task=OuterRef("pk"), office_id=office_id)))

    def with_urgency(self, user, today: dt.date):
        """``with_due_for`` and ``urgency``: "done"; "overdue" once the user's office's
        due date (else the deadline) has passed; "soon" within ``DUE_SOON_DAYS``;
        "later". The workspace groups tasks by it and the home counts them."""
        soon = today + dt.timedelta(days=settings.DUE_SOON_DAYS)
        return self.with_due_for(user).annotate(
            urgency=models.Case(
                models.When(status="done", then=Value("done")),
                models.When(my_due__lt=today, then=Value("overdue")),
                models.When(my_due__lte=soon, then=Value("soon")),
                default=Value("later"),
                output_field=models.CharField(),
            )
        )

    def _for_staff(self, user):
        return self.visible_to(user).with_due_for(user).select_related("phase", "phase__campaign")

    def with_offices(self):
        """Each task's offices, lead first, for the task tables."""
        from .models import TaskAssignment

        return self.prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("office").order_by("-role", "office__name"),
            )
        )

    def for_task_list(self, user, today: dt.date):
        """The task list and the home: ``with_urgency``, phase and offices joined."""
        return self.visible_to(user).with_urgency(user, today).select_related("phase", "phase__campaign").with_offices()

    def for_detail(self, user):
        from .models import TaskAssignment, TaskComment, TaskReport

        return self._for_staff(user).prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("office", "waived_by", "responsible").order_by(
                    "-role", "office__name"
                ),
            ),
            Prefetch(
                "reports",
                queryset=TaskReport.objects.select_related("office", "author").order_by("-created_at"),
            ),
            Prefetch("comments", queryset=TaskComment.objects.select_related("author")),
        )
