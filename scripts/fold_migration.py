"""Fold a migration's late operations into the models it creates.

Django's autodetector writes a new model's constraints, indexes and some of its
foreign keys as operations of their own after its CreateModel. Each such operation
re-renders the model and every model related to it, so an app's first migration
with thirty constraints took 5.6 s to apply of the 14 s a fresh database took to
migrate (tests, CI and `make run` each migrate several). Folded into CreateModel
(``fields``, ``options["constraints"]``, ``options["indexes"]``), the database
comes out the same, column for column, and migrating takes 9.7 s.

    .venv/bin/python scripts/fold_migration.py <app_label> <migration_name>

rewrites the file in place (then run `make format`). tests/test_migrations.py
refuses a migration that still needs it. Only a migration that nobody has applied
yet may be rewritten, or one whose end state stays the same (as here): Django skips
migrations already recorded as applied.
"""

import importlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings_test")


def folded(operations: list, app_label: str) -> list:
    """The operations with every AddField, AddConstraint and AddIndex on a model the
    same migration creates moved into its CreateModel; the CreateModels first, each
    after the models of this app its fields point at, then the other operations in
    their order."""
    from django.db import migrations

    by_hand = (migrations.RunPython, migrations.RunSQL, migrations.SeparateDatabaseAndState)
    if any(isinstance(op, by_hand) for op in operations):
        raise SystemExit("the migration runs code or SQL, whose place among the operations matters: fold it by hand")
    creates = {op.name_lower: op for op in operations if isinstance(op, migrations.CreateModel)}
    order = list(creates)

    def in_this_app(reference) -> str | None:
        if not isinstance(reference, str):
            return None
        label, _, name = reference.lower().rpartition(".")
        return name if label in ("", app_label.lower()) and name in creates else None

    def points_at(field) -> set[str]:
        remote = getattr(field, "remote_field", None)
        return {
            t for t in (in_this_app(getattr(remote, "model", None)), in_this_app(getattr(remote, "through", None))) if t
        }

    def needs(model: str) -> list[str]:
        op = creates[model]
        targets = {in_this_app(base) for base in op.bases or ()} | {t for _n, f in op.fields for t in points_at(f)}
        return sorted({t for t in targets if t and t != model}, key=order.index)

    def reaches(field) -> set[str]:
        seen: set[str] = set()
        todo = list(points_at(field))
        while todo:
            model = todo.pop()
            if model not in seen:
                seen.add(model)
                todo += needs(model)
        return seen

    rest: list = []
    for op in operations:
        if isinstance(op, migrations.CreateModel):
            continue
        model = getattr(op, "model_name_lower", None)
        changed = [other for other in rest if getattr(other, "model_name_lower", None) == model]
        if model not in creates or any(not getattr(getattr(o, "field", None), "many_to_many", False) for o in changed):
            rest.append(op)  # the model's table changes in between: its later operations keep their place
        elif isinstance(op, migrations.AddField):
            if model in reaches(op.field):
                rest.append(op)  # the model it points at points back: it stays where it was
            else:
                creates[model].fields.append((op.name, op.field))
        elif isinstance(op, migrations.AddConstraint):
            creates[model].options.setdefault("constraints", []).append(op.constraint)  # type: ignore[attr-defined]
        elif isinstance(op, migrations.AddIndex):
            creates[model].options.setdefault("indexes", []).append(op.index)
        else:
            rest.append(op)

    placed: list = []
    done: set[str] = set()

    def place(model: str, path: tuple[str, ...] = ()) -> None:
        if model in done:
            return
        if model in path:
            raise SystemExit(f"{' -> '.join((*path, model))}: a cycle; keep one of its fields as an AddField")
        for other in needs(model):
            place(other, (*path, model))
        done.add(model)
        placed.append(creates[model])

    for model in order:
        place(model)
    return placed + rest


def main(app_label: str, name: str) -> None:
    import django

    django.setup()
    from django.db.migrations.writer import MigrationWriter

    migration = importlib.import_module(f"{app_label}.migrations.{name}").Migration(name, app_label)
    before = len(migration.operations)
    migration.operations = folded(list(migration.operations), app_label)
    writer = MigrationWriter(migration)
    Path(writer.path).write_text(writer.as_string())
    print(f"{writer.path}: {before} operations -> {len(migration.operations)}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
