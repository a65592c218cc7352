"""The house's seams, checked on the source: no import ever runs core -> admin (the core never
reaches the front), admin -> plugins (the front reaches plugins only through the core) or
plugins -> admin. Every import counts, also one inside a function and a constant
``importlib.import_module("...")``: either would load the other side in that process."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Folder -> the package it installs as (pyproject.toml's package-dir).
PACKAGES = {"core": "roost.core", "admin": "roost.admin", "plugins": "roost.plugins",
            "protos": "roost.protos"}
FORBIDDEN = {("core", "admin"), ("admin", "plugins"), ("plugins", "admin")}


def part_of(module: str) -> str | None:
    for part, package in PACKAGES.items():
        if module == package or module.startswith(package + "."):
            return part
    return None


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    names = [PACKAGES[relative.parts[0]], *relative.parts[1:]]
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def imported_modules(source: str, module: str, is_package: bool):
    """(line, imported module) for every import in the source, at any depth."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield node.lineno, base
            for alias in node.names:  # ``from roost import admin`` imports roost.admin
                yield node.lineno, f"{base}.{alias.name}"
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name)
                       and node.func.id in ("import_module", "__import__")))):
            yield node.lineno, node.args[0].value


def violations(path: Path, source: str | None = None) -> list[str]:
    source = path.read_text() if source is None else source
    module = module_name(path)
    importer = part_of(module)
    found: dict[int, str] = {}  # one message a line: the module, not also each name from it
    for line, imported in imported_modules(source, module, path.name == "__init__.py"):
        target = part_of(imported)
        if (importer, target) in FORBIDDEN and line not in found:
            found[line] = (f"{path.relative_to(ROOT)}:{line}: {module} imports {imported} "
                           f"({importer} -> {target} is not allowed)")
    return [found[line] for line in sorted(found)]


def sources() -> list[Path]:
    return sorted(path for part in PACKAGES for path in (ROOT / part).rglob("*.py")
                  if "_pb2" not in path.name)


def test_no_import_crosses_a_forbidden_seam():
    found = [problem for path in sources() for problem in violations(path)]
    assert not found, "imports across a seam of the house:\n" + "\n".join(found)


def test_every_part_is_walked():
    walked = {path.relative_to(ROOT).parts[0] for path in sources()}
    assert walked == set(PACKAGES)
    assert len(sources()) > 100


@pytest.mark.parametrize("folder, source, expected", [
    ("core", "import roost.admin.app\n", "roost.admin.app (core -> admin"),
    ("core", "def f():\n    from roost.admin.app import create_app\n",
     ":2: roost.core.example imports roost.admin.app (core -> admin"),
    ("core", "from roost import admin\n", "roost.admin (core -> admin"),
    ("core", "import importlib\nimportlib.import_module('roost.admin.cli')\n",
     ":2: roost.core.example imports roost.admin.cli"),
    ("admin", "from roost.plugins.sql import store\n", "(admin -> plugins"),
    ("admin", "from ..plugins import sql\n", "roost.plugins (admin -> plugins"),
    ("plugins", "from roost.admin.web_auth import current_principal\n", "(plugins -> admin"),
])
def test_a_crossing_import_is_named_with_its_module_and_line(folder, source, expected):
    found = violations(ROOT / folder / "example.py", source)
    assert found and expected in found[0], found


@pytest.mark.parametrize("folder, source", [
    ("admin", "from roost.core.errors import NotFound\nfrom roost.protos.clients import X\n"),
    ("plugins", "from roost.core.hookspecs import hookimpl\n"),
    ("core", "from roost.protos import common_pb2\n"),
])
def test_allowed_imports_pass(folder, source):
    assert violations(ROOT / folder / "example.py", source) == []
