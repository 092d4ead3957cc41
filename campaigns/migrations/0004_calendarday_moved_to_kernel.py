# The work calendar now lives in the kernel app (kernel/migrations/0001_initial.py),
# on the same table: only Django's state forgets it here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_task_report_private_storage"),
        ("kernel", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CalendarDay")],
            database_operations=[],
        ),
    ]
