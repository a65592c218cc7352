"""The `roost import`, `roost export` and `roost restore` subcommands (entry points of the
``roost.commands`` group in pyproject.toml; core/cli.py dispatches them)."""

from __future__ import annotations

import argparse
import sys

from roost.core.cli import LOCAL_OPTIONS, Command, add_option_flags, local_core
from roost.core.config import OptionRegistry


def _storage_flags(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    add_option_flags(parser, options, LOCAL_OPTIONS + tuple(o.name for o in options
                                                            if o.name.startswith("minio_")))


def add_import_arguments(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    from roost.core.imports.command import add_arguments
    add_arguments(parser)
    _storage_flags(parser, options)


def add_export_arguments(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    parser.add_argument("archive", metavar="ARCHIVE", help="the file to write (.tar or .tar.gz)")
    parser.add_argument("--overwrite", action="store_true", help="replace ARCHIVE if it exists")
    _storage_flags(parser, options)


def add_restore_arguments(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    parser.add_argument("archive", metavar="ARCHIVE")
    parser.add_argument("--force", action="store_true",
                        help="replace everything in a non-empty instance")
    _storage_flags(parser, options)


def run(command: str, config, pm, args) -> int:
    from roost.core.backup.archive import ArchiveError

    core = local_core(config, pm)
    try:
        if command == "import":
            from roost.core.imports.command import run_import
            return run_import(core, args)
        from roost.core.backup.commands import run_export, run_restore
        return (run_export if command == "export" else run_restore)(core, args)
    except ArchiveError as exc:
        print(f"roost {command}: {exc}", file=sys.stderr)
        return 2
    finally:
        core.close()


IMPORT = Command("import", "import runs, artifacts and sweeps from a W&B-compatible server "
                 "(wandb.ai, W&B Server, another Roost); needs roost[import]", 70,
                 add_import_arguments,
                 lambda config, options, pm, args: run("import", config, pm, args))
EXPORT = Command("export", "write the whole instance (database rows and media) to an "
                 "archive", 75, add_export_arguments,
                 lambda config, options, pm, args: run("export", config, pm, args))
RESTORE = Command("restore", "load an archive of `roost export` into an empty instance", 76,
                  add_restore_arguments,
                  lambda config, options, pm, args: run("restore", config, pm, args))
