from django.db import migrations

from ._problem_types import create_defaults


def create(apps, schema_editor):
    create_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
