"""The admin is where the campaign office sets each campaign's rectification
settings (the rectification phase, hotspot and look-back thresholds, key
departments). The workflow itself happens on the staff pages through
``rectification.services``; here records are read, and the few actions call the
same services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns import scope
from campaigns.adminscope import ScopedAdminMixin
from kernel.admin import ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import (
    Commitment,
    CommitmentRevision,
    LookBack,
    OfficeResult,
    Plan,
    Problem,
    ProgressUpdate,
    PublicComment,
    Rating,
    RectificationSettings,
    ResultsPublication,
    SupervisorFlag,
)


def _run_each(modeladmin, request, queryset, call, done_message):
    done, refused = 0, []
    for obj in queryset:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as exc:
            refused.append(f"{obj}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.WARNING)


@admin.register(RectificationSettings)
class RectificationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "campaign",
        "rectification_phase",
        "hotspot_min_complaints",
        "hotspot_days",
        "lookback_min_ratings",
        "lookback_dissatisfied_share",
    ]
    list_select_related = ["campaign", "rectification_phase"]
    autocomplete_fields = ["key_offices"]
    fieldsets = [
        (None, {"fields": ["campaign", "rectification_phase"]}),
        (_("Hotspots"), {"fields": ["hotspot_min_complaints", "hotspot_days"]}),
        (_("Look-back"), {"fields": ["lookback_min_ratings", "lookback_dissatisfied_share"]}),
        (_("Publication"), {"fields": ["key_offices"]}),
    ]
    actions = ["scan_hotspots"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "rectification_phase":
            kwargs["queryset"] = db_field.related_model.objects.select_related("campaign").order_by("campaign", "order")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Look for complaint hotspots now"))
    def scan_hotspots(self, request, queryset):
        raised = []
        for settings in queryset.select_related("campaign"):
            raised += services.hotspots_scan(campaign=settings.campaign)
        self.message_user(
            request,
            ngettext("%(n)d new hotspot raised.", "%(n)d new hotspots raised.", len(raised)) % {"n": len(raised)},
            messages.SUCCESS if raised else messages.INFO,
        )


@admin.register(Problem)
class ProblemAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "office"
    list_display = ["code", "office", "source", "severity", "found_on", "is_hotspot", "campaign"]
    list_filter = ["source", "severity", "is_hotspot", "office", "campaign"]
    list_select_related = ["office", "campaign"]
    search_fields = ["description", "office__name"]
    fields = [
        "campaign",
        "office",
        "description",
        "source",
        "severity",
        "found_on",
        "problem_type",
        "is_hotspot",
        "appraisal_reference",
        "created_by",
        "created_at",
    ]


class CommitmentInline(ReadOnlyInline):
    model = Commitment
    fields = ["number", "content", "deadline", "status", "scope"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "office"
    list_display = ["office", "campaign", "status", "approved_collectively_on", "submitted_at", "reviewed_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["office", "campaign"]
    search_fields = ["office__name"]
    fields = [
        "campaign",
        "office",
        "summary",
        "approved_collectively_on",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_comments",
    ]
    inlines = [CommitmentInline]


class RevisionInline(ReadOnlyInline):
    model = CommitmentRevision
    fields = ["number", "revised_at", "revised_by", "changed_fields", "deadline", "new_deadline", "reason"]


class UpdateInline(ReadOnlyInline):
    model = ProgressUpdate
    fields = ["reported_on", "kind", "percent", "text", "decrease_reason", "author", "office"]


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    def scope_queryset(self, request, queryset):
        """The plan's office or the responsible office in reach."""
        user = request.user
        return scope.restrict(queryset, user, "plan__office") | scope.restrict(queryset, user, "responsible_office")

    list_display = ["__str__", "responsible_office", "status", "scope", "deadline", "progress"]
    list_filter = ["status", "scope", "handling", "plan__campaign", "responsible_office"]
    list_select_related = ["plan__office", "responsible_office"]
    search_fields = ["content", "measures", "responsible_person", "plan__office__name"]
    fields = [
        "plan",
        "number",
        "content",
        "measures",
        "goal",
        "deadline",
        "original_deadline",
        "responsible_office",
        "responsible_person",
        "responsible_title",
        "handling",
        "explanation",
        "higher_office",
        "scope",
        "status",
        "progress",
        "published_at",
        "completed_at",
        "verified_at",
        "verified_by",
        "send_back_reason",
    ]
    inlines = [RevisionInline, UpdateInline]
    actions = ["verify"]

    @admin.action(description=_("Verify the selected completed commitments"))
    def verify(self, request, queryset):
        _run_each(
            self,
            request,
            queryset.select_related("plan__office"),
            lambda c: services.commitment_verify(actor=request.user, commitment_id=c.pk),
            lambda n: ngettext("%(n)d commitment verified.", "%(n)d commitments verified.", n) % {"n": n},
        )


@admin.register(PublicComment)
class PublicCommentAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "commitment__plan__office"
    list_display = ["created_at", "commitment", "state", "has_link", "short_text"]
    list_filter = ["state", "has_link"]
    list_select_related = ["commitment__plan__office"]
    search_fields = ["text"]
    fields = [
        "commitment",
        "text",
        "has_link",
        "state",
        "moderated_at",
        "moderated_by",
        "moderation_note",
        "created_at",
    ]
    actions = ["publish"]

    @admin.display(description=_("comment"))
    def short_text(self, obj):
        return obj.text[:60]

    @admin.action(description=_("Publish the selected held comments"))
    def publish(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda c: services.comment_moderate(actor=request.user, comment_id=c.pk, publish=True),
            lambda n: ngettext("%(n)d comment published.", "%(n)d comments published.", n) % {"n": n},
        )


@admin.register(Rating)
class RatingAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "commitment__plan__office"
    list_display = ["created_at", "commitment", "value"]
    list_filter = ["value"]
    list_select_related = ["commitment__plan__office"]
    fields = ["commitment", "value", "created_at"]


@admin.register(LookBack)
class LookBackAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "commitment__plan__office"
    list_display = ["decided_at", "commitment", "number", "outcome", "decided_by"]
    list_filter = ["outcome"]
    list_select_related = ["commitment__plan__office", "decided_by"]
    fields = [
        "commitment",
        "number",
        "outcome",
        "reason",
        "previous_status",
        "ratings",
        "dissatisfied",
        "flag_count",
        "decided_by",
        "decided_at",
    ]


@admin.register(SupervisorFlag)
class SupervisorFlagAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "commitment__plan__office"
    list_display = ["created_at", "commitment", "flagged_by", "lookback"]
    list_select_related = ["commitment__plan__office", "flagged_by", "lookback"]
    fields = ["commitment", "flagged_by", "reason", "created_at", "lookback"]


class OfficeResultInline(ReadOnlyInline):
    model = OfficeResult
    fields = ["office_name", *OfficeResult.FIGURES]


@admin.register(ResultsPublication)
class ResultsPublicationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Published from the staff results page. A superuser may delete a publication
    made in error; it can then be published anew."""

    scope_lookup = "published_by__office"

    list_display = ["campaign", "published_at", "published_by"]
    list_select_related = ["campaign", "published_by"]
    fields = ["campaign", "published_at", "published_by", "note"]
    inlines = [OfficeResultInline]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
