from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kernel.admin import ReadOnlyAdmin
from kernel.forms import apply_service_errors

from . import scope, services
from .adminscope import ScopedAdminMixin, ScopedInlineMixin, without_bulk_delete
from .models import AuditEvent, Campaign, Office, Phase, Section, Task, TaskAssignment, TaskReport, User
from .planning.copy import campaign_copy
from .planning.groups import OfficeGroup
from .planning.groups import task_assign_group as assign_group
from .planning.recurrence import task_schedule_occurrences
from .planning.rules import level_office_id, planning_area
from .services import NOT_PLANNED_HERE

#: The levels from the top down: a campaign office adds and relabels offices only
#: below the level it serves (a district's adds townships and departments).
LEVEL_ORDER: list[str] = list(Office.Level.values)  # province … township, department, section


def levels_below(user) -> list[str]:
    """The levels a non-superuser may give an office: those under the level of
    government their reach hangs from (all of them for a reach with no level)."""
    level_path = user.office.level_path if getattr(user, "office", None) else ""
    if not level_path:
        return list(LEVEL_ORDER)
    top = Office.objects.filter(path=level_path).values_list("level", flat=True).first()
    if top not in LEVEL_ORDER:
        return list(LEVEL_ORDER)
    below = LEVEL_ORDER[LEVEL_ORDER.index(top) + 1 :]
    inside = [Office.Level.DEPARTMENT, Office.Level.SECTION]  # every level of government has both
    return [*[level for level in below if level not in inside], *inside]


@admin.register(Office)
class OfficeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The campaign office keeps the offices of its own area (planning.rules.planning_area,
    the reach of campaigns/scope.py): it sees, edits, adds under and assigns only those; a
    superuser sees all. Its own office and the offices above it (the node its reach hangs
    from) it reads but never changes: relabelling its district a department, or moving it,
    would widen its own reach. New and changed offices take a level below its own."""

    list_display = ["name", "short_name", "level", "parent", "is_complaint_centre", "is_active"]
    list_filter = ["level", "is_complaint_centre", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    fields = ["name", "short_name", "level", "parent", "is_complaint_centre", "is_active", "head", "liaison"]
    scope_lookup = ""

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and scope.above_or_own(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and scope.above_or_own(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in ("head", "liaison"):
            if name in form.base_fields:
                # Its own members only (Office.clean says so too); none before it exists.
                form.base_fields[name].queryset = User.objects.filter(office=obj) if obj else User.objects.none()
        if not request.user.is_superuser:
            if "parent" in form.base_fields:
                # A new office goes under one of the area's, never beside the area's top.
                form.base_fields["parent"].required = True
            if "level" in form.base_fields:
                allowed = set(levels_below(request.user))
                if obj is not None:
                    allowed.add(obj.level)
                field = form.base_fields["level"]
                field.choices = [(value, label) for value, label in field.choices if value in allowed]
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = planning_area(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    """Staff accounts: a non-superuser (a staff account given the user permissions)
    keeps the accounts of the offices in its reach, never a superuser's nor its own,
    and never grants a role, a permission, staff or superuser status."""

    list_display = ["username", "get_full_name", "office", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "office"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Office and notifications"),
            {"fields": ("office", "title", "phone", "preferred_language", "notify_by_email", "notify_by_sms")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Office"), {"fields": ("office", "groups")}),
    )
    #: What only a superuser grants.
    GRANTS = ["is_superuser", "is_staff", "user_permissions", "groups"]

    def scope_queryset(self, request, queryset):
        return super().scope_queryset(request, queryset).exclude(is_superuser=True)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in self.GRANTS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and obj.pk == request.user.pk:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)


def tasks_in_reach(user, queryset):
    """Tasks with an office in the user's reach, and those with no office yet (being
    planned). A task with an office out of reach is read, not changed (``TaskAdmin``)."""
    return queryset.filter(
        scope.within_any(user, TaskAssignment.objects.all(), "task")
        | ~Exists(TaskAssignment.objects.filter(task=OuterRef("pk")))
    )


def task_wholly_in_reach(user, task) -> bool:
    """The task is the user's to change: every office on it lies in their reach, and
    its campaign is one they plan (a township's task in the city's campaign is the
    city's, even to the district the township belongs to)."""
    reach = scope.restrict(Office.objects.all(), user, "")
    outside = TaskAssignment.objects.filter(task=task).exclude(office__in=reach)
    return not outside.exists() and plans_campaign(user, task.phase.campaign_id)


class RenumberingFormSet(BaseInlineFormSet):
    """An inline whose rows carry a number unique within their parent (a phase's
    order, a task's number): swapping two numbers would trip the unique constraint
    between the two UPDATEs, so the moved rows are parked out of the way first
    (20,000 up: a task's number is a PostgreSQL smallint, which a million overflows)."""

    number_field = "order"

    def save_existing_objects(self, commit=True):
        moved = [
            f.instance.pk
            for f in self.initial_forms
            if f.instance.pk and self.number_field in f.changed_data and not self._should_delete_form(f)
        ]
        if moved and commit:
            self.model.objects.filter(pk__in=moved).update(**{self.number_field: F(self.number_field) + 20_000})
        return super().save_existing_objects(commit)


class PhaseInlineForm(forms.ModelForm):
    def _post_clean(self):
        # The formset checks the phases against each other (PhaseInlineFormSet.clean).
        self.instance._siblings_checked_by_formset = True
        super()._post_clean()


class PhaseInlineFormSet(RenumberingFormSet):
    """Checks phases against the campaign and each other before any is saved."""

    def clean(self):
        super().clean()
        campaign = self.instance
        if not campaign.start_date or not campaign.end_date:
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.errors]
        phases = [f.instance for f in kept]
        for form, phase in zip(kept, phases, strict=False):
            if phase.start_date is None or phase.end_date is None:
                continue
            others = [p for p in phases if p is not phase and p.start_date and p.end_date]
            for field, message in services.phase_dates_errors(phase, campaign, others).items():
                form.add_error(field, message)
        orders = [p.order for p in phases if p.order is not None]
        if len(orders) != len(set(orders)):
            raise ValidationError(gettext("Two phases have the same order number."))


