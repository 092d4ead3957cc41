"""The admin for appraisals is a window with a few levers: administrators may edit a
survey's wording, dates, scores (满意/基本满意/不满意) and ranking thresholds, and
open, close or publish it through admin actions that call the services. The ballot
itself (offices, questions, groups, weights) and invitations are managed on the staff
pages. Ballots and answers are not in the admin at all."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns.adminscope import ScopedAdminMixin, WhollyScopedManyAdminMixin, every_office_of_each_in_reach
from kernel.admin import ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import Hearing, HearingQuestion, InvitationBatch, Panelist, Question, RespondentGroup, Survey

EDITABLE = [
    "title",
    "intro",
    "opens_at",
    "closes_at",
    "score_satisfied",
    "score_basic",
    "score_dissatisfied",
    "min_valid_responses",
    "most_satisfactory_count",
    "lagging_count",
]


class GroupInline(ReadOnlyInline):
    model = RespondentGroup
    fields = ["name", "weight", "open_link"]
    readonly_fields = fields  # type: ignore[assignment]


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ["order", "text", "kind", "required"]
    readonly_fields = fields  # type: ignore[assignment]


def _run(modeladmin, request, queryset, call, done_message):
    done = 0
    for survey in queryset:
        try:
            call(survey_id=survey.pk, actor=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{survey}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


@admin.action(description=_("Open the selected surveys"))
def open_surveys(modeladmin, request, queryset):
    _run(
        modeladmin,
        request,
        queryset,
        services.survey_open,
        lambda n: ngettext("%(n)d survey opened.", "%(n)d surveys opened.", n) % {"n": n},
    )


@admin.action(description=_("Close the selected surveys"))
def close_surveys(modeladmin, request, queryset):
    _run(
        modeladmin,
        request,
        queryset,
        services.survey_close,
        lambda n: ngettext("%(n)d survey closed.", "%(n)d surveys closed.", n) % {"n": n},
    )


@admin.action(description=_("Publish the results of the selected surveys"))
def publish_surveys(modeladmin, request, queryset):
    _run(
        modeladmin,
        request,
        queryset,
        services.survey_publish,
        lambda n: ngettext("%(n)d survey published.", "%(n)d surveys published.", n) % {"n": n},
    )


@admin.register(Survey)
class SurveyAdmin(WhollyScopedManyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "campaign", "status", "opens_at", "closes_at", "published_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign"]
    search_fields = ["title"]
    date_hierarchy = "opens_at"
    actions = [open_surveys, close_surveys, publish_surveys]
    inlines = [GroupInline, QuestionInline]
    fieldsets = [
        (None, {"fields": ["campaign", "title", "intro", "opens_at", "closes_at", "status"]}),
        (
            _("Scores and ranking"),
            {
                "fields": [
                    "score_satisfied",
                    "score_basic",
                    "score_dissatisfied",
                    "min_valid_responses",
                    "most_satisfactory_count",
                    "lagging_count",
                ]
            },
        ),
        (_("History"), {"fields": ["opened_at", "closed_at", "published_at", "published_by"]}),
    ]

    def has_add_permission(self, request):
        return False  # surveys start on the staff pages, with their groups and questions

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return (
            super().has_delete_permission(request, obj)
            and obj.status == Survey.Status.DRAFT
            and not obj.groups.filter(invitations__isnull=False).exists()
        )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["campaign", "status", "opened_at", "closed_at", "published_at", "published_by"]
        if obj is not None and obj.status == Survey.Status.PUBLISHED:
            return fixed + EDITABLE  # withdraw the publication on the staff page first
        return fixed

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE}
        if changes:
            services.survey_update(survey_id=obj.pk, actor=request.user, **changes)
            obj.refresh_from_db()


class PanelistInline(ReadOnlyInline):
    model = Panelist
    fields = ["name", "kind", "affiliation"]
    readonly_fields = fields  # type: ignore[assignment]


class HearingQuestionInline(ReadOnlyInline):
    model = HearingQuestion
    fields = ["order", "office", "question", "answer"]
    readonly_fields = fields  # type: ignore[assignment]


@admin.register(Hearing)
class HearingAdmin(WhollyScopedManyAdminMixin, ReadOnlyAdmin):
    """Read here; kept on the staff pages (hearing_* services)."""

    list_display = ["title", "date", "place", "campaign", "published_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign"]
    search_fields = ["title", "place"]
    date_hierarchy = "date"
    inlines = [PanelistInline, HearingQuestionInline]
    fields = ["campaign", "title", "date", "place", "offices", "summary", "poll", "published_at", "published_by"]
    readonly_fields = fields  # type: ignore[assignment]

    def has_delete_permission(self, request, obj=None):
        # An unpublished hearing without a poll, by whoever may delete hearings at all.
        return (
            obj is not None
            and obj.published_at is None
            and obj.poll_id is None
            and admin.ModelAdmin.has_delete_permission(self, request, obj)
        )


@admin.register(InvitationBatch)
class InvitationBatchAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Who generated which invitations for which group; the codes themselves are on the staff pages."""

    def scope_queryset(self, request, queryset):
        surveys = every_office_of_each_in_reach(request.user, Survey.objects.all())
        return queryset.filter(group__survey__in=surveys)

    list_display = ["__str__", "group", "survey_title", "size", "created_by", "created_at"]
    list_select_related = ["group", "group__survey", "created_by"]
    fields = ["group", "label", "size", "created_by", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]

    @admin.display(description=_("survey"))
    def survey_title(self, obj):
        return obj.group.survey.title
