"""The command-line half of moving data: `roost import`, `roost export`, `roost restore`.

core/cli.py registers these through ``add_commands`` and hands them over through ``run``."""

from __future__ import annotations

import sys

COMMANDS = ("import", "export", "restore")


def add_commands(commands, options, add_option_flags, local_options) -> None:
    from roost.core.imports.command import add_arguments

    flags = local_options + tuple(o.name for o in options if o.name.startswith("minio_"))
    importing = commands.add_parser(
        "import", help="import runs, artifacts and sweeps from a W&B-compatible server "
        "(wandb.ai, W&B Server, another Roost); needs roost[import]")
    add_arguments(importing)
    exporting = commands.add_parser(
        "export", help="write the whole instance (database rows and media) to an archive")
    exporting.add_argument("archive", metavar="ARCHIVE", help="the file to write (.tar or .tar.gz)")
    exporting.add_argument("--overwrite", action="store_true", help="replace ARCHIVE if it exists")
    restoring = commands.add_parser(
        "restore", help="load an archive of `roost export` into an empty instance")
    restoring.add_argument("archive", metavar="ARCHIVE")
    restoring.add_argument("--force", action="store_true",
                           help="replace everything in a non-empty instance")
    for parser in (importing, exporting, restoring):
        add_option_flags(parser, options, flags)


def run(command: str, core_factory, args) -> int:
    from roost.core.backup.archive import ArchiveError

    core = core_factory()
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