class PhaseInline(admin.TabularInline):
    model = Phase
    form = PhaseInlineForm
    formset = PhaseInlineFormSet
    fields = ["order", "name", "start_date", "end_date", "goal"]
    extra = 0
    ordering = ["order"]
    show_change_link = True


class CampaignCopyForm(forms.Form):
    start = forms.DateField(
        label=_("The copy starts on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Every date of the campaign moves by as many days as its start."),
    )
    name = forms.CharField(
        label=_("Name of the copy"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the same name with the new year."),
    )


def plans_campaign(user, campaign_id: int | None) -> bool:
    """``user`` may change the campaign (``Campaign.objects.planned_by``)."""
    if user.is_superuser:
        return True
    return campaign_id is not None and Campaign.objects.planned_by(user).filter(pk=campaign_id).exists()


class CampaignScopedAdminMixin(ScopedAdminMixin):
    """Campaigns and their phases: listed and read where the campaign concerns the
    user (``Campaign.objects.reaching``: their own level's, those above it, those of
    the levels below), changed or deleted only where the user plans it
    (``planned_by``). A district's campaign office reads the city's campaign and
    never changes it; another district's is a 404."""

    #: The lookup from the model to its Campaign ("" for campaigns themselves).
    campaign_lookup = ""

    def scope_queryset(self, request, queryset):
        reaching = Campaign.objects.reaching(request.user)
        if not self.campaign_lookup:
            return queryset.filter(pk__in=reaching.values("pk"))
        return queryset.filter(**{f"{self.campaign_lookup}__in": reaching.values("pk")})

    def _campaign_id(self, obj) -> int | None:
        return obj.pk if not self.campaign_lookup else getattr(obj, f"{self.campaign_lookup}_id")

    def get_actions(self, request):
        return without_bulk_delete(request, super().get_actions(request))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not plans_campaign(request.user, self._campaign_id(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not plans_campaign(request.user, self._campaign_id(obj)):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Campaign)
class CampaignAdmin(CampaignScopedAdminMixin, admin.ModelAdmin):
    """Its level (``office``) is chosen among the offices in reach: a district's
    campaign office never makes a campaign the city's, and changes only the
    campaigns of its own level and those under it (``CampaignScopedAdminMixin``)."""

    list_display = ["name", "office", "year", "start_date", "end_date", "status", "is_current"]
    list_select_related = ["office"]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    # The node of the office tree the campaign belongs to, searched rather than
    # listed (a directory holds thousands of offices).
    autocomplete_fields = ["office"]
    inlines = [PhaseInline]
    actions = ["make_current", "copy_campaign"]

    def save_model(self, request, obj, form, change):
        if obj.office_id is None and not request.user.is_superuser:
            # Left empty by a campaign office: its own level of government, so the
            # campaign stays its to plan (the whole tree is for a reach with no level).
            obj.office_id = level_office_id(request.user)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Copy the selected campaign to new dates"), permissions=["add"])
    def copy_campaign(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one campaign."), messages.ERROR)
            return None
        campaign = queryset.get()
        if not plans_campaign(request.user, campaign.pk):
            self.message_user(request, NOT_PLANNED_HERE % {"name": campaign.name}, messages.ERROR)
            return None
        form = CampaignCopyForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                copy = campaign_copy(
                    campaign=campaign,
                    start=form.cleaned_data["start"],
                    name=form.cleaned_data["name"],
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                self.message_user(
                    request,
                    gettext("“%(name)s” is copied as a draft: “%(copy)s”.")
                    % {"name": campaign.name, "copy": copy.name},
                )
                return redirect("admin:campaigns_campaign_change", copy.pk)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "campaign": campaign, "form": form}
        return TemplateResponse(request, "admin/campaigns/campaign_copy.html", context)

    @admin.action(description=_("Make the selected campaign the current one"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one campaign."), messages.ERROR)
            return
        try:
            campaign = services.campaign_make_current(campaign_id=queryset.get().pk, actor=request.user)
        except (PermissionDenied, ValidationError) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                self.message_user(request, message, messages.ERROR)
            return
        self.message_user(request, gettext("“%(name)s” is now the current campaign.") % {"name": campaign.name})


class OwnDeadlineForm(forms.ModelForm):
    """A task that ends with its phase shows an empty deadline, and stays so when saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.deadline_follows_phase and "deadline" in self.fields:
            self.initial["deadline"] = None


class TaskInlineFormSet(RenumberingFormSet):
    number_field = "number"

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        numbers = [f.cleaned_data.get("number") for f in kept if f.cleaned_data.get("number") is not None]
        if len(numbers) != len(set(numbers)):
            raise ValidationError(gettext("Two tasks have the same number."))


class TaskInline(admin.TabularInline):
    model = Task
    form = OwnDeadlineForm
    formset = TaskInlineFormSet
    fields = ["section", "number", "title", "deadline", "recurrence", "status", "progress"]
    readonly_fields = ["status", "progress"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("phase")
        return queryset if request.user.is_superuser else tasks_in_reach(request.user, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            # Only the sections of the phase on the page, read once for all its task rows.
            kwargs["queryset"] = Section.objects.filter(phase_id=request.resolver_match.kwargs.get("object_id"))
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.choices = list(field.choices)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionInline(admin.TabularInline):
    model = Section
    formset = RenumberingFormSet
    fields = ["order", "title"]
    extra = 0
    ordering = ["order"]


@admin.register(Phase)
class PhaseAdmin(CampaignScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "campaign", "start_date", "end_date"]
    # Only the campaigns of the (scoped) list: another district's names appear nowhere.
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["campaign"]
    search_fields = ["name", "campaign__name"]
    inlines = [SectionInline, TaskInline]
    campaign_lookup = "campaign"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign" and not request.user.is_superuser:
            kwargs["queryset"] = Campaign.objects.planned_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AssignmentInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        leads = [f for f in kept if f.cleaned_data.get("role") == TaskAssignment.Role.LEAD]
        if len(leads) != 1:
            raise ValidationError(gettext("A task needs exactly one lead office; it has %(n)d.") % {"n": len(leads)})


class TaskAssignmentInline(ScopedInlineMixin, admin.TabularInline):
    model = TaskAssignment
    formset = AssignmentInlineFormSet
    fields = ["office", "role", "responsible", "due_date", "submitted_at", "waived_at", "waiver_reason"]
    readonly_fields = ["submitted_at", "waived_at", "waiver_reason"]
    autocomplete_fields = ["office"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            kwargs["queryset"] = planning_area(request.user)
        if db_field.name == "responsible":
            # The staff of the task's offices, read once for all the rows (each row's
            # office is checked by TaskAssignment.clean).
            task_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = (
                User.objects.filter(
                    office_id__in=TaskAssignment.objects.filter(task_id=task_id).values("office_id"), is_active=True
                )
                .select_related("office")
                .order_by("office__name", "last_name", "first_name")
                if task_id
                else User.objects.none()
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda user: f"{user} · {user.office.display_name}"
            field.choices = list(field.choices)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LeadOfficeFilter(admin.SimpleListFilter):
    title = _("office")
    parameter_name = "office"

    def lookups(self, request, model_admin):
        offices = scope.restrict(Office.objects.filter(assignments__isnull=False), request.user, "").distinct()
        return [(o.pk, o.name) for o in offices]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(assignments__office_id=self.value()).distinct()
        return queryset


class TaskAdminForm(OwnDeadlineForm):
    """The task, and a group of offices to add to it in one step (planning.groups)."""

    assign_group = forms.ChoiceField(
        label=_("Assign to"),
        required=False,
        choices=[("", _("— no group —")), *OfficeGroup.choices],
        help_text=_("Adds every office of the group as a co-office, once; each can still be changed or removed above."),
    )
    assign_node = forms.ModelChoiceField(
        label=_("Offices under"),
        queryset=Office.objects.none(),
        required=False,
        help_text=_("For “every office under an office of the tree”: the office whose sub-offices take part."),
    )

    class Meta:
        model = Task
        fields = ["phase", "section", "number", "title", "description", "deadline", "recurrence"]

    def clean(self):
        data = super().clean()
        if data.get("assign_group") == OfficeGroup.UNDER and not data.get("assign_node"):
            self.add_error("assign_node", gettext("Choose the office whose sub-offices take part."))
        return data


@admin.register(Task)
class TaskAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "phase", "deadline", "status", "progress"]
    list_display_links = ["code", "title"]
    list_filter = [
        ("phase__campaign", admin.RelatedOnlyFieldListFilter),
        ("phase", admin.RelatedOnlyFieldListFilter),
        LeadOfficeFilter,
        "status",
    ]
    list_select_related = ["phase", "phase__campaign"]
    search_fields = ["title", "description"]
    readonly_fields = ["status", "progress", "completed_at", "repeats"]
    form = TaskAdminForm
    actions = ["schedule_occurrences"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "phase",
                    "section",
                    "number",
                    "title",
                    "description",
                    "deadline",
                    "recurrence",
                    "repeats",
                    "status",
                    "progress",
                    "completed_at",
                ]
            },
        ),
        (_("Assign to a group of offices"), {"fields": ["assign_group", "assign_node"]}),
    ]
    inlines = [TaskAssignmentInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["assign_node"].queryset = planning_area(request.user).filter(is_active=True)
        return form

    @admin.action(description=_("Create the occurrences of the selected recurring tasks"))
    def schedule_occurrences(self, request, queryset):
        created = 0
        for task in queryset.exclude(recurrence="").filter(repeats__isnull=True):
            created += len(task_schedule_occurrences(task_id=task.pk, actor=request.user))
        self.message_user(
            request,
            ngettext("%(count)d occurrence created.", "%(count)d occurrences created.", created) % {"count": created},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.cleaned_data.get("assign_group")
        if group:
            added = assign_group(
                task_id=form.instance.pk, group=group, node=form.cleaned_data.get("assign_node"), actor=request.user
            )
            self.message_user(
                request,
                ngettext("%(count)d office added to the task.", "%(count)d offices added to the task.", len(added))
                % {"count": len(added)},
            )

    def scope_queryset(self, request, queryset):
        return tasks_in_reach(request.user, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "phase" and not request.user.is_superuser:
            # A task goes only into a campaign the user plans.
            kwargs["queryset"] = Phase.objects.filter(campaign__in=Campaign.objects.planned_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        return without_bulk_delete(request, super().get_actions(request))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and not task_wholly_in_reach(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and not task_wholly_in_reach(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("number"), ordering="number")
    def code(self, obj):
        return obj.code


@admin.register(TaskReport)
class TaskReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["task", "office", "author", "report_date", "progress", "contribution_complete"]
    list_filter = ["office", "contribution_complete"]
    list_select_related = ["task", "task__phase", "office", "author"]
    search_fields = ["text", "task__title"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_lookup = "actor__office"

    list_display = ["created_at", "actor", "verb", "target_type", "target_id"]
    list_filter = ["verb", "target_type"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
