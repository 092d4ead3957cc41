"""The ledgers read the selectors; the selectors never read the ledgers (they used
to import each other, each from inside functions)."""

import ast
from pathlib import Path

import oversight

ROOT = Path(oversight.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules the file imports, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_selectors_never_import_the_ledgers():
    offenders = [
        f"{path.relative_to(ROOT.parent)} imports {name}"
        for path in sorted((ROOT / "selectors").rglob("*.py"))
        for name in sorted(imported_modules(path))
        if name == "oversight.ledgers" or name.startswith("oversight.ledgers.")
    ]
    assert offenders == []


def test_relative_imports_are_resolved():
    assert "oversight.ledgers.base" in imported_modules(ROOT / "ledgers" / "tasks.py")
    assert "oversight.selectors.integrations" in imported_modules(ROOT / "ledgers" / "__init__.py")


def test_the_selectors_import_one_another_without_a_cycle():
    modules = {path.stem: path for path in (ROOT / "selectors").glob("*.py") if path.stem != "__init__"}
    graph = {
        name: {
            other
            for other in modules
            if other != name and any(imported == f"oversight.selectors.{other}" for imported in imported_modules(path))
        }
        for name, path in modules.items()
    }
    done: set[str] = set()

    def visit(name, path=()):
        assert name not in path, " → ".join((*path, name))
        if name not in done:
            for other in graph[name]:
                visit(other, (*path, name))
            done.add(name)

    for name in graph:
        visit(name)
