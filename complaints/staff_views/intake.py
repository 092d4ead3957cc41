"""A complaint taken by phone, letter or at the counter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from kernel.forms import apply_service_errors

from .. import services
from .. import staff_forms as forms
from ..models import Complaint

SUBMITTED_KEY = "complaints_staff_submitted"


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def new(request):
    form = forms.StaffComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.complaint_submit(
                channel=data["channel"],
                actor=request.user,
                ip=None,
                problem_type=data["problem_type"],
                office=data["office"],
                description=data["description"],
                occurred_on=data["occurred_on"],
                location=data["location"],
                is_anonymous=data["is_anonymous"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # Shown once on the next page, then gone: the access code is stored only as a hash.
            request.session[SUBMITTED_KEY] = {
                "pk": result.complaint.pk,
                "tracking_number": result.complaint.tracking_number,
                "access_code": result.access_code,
                "duplicate": result.duplicate,
            }
            return redirect("complaints-staff:submitted")
    return render(request, "complaints/staff/new.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
def submitted(request):
    submission = request.session.pop(SUBMITTED_KEY, None)
    if not submission:
        return redirect("complaints-staff:new")
    can_open = Complaint.objects.visible_to(request.user).filter(pk=submission["pk"]).exists()
    return render(request, "complaints/staff/submitted.html", {"submission": submission, "can_open": can_open})
