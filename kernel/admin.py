from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import CalendarDay


class ReadOnlyAdminMixin:
    """Listed and readable in the admin, never added, changed or deleted there: the
    records are written through their app's services. Put it before ``ModelAdmin``
    (or an inline class); a subclass may still allow deleting by overriding
    ``has_delete_permission``."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]  # for any model
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):  # type: ignore[type-arg]  # for any model
    """Rows of a read-only record shown under it, without empty forms for new ones."""

    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
