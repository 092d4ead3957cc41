"""Which tables hold the portal's content, whether that content is real, and wiping
generated content before ``--replace``."""

from __future__ import annotations

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

CONTENT_APPS = ("campaigns", "complaints", "rectification", "evaluations", "notifications", "oversight")
# Rows a freshly migrated database already has (complaints' 0002 migration and the
# post_migrate handlers: problem types, reminder rules and their escalation ladders),
# and the work calendar, which is configuration an administrator enters. None of them
# is a record of anyone's work, so none of them makes a database "real"; none is wiped.
# (Groups, permissions and content types live outside CONTENT_APPS.)
CONFIGURATION_MODELS = (
    "complaints.ProblemType",
    "notifications.ReminderRule",
    "notifications.EscalationStep",
    "kernel.CalendarDay",
)


def content_models() -> list:
    skip = {apps.get_model(label) for label in CONFIGURATION_MODELS}
    return [
        model
        for app_label in CONTENT_APPS
        for model in apps.get_app_config(app_label).get_models()
        if model not in skip and not model._meta.proxy and model._meta.managed
    ]


def tables_with_rows() -> list[str]:
    """Labels of the content models that hold at least one row."""
    return [model._meta.label for model in content_models() if model._base_manager.exists()]


def content_tables() -> list[str]:
    tables = []
    for model in content_models():
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append(through._meta.db_table)
    return sorted(set(tables))


def wipe_content() -> None:
    """TRUNCATE … RESTART IDENTITY CASCADE on PostgreSQL, DELETE on SQLite (Django's
    own flush SQL, limited to the content tables)."""
    statements = connection.ops.sql_flush(no_style(), content_tables(), reset_sequences=True, allow_cascade=True)
    with transaction.atomic():
        connection.ops.execute_sql_flush(statements)
