"""The house's seams, checked on the source: no import ever runs core -> admin (the core never
reaches the front), admin -> plugins (the front reaches plugins only through the core) or
plugins -> admin, and the front imports from the core only the modules named in
``ADMIN_MAY_IMPORT_FROM_CORE`` (errors, domain types, pure helpers, option and command
plumbing), never a service, storage, a servicer or the server. Every import counts, also one
inside a function and a constant ``importlib.import_module("...")``: either would load the
other side in that process. The core's modules import each other in no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Folder -> the package it installs as (pyproject.toml's package-dir).
PACKAGES = {"core": "roost.core", "admin": "roost.admin", "plugins": "roost.plugins",
            "protos": "roost.protos"}
FORBIDDEN = {("core", "admin"), ("admin", "plugins"), ("plugins", "admin")}
# What the front may import from the core; anything else of roost.core fails. The front
# reaches the core's services only through protos/clients.
ADMIN_MAY_IMPORT_FROM_CORE = {
    "roost.core",  # the package itself: __version__
    "roost.core.errors",  # the errors the clients raise
    "roost.core.auth",  # domain types: Credentials, Principal; names (username_from_email)
    "roost.core.access",  # roles, visibilities, the anonymous principal
    "roost.core.dotted",  # dotted-key lookup in config and summary documents
    "roost.core.formats",  # parse_line, parse_expiry, flatten_methods
    "roost.core.config",  # the front's own options
    "roost.core.cli",  # the dispatcher's Command, for the front's own subcommands
    "roost.core.preflight",  # the checks `roost serve` and `roost front` run before starting
}
# What those modules load in turn (top-level imports): the dispatcher's account commands and
# the plugin manager. Nothing else of the core enters a front process.
LOADED_WITH_THEM = {"roost.core.cli_accounts", "roost.core.pluginmanager", "roost.core.hookspecs"}


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


def source_module(name: str) -> str:
    """The module ``name`` lives in: itself when it is a module of this repository, else the
    longest prefix that is (``roost.core.errors.NotFound`` -> ``roost.core.errors``,
    ``roost.core.__version__`` -> ``roost.core``)."""
    part = part_of(name)
    parts = name.split(".")
    while len(parts) > 2:
        path = ROOT / Path(part, *parts[2:])
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return ".".join(parts)


def violations(path: Path, source: str | None = None) -> list[str]:
    source = path.read_text() if source is None else source
    module = module_name(path)
    importer = part_of(module)
    found: dict[int, str] = {}  # one message a line: the module, not also each name from it
    for line, imported in imported_modules(source, module, path.name == "__init__.py"):
        target = part_of(imported)
        if line in found:
            continue
        if (importer, target) in FORBIDDEN:
            found[line] = (f"{path.relative_to(ROOT)}:{line}: {module} imports {imported} "
                           f"({importer} -> {target} is not allowed)")
        elif (importer, target) == ("admin", "core") and (
                source_module(imported) not in ADMIN_MAY_IMPORT_FROM_CORE):
            found[line] = (f"{path.relative_to(ROOT)}:{line}: {module} imports "
                           f"{source_module(imported)} (admin may import from the core only "
                           f"{', '.join(sorted(ADMIN_MAY_IMPORT_FROM_CORE))})")
    return [found[line] for line in sorted(found)]


def top_level_imports(module: str) -> set[str]:
    """The repository modules ``module`` imports when it loads (not inside functions)."""
    path = ROOT / Path(module.replace(PACKAGES[part_of(module)], part_of(module), 1)
                       .replace(".", "/"))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        found.update(source_module(name) for name in names if part_of(name))
    return found - {module}


def sources() -> list[Path]:
    return sorted(path for part in PACKAGES for path in (ROOT / part).rglob("*.py")
                  if "_pb2" not in path.name)


def test_no_import_crosses_a_forbidden_seam():
    found = [problem for path in sources() for problem in violations(path)]
    assert not found, "imports across a seam of the house:\n" + "\n".join(found)


def test_the_front_loads_no_service_of_the_core():
    """What the front may import loads, in turn, only what is listed: no service, storage,
    servicer or server comes with it."""
    loaded, todo = set(), set(ADMIN_MAY_IMPORT_FROM_CORE)
    while todo:
        module = todo.pop()
        loaded.add(module)
        todo |= {m for m in top_level_imports(module) if part_of(m) == "core"} - loaded
    assert loaded <= ADMIN_MAY_IMPORT_FROM_CORE | LOADED_WITH_THEM, sorted(
        loaded - ADMIN_MAY_IMPORT_FROM_CORE - LOADED_WITH_THEM)


def test_the_cores_modules_import_each_other_in_no_cycle():
    modules = [module_name(path) for path in sources() if path.parts[len(ROOT.parts)] == "core"]
    graph = {m: {d for d in top_level_imports(m) if part_of(d) == "core"} for m in modules}
    state: dict[str, str] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "open":
                cycles.append(" -> ".join(trail[trail.index(imported):] + [imported]))
            elif imported not in state:
                visit(imported, trail + [imported])
        state[module] = "done"

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles among the core's modules:\n" + "\n".join(cycles)


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
    ("admin", "from roost.core.tenancy import Tenancy\n",
     "imports roost.core.tenancy (admin may import from the core only"),
    ("admin", "from roost.core import history\n", "imports roost.core.history (admin may"),
    ("admin", "def f():\n    from roost.core.service import Core\n",
     ":2: roost.admin.example imports roost.core.service (admin may"),
    ("admin", "from roost.core.artifacts.service import ArtifactService\n",
     "imports roost.core.artifacts.service (admin may"),
])
def test_a_crossing_import_is_named_with_its_module_and_line(folder, source, expected):
    found = violations(ROOT / folder / "example.py", source)
    assert found and expected in found[0], found


@pytest.mark.parametrize("folder, source", [
    ("admin", "from roost.core.errors import NotFound\nfrom roost.protos.clients import X\n"),
    ("admin", "from roost.core import __version__, preflight\n"
              "from roost.core.formats import parse_line\nimport roost.core.auth\n"),
    ("plugins", "from roost.core.hookspecs import hookimpl\n"),
    ("core", "from roost.protos import common_pb2\n"),
])
def test_allowed_imports_pass(folder, source):
    assert violations(ROOT / folder / "example.py", source) == []
