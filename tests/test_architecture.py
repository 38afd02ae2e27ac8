"""docs/architecture.md's import rules, checked on the source: who may import whom."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"archive", "bot", "cases", "classifiers", "feeds", "storage", "textkit", "warwatch"}
# package -> the modules of ours it may import (a package always may import itself)
ALLOWED = {
    "textkit": set(),
    "feeds": {"textkit"},
    "cases": {"textkit"},
    "archive": {"textkit"},
    "classifiers": {"textkit"},
    "storage": set(),
    "bot": {"storage", "classifiers", "feeds.safety", "feeds.catalogue", "textkit", "archive"},
}
FORBIDDEN = {"bot": {"storage.models", "warwatch"}}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, at any depth (lazy imports inside functions too)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def _within(module: str, prefixes: set[str]) -> bool:
    return any(module == prefix or module.startswith(f"{prefix}.") for prefix in prefixes)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_the_architecture_allows(package: str) -> None:
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top not in OURS or top == package:
                continue
            if not _within(module, ALLOWED[package]) or _within(module, FORBIDDEN.get(package, set())):
                wrong.append(f"{path.relative_to(ROOT)}: {module}")
    assert not wrong, "imports the architecture does not allow:\n" + "\n".join(wrong)


def test_the_check_sees_lazy_imports() -> None:
    source = ROOT / "warwatch" / "commands" / "feeds.py"
    assert "storage.admin" in imported_modules(source)  # imported inside a command function


def test_no_benchmark_script_is_named_like_a_package_it_would_shadow() -> None:
    """``python benchmarks/x.py`` puts benchmarks/ first on the import path: a script named like one
    of the project's packages (benchmarks/archive.py did) breaks every benchmark that imports it."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    scripts = {path.stem for path in (ROOT / "benchmarks").glob("*.py")}
    assert "feeds" in packages and "poll" in scripts
    assert not packages & scripts
