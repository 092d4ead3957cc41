"""Admins define the deliverables of each phase here. Submissions, bulletins,
disclosure items and exports are shown read-only: their changes go through the
staff pages and the services, never through a form that skips the rules."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns.adminscope import ScopedAdminMixin, ScopedInlineMixin, ScopedManyAdminMixin
from kernel.admin import ReadOnlyAdmin

from .models import Bulletin, Deliverable, DisclosureItem, ExportJob, Submission


class DeliverableAdminForm(forms.ModelForm):
    all_active_offices = forms.BooleanField(
        label=_("Apply to every active office"),
        required=False,
        help_text=_("Ticks every active office below when saved; untick offices afterwards if needed."),
    )

    class Meta:
        model = Deliverable
        fields = ["phase", "kind", "title", "description", "due_date", "order", "offices", "all_active_offices"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("all_active_offices"):
            # Every active office the form offers: those in the reach of whoever saves.
            cleaned["offices"] = self.fields["offices"].queryset.filter(is_active=True)
        elif not cleaned.get("offices"):
            self.add_error("offices", _("Choose the offices that must hand it in."))
        return cleaned


class SubmissionInline(ScopedInlineMixin, admin.TabularInline):
    model = Submission
    extra = 0
    can_delete = False
    fields = [
        "office",
        "version",
        "original_name",
        "submitted_at",
        "submitted_by",
        "status",
        "reviewed_at",
        "review_comment",
    ]
    readonly_fields = fields  # type: ignore[assignment]
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deliverable)
class DeliverableAdmin(ScopedManyAdminMixin, admin.ModelAdmin):
    form = DeliverableAdminForm
    list_display = ["title", "phase", "kind", "due_date", "office_count"]
    list_filter = ["phase__campaign", "phase", "kind"]
    list_select_related = ["phase", "phase__campaign"]
    search_fields = ["title"]
    autocomplete_fields = ["phase"]
    filter_horizontal = ["offices"]
    date_hierarchy = "due_date"
    inlines = [SubmissionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(office_total=Count("offices"))

    @admin.display(description=_("offices"), ordering="office_total")
    def office_count(self, obj):
        return obj.office_total


@admin.register(Submission)
class SubmissionAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["deliverable", "office", "version", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "deliverable__phase"]
    list_select_related = ["deliverable", "office"]
    search_fields = ["deliverable__title", "office__name", "original_name"]


@admin.register(Bulletin)
class BulletinAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "author__office"
    list_display = ["title", "campaign", "kind", "audience", "status", "number", "published_at"]
    list_filter = ["campaign", "kind", "audience", "status"]
    list_select_related = ["campaign"]
    search_fields = ["title", "body"]


@admin.register(DisclosureItem)
class DisclosureItemAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "prepared_by__office"
    list_display = ["title", "campaign", "kind", "status", "published_at", "responsible_office"]
    list_filter = ["campaign", "kind", "status"]
    list_select_related = ["campaign", "responsible_office"]


@admin.register(ExportJob)
class ExportJobAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "user__office"
    list_display = ["ledger", "user", "state", "rows", "created_at", "finished_at"]
    list_filter = ["state", "ledger"]
    list_select_related = ["user"]
