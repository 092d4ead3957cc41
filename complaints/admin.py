"""The admin for complaints is a window, not a workbench: the workflow (accepting,
transfers, replies, closing, case decisions, publishing) happens on the staff
pages through ``complaints.services``. Here administrators edit the problem
types, read complaints and cases, unpublish typical cases and manage Open311
keys. The complainant's identity is never shown here."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaigns.adminscope import ScopedAdminMixin
from kernel.admin import ReadOnlyAdmin

from . import rules
from .models import AccountabilityCase, Complaint, IdentityAccess, Open311Key, ProblemType, TypicalCase
from .open311.keys import hash_key, key_create, key_revoke


@admin.register(ProblemType)
class ProblemTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "name_zh_hant",
        "name_en",
        "code",
        "accept_limit_days",
        "complete_limit_days",
        "is_corruption",
        "order",
        "is_active",
    ]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "is_corruption"]
    search_fields = ["code", "name", "name_zh_hant", "name_en"]
    fields = [
        "code",
        "name",
        "name_zh_hant",
        "name_en",
        "description",
        "description_zh_hant",
        "description_en",
        "accept_limit_days",
        "complete_limit_days",
        "is_corruption",
        "order",
        "is_active",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The code is the Open311 service_code integrating systems send: fixed once made.
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # complaints keep their type; retire a type by unticking "active"


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "tracking_number",
        "problem_type",
        "office",
        "handling_office",
        "channel",
        "status",
        "received_on",
        "complete_due",
    ]
    list_filter = ["status", "channel", "problem_type", "office", "handling_office"]
    list_select_related = ["problem_type", "office", "handling_office"]
    search_fields = ["tracking_number"]
    search_help_text = _("Search by tracking number.")
    date_hierarchy = "received_on"
    # No identity, no inline of it, no search through it: the admin never shows who complained.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "tracking_number",
                    "campaign",
                    "channel",
                    "problem_type",
                    "office",
                    "description",
                    "occurred_on",
                    "location",
                    "is_anonymous",
                ]
            },
        ),
        (
            _("Handling and time limits"),
            {
                "fields": [
                    "status",
                    "first_receiver",
                    "first_office",
                    "handling_office",
                    "pending_transfer_to",
                    "received_on",
                    "accept_due",
                    "complete_due",
                    "paused_since",
                    "paused_working_days",
                    "accepted_at",
                    "accepted_on_time",
                    "replied_at",
                    "replied_on_time",
                    "closed_at",
                ]
            },
        ),
        (
            _("Result"),
            {
                "fields": [
                    "not_accepted_reason",
                    "findings",
                    "measures",
                    "reply",
                    "substantiated",
                    "reward_eligible",
                    "rating",
                    "rated_at",
                    "review_count",
                    "publish_allowed",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # The same scoping as the staff pages: nobody reads complaints about their own office.
        return super().get_queryset(request).visible_to(request.user)

    def scope_queryset(self, request, queryset):
        return queryset  # ``visible_to`` above is the scope


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Decisions are taken on the staff pages (services.case_decide), with the reasoning."""

    list_display = ["complaint", "reason", "office", "person", "decision", "decided_on", "created_at"]
    list_filter = ["reason", "decision", "office"]
    list_select_related = ["complaint", "office"]
    search_fields = ["complaint__tracking_number", "person"]
    fields = ["complaint", "office", "person", "reason", "decision", "reasoning", "decided_on", "decided_by"]

    def get_queryset(self, request):
        visible = Complaint.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(complaint__in=visible)

    def scope_queryset(self, request, queryset):
        return queryset  # the complaints' ``visible_to`` above is the scope


@admin.register(TypicalCase)
class TypicalCaseAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Published from the staff pages (services.typical_case_publish); unpublishing
    is deleting, for the complaint centre and administrators."""

    list_display = ["title", "kind", "complaint", "published_at", "published_by"]
    list_filter = ["kind"]
    list_select_related = ["complaint", "published_by"]
    search_fields = ["title", "complaint__tracking_number"]
    date_hierarchy = "published_at"
    fields = ["complaint", "kind", "title", "summary", "published_at", "published_by"]

    def scope_queryset(self, request, queryset):
        return queryset.filter(complaint__in=Complaint.objects.visible_to(request.user).values("pk"))

    def has_delete_permission(self, request, obj=None):
        user = request.user
        return user.is_active and (user.is_superuser or rules.is_centre(user))


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Who looked at a complainant's identity, and when: a log, never edited."""

    list_display = ["at", "user", "complaint", "purpose"]
    list_filter = ["purpose"]
    list_select_related = ["user", "complaint"]
    search_fields = ["complaint__tracking_number", "user__username"]
    date_hierarchy = "at"

    def scope_queryset(self, request, queryset):
        return queryset.filter(complaint__in=Complaint.objects.visible_to(request.user).values("pk"))


class RevokedFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("no", _("Active")), ("yes", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(revoked_at__isnull=self.value() == "no")
        return queryset


# Rendered straight into the response to the add form: the plaintext key goes
# nowhere else (not into a message, a session or a log), and is never shown again.
_NEW_KEY_PAGE = """{% extends "admin/base_site.html" %}
{% block content %}<div id="content-main">
<p>{{ intro }}</p>
<p><code id="open311-key">{{ raw }}</code></p>
<p>{{ warning }}</p>
<p><a href="{{ changelist }}">{{ back }}</a></p>
</div>{% endblock %}"""


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Keys for integrating systems. Adding one shows its plaintext once; the hash
    is never shown. ``manage.py open311_key`` does the same from the shell."""

    list_display = ["name", "prefix", "created_at", "revoked_at", "is_active"]
    list_filter = [RevokedFilter]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["name", "prefix", "created_at", "revoked_at"] if obj else ["name"]

    def get_readonly_fields(self, request, obj=None):
        return ["prefix", "created_at", "revoked_at"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: complaints keep the key that filed them

    @admin.display(boolean=True, description=_("active"))
    def is_active(self, obj):
        return obj.is_active

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        key, raw = key_create(name=obj.name)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = key.pk, key.prefix, key.key_hash, key.created_at
        obj._state.adding = False
        obj._new_plaintext = raw

    def response_add(self, request, obj, post_url_continue=None):
        raw = getattr(obj, "_new_plaintext", None)
        if raw is None or hash_key(raw) != obj.key_hash:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("New Open311 key"),
            "intro": gettext("The key for “%(name)s” (prefix %(prefix)s):") % {"name": obj.name, "prefix": obj.prefix},
            "raw": raw,
            "warning": gettext("Copy it now and hand it over securely: it is not stored and cannot be shown again."),
            "back": gettext("Back to the Open311 keys"),
            "changelist": reverse("admin:complaints_open311key_changelist"),
        }
        html = engines["django"].from_string(_NEW_KEY_PAGE).render(context, request)
        response = HttpResponse(html)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for prefix in queryset.filter(revoked_at__isnull=True).values_list("prefix", flat=True):
            key_revoke(prefix=prefix)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d key revoked.", "%(n)d keys revoked.", count) % {"n": count},
            messages.SUCCESS if count else messages.WARNING,
        )
