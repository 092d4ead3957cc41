from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .models import Notification


@login_required
def inbox(request):
    """Each notice as a subject, one line, a time and one link, in the reader's
    language of the moment (``Notification.inbox_subject``, ``inbox_summary``)."""
    notices = request.user.notifications.order_by("-created_at", "-pk")
    unread = request.user.notifications.filter(read_at__isnull=True).count()
    show = request.GET.get("show", "all")
    if show == "unread":
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, 25).get_page(request.GET.get("page"))
    # The navbar's badge reads the same count (notifications.context_processors).
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "show": show, "unread_count": unread, "inbox_unread": unread},
    )


@login_required
@require_POST
def mark_read(request, pk):
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(
        request, ngettext("%(n)d notice marked as read.", "%(n)d notices marked as read.", count) % {"n": count}
    )
    return redirect("notifications:inbox")
