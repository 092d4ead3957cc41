"""The Django admin, scoped by the office tree like every other staff page.

Whoever signs in to the admin without being a superuser (the campaign office,
which plans there, or a staff account given model permissions) reads and changes
only the records of the offices in their reach (campaigns/scope.py):

- ``ScopedAdminMixin`` cuts each list, change, history and delete page to
  ``scope.restrict`` on the model's lookup to its office (``scope_lookup``), or a
  model admin's own ``scope_queryset``; a record outside the reach is a 404 (not
  Django's "doesn't exist" redirect, so the walk in tests/test_levels_admin.py
  reads one status for every kind of record);
- every choice of an office (a foreign key or many-to-many to Office) offers the
  offices in reach, every choice of a user the staff in reach, and the list
  filters on them list only what the scoped list holds, so another subtree's
  names appear nowhere;
- ``ScopedInlineMixin`` does the same for the rows shown under a record.

Models with no office (problem types, reminder rules, the work calendar, Open311
keys, the rectification settings) are configuration kept by permission alone;
tests/test_levels_admin.py names them, so a new admin cannot be left unscoped.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.http import Http404

from . import scope
from .models import Office, User


def _is_superuser(request) -> bool:
    return bool(request.user.is_authenticated and request.user.is_superuser)


class ScopedChoicesMixin:
    """Office and user choices cut to the reach (model admins and inlines)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not _is_superuser(request) and "queryset" not in kwargs:
            if db_field.related_model is Office:
                kwargs["queryset"] = scope.restrict(Office.objects.all(), request.user, "")
            elif db_field.related_model is User:
                kwargs["queryset"] = scope.users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not _is_superuser(request) and "queryset" not in kwargs:
            if db_field.related_model is Office:
                kwargs["queryset"] = scope.restrict(Office.objects.all(), request.user, "")
            elif db_field.related_model is User:
                kwargs["queryset"] = scope.users(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def without_bulk_delete(request, actions):
    """ "Delete selected" asks no per-record permission: gone for a non-superuser
    where the list shows records they may read but not delete."""
    if not _is_superuser(request):
        actions.pop("delete_selected", None)
    return actions


class ScopedAdminMixin(ScopedChoicesMixin):
    """Put it before ``ModelAdmin`` (or ``ReadOnlyAdmin``). ``scope_lookup``: the
    lookup from the model to its Office ("" for offices themselves); a model
    admin whose records reach offices otherwise overrides ``scope_queryset``."""

    scope_lookup: str = "office"

    def scope_queryset(self, request, queryset):
        return scope.restrict(queryset, request.user, self.scope_lookup)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _is_superuser(request):
            return queryset
        return self.scope_queryset(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None and not _is_superuser(request):
            # Another subtree's record, or none: the same answer for both.
            raise Http404
        return found

    def get_list_filter(self, request):
        """A filter on an office or a user lists the ones in the scoped list only."""
        filters = list(super().get_list_filter(request))
        if _is_superuser(request):
            return filters
        opts = self.model._meta
        scoped = []
        for entry in filters:
            if isinstance(entry, str) and "__" not in entry:
                field = opts.get_field(entry)
                if getattr(field, "related_model", None) in (Office, User):
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped


class ScopedInlineMixin(ScopedChoicesMixin):
    """The rows under a record: only those in reach (``scope_lookup`` as above)."""

    scope_lookup: str = "office"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _is_superuser(request):
            return queryset
        return scope.restrict(queryset, request.user, self.scope_lookup)


def _link(model, field: str):
    """The through model of ``model.<field>`` (a many-to-many to Office) and the
    name of its foreign key back to ``model``."""
    through = model._meta.get_field(field).remote_field.through
    link = next(
        f.name for f in through._meta.get_fields() if getattr(f, "related_model", None) is model and f.many_to_one
    )
    return through, link


def any_office_in_reach(user, queryset, field: str = "offices"):
    """Records linked to several offices (``field``, a many-to-many to Office):
    those with one office in reach, and those with none yet (being drafted)."""
    through, link = _link(queryset.model, field)
    return queryset.filter(
        scope.within_any(user, through.objects.all(), link) | ~Exists(through.objects.filter(**{link: OuterRef("pk")}))
    )


def every_office_in_reach(user, obj, field: str = "offices") -> bool:
    """No office of ``obj`` lies outside the user's reach: a record that also binds
    another subtree's offices is read there, changed only above both."""
    if user.is_superuser:
        return True
    through, link = _link(type(obj), field)
    reach = scope.restrict(Office.objects.all(), user, "")
    return not through.objects.filter(**{link: obj}).exclude(office__in=reach).exists()


class ScopedManyAdminMixin(ScopedAdminMixin):
    """For records linked to several offices (``scope_many``): listed when one of
    them is in reach, changed and deleted only when all of them are."""

    scope_many: str = "offices"

    def scope_queryset(self, request, queryset):
        return any_office_in_reach(request.user, queryset, self.scope_many)

    def get_actions(self, request):
        return without_bulk_delete(request, super().get_actions(request))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not every_office_in_reach(request.user, obj, self.scope_many):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not every_office_in_reach(request.user, obj, self.scope_many):
            return False
        return super().has_delete_permission(request, obj)


def every_office_of_each_in_reach(user, queryset, field: str = "offices"):
    """Records none of whose offices lies outside the user's reach (those with no
    office yet included): a city's appraisal of every district is not a district's
    to run."""
    through, link = _link(queryset.model, field)
    reach = scope.restrict(Office.objects.all(), user, "")
    return queryset.filter(~Exists(through.objects.filter(**{link: OuterRef("pk")}).exclude(office__in=reach)))


class WhollyScopedManyAdminMixin(ScopedAdminMixin):
    """For records linked to several offices that a user runs only when they all
    lie in reach (surveys, hearings): the others are not listed at all, so no
    action on the list can reach them."""

    scope_many: str = "offices"

    def scope_queryset(self, request, queryset):
        return every_office_of_each_in_reach(request.user, queryset, self.scope_many)


#: Apps whose admins keep the site's machinery (sign-in attempts, periodic
#: tasks), of every subtree at once: for superusers only, whatever permissions
#: another account is given.
INFRASTRUCTURE_APPS = ("axes", "django_celery_beat")


def _superuser_only(request, obj=None) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def keep_infrastructure_to_superusers(site) -> None:
    """Called once the admins are registered (campaign_portal/urls.py)."""
    for model, model_admin in site._registry.items():
        if model._meta.app_label in INFRASTRUCTURE_APPS:
            for name in (
                "has_module_permission",
                "has_view_permission",
                "has_add_permission",
                "has_change_permission",
                "has_delete_permission",
            ):
                setattr(model_admin, name, _superuser_only)
