import copy
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when something is missing
        pytest.fail(f"Missing migrations:\n{out.getvalue()}") if exc.code else None


def test_no_migration_adds_constraints_indexes_or_fields_to_a_model_it_creates_one_operation_at_a_time():
    # Each such operation re-renders the model and every model related to it: five
    # first migrations written so took 16.8 s to migrate a fresh database instead of
    # 9.3 s, and the suite, CI and `make run` migrate several. scripts/fold_migration.py
    # folds them into the CreateModel (a field whose model points back stays apart); the
    # database comes out the same.
    from django.db import migrations
    from django.db.migrations.loader import MigrationLoader

    from scripts.fold_migration import folded

    repo = Path(__file__).resolve().parent.parent
    ours = {app.label for app in apps.get_app_configs() if Path(app.path).is_relative_to(repo)}
    by_hand = (migrations.RunPython, migrations.RunSQL, migrations.SeparateDatabaseAndState)
    unfolded = [
        f"{app_label}.{name}"
        for (app_label, name), migration in sorted(
            MigrationLoader(None, ignore_no_migrations=True).disk_migrations.items()
        )
        if app_label in ours
        and not any(isinstance(op, by_hand) for op in migration.operations)
        and len(folded(copy.deepcopy(migration.operations), app_label)) < len(migration.operations)
    ]
    assert not unfolded, "run scripts/fold_migration.py on: " + ", ".join(unfolded)
