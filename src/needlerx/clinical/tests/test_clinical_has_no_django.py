"""The clinical core is plain Python: nothing under needlerx/clinical may import Django."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CLINICAL_ROOT = Path(__file__).resolve().parent.parent


def imported_modules(source: str) -> set[str]:
    """Every module named by an import statement, including ``__import__("x")`` calls."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                modules.add(first.value)
    return modules


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )
    return name in {"__import__", "import_module"} and bool(node.args)


def is_django(module: str) -> bool:
    return module == "django" or module.startswith("django.")


def clinical_modules() -> list[Path]:
    return sorted(p for p in CLINICAL_ROOT.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_walk_finds_the_clinical_modules():
    names = {path.relative_to(CLINICAL_ROOT).as_posix() for path in clinical_modules()}
    assert "screening/__init__.py" in names
    assert "reference/__init__.py" in names
    assert "tests/test_clinical_has_no_django.py" in names


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "from django.db import models",
        "import os, django.conf",
        "def f():\n    from django.utils import timezone",
        "import importlib\nimportlib.import_module('django.conf')",
        "__import__('django')",
    ],
)
def test_the_checker_catches_django_imports(source):
    assert any(is_django(module) for module in imported_modules(source))


@pytest.mark.parametrize("source", ["import djangoish", "from needlerx.clinical import errors"])
def test_the_checker_ignores_other_modules(source):
    assert not any(is_django(module) for module in imported_modules(source))


@pytest.mark.parametrize(
    "path", clinical_modules(), ids=lambda path: path.relative_to(CLINICAL_ROOT).as_posix()
)
def test_module_does_not_import_django(path):
    offending = sorted(
        m for m in imported_modules(path.read_text(encoding="utf-8")) if is_django(m)
    )
    assert offending == [], f"{path} imports {offending}"
