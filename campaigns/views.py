from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.forms import apply_service_errors
from kernel.pagecache import public_page

from . import current, scope, services
from .forms import CommentForm, ProfileForm, ReasonForm, TaskReportForm
from .home import panels_for
from .models import Campaign, Task, TaskAssignment, TaskReport


@public_page
def home(request):
    """Every running campaign: the one the address names (``?campaign=``, else the
    first) with its phases, the others as links."""
    campaigns = list(Campaign.objects.for_home())
    wanted = current.requested_pk(request)
    if current.PARAMETER in request.GET and not any(c.pk == wanted for c in campaigns):
        raise Http404("No such campaign here.")
    campaign = next((c for c in campaigns if c.pk == wanted), campaigns[0] if campaigns else None)
    today = timezone.localdate()
    phases = list(campaign.phases.all()) if campaign else []
    now = next((p for p in phases if p.is_current_on(today)), None)
    return render(
        request,
        "campaigns/home.html",
        {
            "campaign": campaign,
            "other_campaigns": [c for c in campaigns if c is not campaign],
            "phases": phases,
            "current_phase": now,
            "today": today,
        },
    )


def _get_task_for_staff(user, pk, *, detail=False) -> Task:
    """The task if ``user`` may see it; 404 otherwise, so other offices' tasks
    are indistinguishable from ones that don't exist."""
    qs = Task.objects.for_detail(user) if detail else Task.objects.visible_to(user)
    return get_object_or_404(qs, pk=pk)


@login_required
def workspace(request):
    """Each role's home: what the user must do today, gathered from every app's
    ``home.py`` (campaigns/home.py)."""
    today = timezone.localdate()
    return render(request, "staff/home.html", {"panels": panels_for(request.user, today), "today": today})


#: The task list's groups, in the order shown; ``?state=`` shows one of them.
URGENCIES = ("overdue", "soon", "later", "done")


@login_required
def tasks(request):
    """The tasks of the user's office (every office's for those who read them all, with
    an office filter) in the campaign the page shows (``?campaign=``), by urgency (``TaskQuerySet.with_urgency``)."""
    user = request.user
    today = timezone.localdate()
    campaign = current.current_summary_or_404()  # the header's summary: no query of its own
    tasks = Task.objects.for_task_list(user, today).filter(phase__campaign_id=campaign.pk if campaign else None)
    office_filter = None
    offices = []
    if scope.reaches_beyond_office(user):
        offices = scope.offices(user).filter(is_active=True, assignments__isnull=False).distinct().order_by("name")
        office_id = request.GET.get("office")
        if office_id and office_id.isdigit():
            office_filter = int(office_id)
            tasks = tasks.filter(assignments__office_id=office_filter)
    state = request.GET.get("state") if request.GET.get("state") in URGENCIES else ""
    open_tasks = list(tasks.open().order_by("my_due", "phase__order", "number"))
    groups = {key: [t for t in open_tasks if t.urgency == key] for key in URGENCIES[:3]}
    counts = {key: len(rows) for key, rows in groups.items()}
    counts["done"] = tasks.filter(status=Task.Status.DONE).count()
    shown = URGENCIES if not state else (state,)
    done_tasks = list(tasks.filter(status=Task.Status.DONE).order_by("-completed_at")[:20]) if "done" in shown else []
    return render(
        request,
        "staff/tasks.html",
        {
            "groups": {key: rows for key, rows in groups.items() if key in shown},
            "show_done": "done" in shown,
            "done_tasks": done_tasks,
            "counts": counts,
            "state": state,
            "offices": offices,
            "office_filter": office_filter,
            "campaign": campaign,
            "today": today,
        },
    )


