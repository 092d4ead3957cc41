from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AuditEvent, CalendarDay, Campaign, Office, Phase, Task, TaskAssignment, TaskReport, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "office", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "office"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Office and notifications"),
            {"fields": ("office", "title", "phone", "preferred_language", "notify_by_email", "notify_by_sms")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Office"), {"fields": ("office", "groups")}),
    )


class PhaseInlineFormSet(BaseInlineFormSet):
    """Checks phases against the campaign and each other before any is saved."""

    def clean(self):
        super().clean()
        campaign = self.instance
        if not campaign.start_date or not campaign.end_date:
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.errors
        ]
        phases = [f.instance for f in kept]
        for form, phase in zip(kept, phases):
            if phase.start_date is None or phase.end_date is None:
                continue
            others = [p for p in phases if p is not phase and p.start_date and p.end_date]
            for field, message in services.phase_dates_errors(phase, campaign, others).items():
                form.add_error(field, message)
        orders = [p.order for p in phases if p.order is not None]
        if len(orders) != len(set(orders)):
            raise ValidationError(gettext("Two phases have the same order number."))

    def save_existing_objects(self, commit=True):
        # Swapping the order of two phases would trip the unique (campaign, order)
        # constraint between the two UPDATEs: park the moved ones out of the way first.
        moved = [
            f.instance.pk
            for f in self.initial_forms
            if f.instance.pk and "order" in f.changed_data and not self._should_delete_form(f)
        ]
        if moved and commit:
            Phase.objects.filter(pk__in=moved).update(order=F("order") + 1_000_000)
        return super().save_existing_objects(commit)



class PhaseInline(admin.TabularInline):
    model = Phase
    formset = PhaseInlineFormSet
    fields = ["order", "name", "start_date", "end_date", "goal"]
    extra = 0
    ordering = ["order"]
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "start_date", "end_date", "status", "is_current"]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    inlines = [PhaseInline]
    actions = ["make_current"]

    @admin.action(description=_("Make the selected campaign the current one"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one campaign."), messages.ERROR)
            return
        campaign = services.campaign_make_current(campaign_id=queryset.get().pk, actor=request.user)
        self.message_user(request, gettext("“%(name)s” is now the current campaign.") % {"name": campaign.name})


class TaskInline(admin.TabularInline):
    model = Task
    fields = ["number", "title", "deadline", "status", "progress"]
    readonly_fields = ["status", "progress"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("phase")


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "start_date", "end_date"]
    list_filter = ["campaign"]
    list_select_related = ["campaign"]
    search_fields = ["name", "campaign__name"]
    inlines = [TaskInline]


class AssignmentInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        leads = [f for f in kept if f.cleaned_data.get("role") == TaskAssignment.Role.LEAD]
        if len(leads) != 1:
            raise ValidationError(
                gettext("A task needs exactly one lead office; it has %(n)d.") % {"n": len(leads)}
            )


class TaskAssignmentInline(admin.TabularInline):
    model = TaskAssignment
    formset = AssignmentInlineFormSet
    fields = ["office", "role", "due_date", "submitted_at", "waived_at", "waiver_reason"]
    readonly_fields = ["submitted_at", "waived_at", "waiver_reason"]
    autocomplete_fields = ["office"]
    extra = 1


class LeadOfficeFilter(admin.SimpleListFilter):
    title = _("office")
    parameter_name = "office"

    def lookups(self, request, model_admin):
        return [(o.pk, o.name) for o in Office.objects.filter(assignments__isnull=False).distinct()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(assignments__office_id=self.value()).distinct()
        return queryset


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "phase", "deadline", "status", "progress"]
    list_display_links = ["code", "title"]
    list_filter = ["phase__campaign", "phase", LeadOfficeFilter, "status"]
    list_select_related = ["phase", "phase__campaign"]
    search_fields = ["title", "description"]
    readonly_fields = ["status", "progress", "completed_at"]
    fields = ["phase", "number", "title", "description", "deadline", "status", "progress", "completed_at"]
    inlines = [TaskAssignmentInline]

    @admin.display(description=_("number"), ordering="number")
    def code(self, obj):
        return obj.code


@admin.register(TaskReport)
class TaskReportAdmin(admin.ModelAdmin):
    list_display = ["task", "office", "author", "report_date", "progress", "contribution_complete"]
    list_filter = ["office", "contribution_complete"]
    list_select_related = ["task", "task__phase", "office", "author"]
    search_fields = ["text", "task__title"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "target_type", "target_id"]
    list_filter = ["verb", "target_type"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
