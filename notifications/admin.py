from django.contrib import admin

from campaigns.adminscope import ScopedAdminMixin
from kernel.admin import ReadOnlyAdmin

from .models import EscalationStep, Notification, ReminderRule


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "days_before", "repeat_every_days", "is_active"]
    inlines = [EscalationStepInline]

    def has_add_permission(self, request):
        # One rule per kind of deadline; they are created with the defaults.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """A read-only log of every notice and what became of it."""

    scope_lookup = "recipient__office"

    list_display = [
        "created_at",
        "kind",
        "step",
        "deadline",
        "recipient",
        "email",
        "state",
        "attempts",
        "sent_at",
        "read_at",
    ]
    list_filter = ["state", "kind", "send_email", "send_sms", ("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username", "email"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