def _detail_context(request, task, **forms):
    user = request.user
    my_assignment = next((a for a in task.assignments.all() if a.office_id == user.office_id), None)
    context = {
        "task": task,
        "my_assignment": my_assignment,
        "can_report": services.can_report(user, task),
        "can_complete": services.can_complete(user, task),
        "can_coordinate": services.can_coordinate(user),
        "can_comment": services.can_comment(user),
        "pending_offices": [a for a in task.assignments.all() if a.role == TaskAssignment.Role.CO and not a.is_settled],
        "today": timezone.localdate(),
    }
    context["report_form"] = forms.get("report_form") or TaskReportForm(
        initial={"progress": task.progress},
        show_contribution=bool(my_assignment and my_assignment.role == TaskAssignment.Role.CO),
    )
    context["comment_form"] = forms.get("comment_form") or CommentForm()
    context["reason_form"] = forms.get("reason_form") or ReasonForm()
    context["waive_errors"] = forms.get("waive_errors")
    return context


@login_required
def task_detail(request, pk):
    task = _get_task_for_staff(request.user, pk, detail=True)
    return render(request, "staff/task_detail.html", _detail_context(request, task))


@login_required
@require_POST
def task_report(request, pk):
    task = _get_task_for_staff(request.user, pk, detail=True)
    if not services.can_report(request.user, task):
        raise PermissionDenied
    my = next((a for a in task.assignments.all() if a.office_id == request.user.office_id), None)
    form = TaskReportForm(request.POST, request.FILES, show_contribution=my.role == TaskAssignment.Role.CO)
    if form.is_valid():
        try:
            services.task_report_create(
                task_id=task.pk,
                actor=request.user,
                text=form.cleaned_data["text"],
                progress=form.cleaned_data["progress"],
                contribution_complete=form.cleaned_data.get("contribution_complete", False),
                attachment=form.cleaned_data.get("attachment") or None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your progress report was filed."))
            return redirect("staff:task-detail", pk=task.pk)
    return render(
        request,
        "staff/task_detail.html",
        _detail_context(request, task, report_form=form),
        status=400,
    )


@login_required
@require_POST
def task_complete(request, pk):
    task = _get_task_for_staff(request.user, pk)
    try:
        services.task_complete(task_id=task.pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task is marked as done."))
    return redirect("staff:task-detail", pk=task.pk)


@login_required
@require_POST
def task_reopen(request, pk):
    task = _get_task_for_staff(request.user, pk, detail=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.task_reopen(task_id=task.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The task was reopened."))
            return redirect("staff:task-detail", pk=task.pk)
    if not services.can_coordinate(request.user):
        raise PermissionDenied
    return render(request, "staff/task_detail.html", _detail_context(request, task, reason_form=form), status=400)


@login_required
@require_POST
def assignment_waive(request, pk):
    visible = Task.objects.visible_to(request.user)
    assignment = get_object_or_404(TaskAssignment.objects.filter(task__in=visible), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_waive(
                assignment_id=assignment.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The co-office's contribution was waived."))
            return redirect("staff:task-detail", pk=assignment.task_id)
    if not services.can_coordinate(request.user):
        raise PermissionDenied
    task = _get_task_for_staff(request.user, assignment.task_id, detail=True)
    return render(
        request,
        "staff/task_detail.html",
        _detail_context(request, task, waive_errors={assignment.pk: form}),
        status=400,
    )


@login_required
@require_POST
def task_comment(request, pk):
    task = _get_task_for_staff(request.user, pk, detail=True)
    if not services.can_comment(request.user):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.task_comment_create(task_id=task.pk, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment was added."))
        return redirect("staff:task-detail", pk=task.pk)
    return render(request, "staff/task_detail.html", _detail_context(request, task, comment_form=form), status=400)


@login_required
def report_attachment(request, pk):
    visible = Task.objects.visible_to(request.user)
    report = get_object_or_404(TaskReport.objects.filter(task__in=visible).exclude(attachment=""), pk=pk)
    try:
        handle = report.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=report.attachment_name or None)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        response = redirect("staff:profile")
        if form.cleaned_data.get("preferred_language"):
            from django.conf import settings

            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["preferred_language"],
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
    return render(request, "staff/profile.html", {"form": form}, status=400 if form.errors else 200)
