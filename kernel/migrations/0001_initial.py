# The work calendar moved here from the campaigns app; its table keeps its name,
# so this migration only tells Django's state where the model now lives.

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions granted on the calendar keep working: its content type moves too."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="kernel", model="calendarday").exists():
        ContentType.objects.filter(app_label="campaigns", model="calendarday").update(app_label="kernel")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="campaigns", model="calendarday").exists():
        ContentType.objects.filter(app_label="kernel", model="calendarday").update(app_label="campaigns")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0003_task_report_private_storage"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        (
                            "kind",
                            models.CharField(
                                choices=[("holiday", "Holiday (no work)"), ("workday", "Make-up working day (调休)")],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                blank=True, help_text="e.g. National Day", max_length=80, verbose_name="name"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "work calendar day",
                        "verbose_name_plural": "work calendar",
                        "ordering": ["date"],
                        "db_table": "campaigns_calendarday",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
