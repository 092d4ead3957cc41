"""notifications is a leaf the other apps stand on: the reminder ledger, channels,
inbox and escalation ladder. It names none of the apps that use it; they bring
their deadlines (``<app>/reminders.py``) and write their own notices."""

import ast
from pathlib import Path

import notifications

ROOT = Path(notifications.__file__).resolve().parent
APPS_ON_TOP = ("complaints", "rectification", "evaluations", "oversight", "benchmarks")


def imported_modules(path: Path) -> set[str]:
    """Absolute module names imported anywhere in the file (at the top or in a function)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def offenders(*apps: str) -> list[str]:
    return [
        f"{path.relative_to(ROOT.parent)} imports {name}"
        for path in sorted(ROOT.rglob("*.py"))
        for name in sorted(imported_modules(path))
        if name.split(".")[0] in apps
    ]


def test_no_module_under_notifications_imports_complaints():
    assert offenders("complaints") == []


def test_no_module_under_notifications_imports_an_app_that_stands_on_it():
    assert offenders(*APPS_ON_TOP) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from complaints.models import Complaint\n    import oversight.ledgers\n")
    assert imported_modules(module) == {"complaints.models", "oversight.ledgers"}
