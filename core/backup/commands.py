"""`roost export ARCHIVE` and `roost restore ARCHIVE` (archive format: archive.py)."""

from __future__ import annotations

import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Iterator

from roost.core import __version__
from roost.core.artifacts.blobs import blob_key
from roost.core.backup import archive
from roost.core.backup.archive import ArchiveError, ArchiveWriter

READ_SIZE = 1024 * 1024


def _media_keys(name: str, columns: list[str], rows: Iterator[list], keys: set[str]):
    """Pass rows through, noting the media keys they reference."""
    pick = None
    if name == "run_file":
        key, uploaded = columns.index("key"), columns.index("uploaded")
        pick = lambda row: row[key] if row[uploaded] else None  # noqa: E731
    elif name == "blob":
        md5, stored = columns.index("md5"), columns.index("stored")
        pick = lambda row: blob_key(row[md5]) if row[stored] else None  # noqa: E731
    elif name == "artifact_manifest":
        key = columns.index("key")
        pick = lambda row: row[key]  # noqa: E731
    elif name == "artifact":
        key = columns.index("manifest_key")
        pick = lambda row: row[key]  # noqa: E731
    for row in rows:
        if pick is not None and (found := pick(row)):
            keys.add(found)
        yield row


def run_export(core, args, out=sys.stdout) -> int:
    path = Path(args.archive)
    if path.exists() and not args.overwrite:
        raise ArchiveError(f"{path} exists; choose another name or pass --overwrite")
    started = time.monotonic()
    writer = ArchiveWriter(path)
    keys: set[str] = set()
    counts: dict[str, int] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="roost-export-") as spool:
            def write_table(name, columns, rows):
                counts[name] = writer.add_table(name, columns,
                                                _media_keys(name, columns, rows, keys),
                                                Path(spool) / "table.jsonl")
            schema = core.storage.dump_tables(write_table)
        missing, media_bytes = [], 0
        for key in sorted(keys):
            if not core.media.exists(key):
                missing.append(key)  # a reference whose bytes were never stored
                continue
            size, chunks = core.media.open(key)
            writer.add_media(key, size, chunks)
            media_bytes += size
        writer.finish({"roost_version": __version__, "schema_version": schema,
                       "created_at": time.time(), "engine": core.storage.name,
                       "missing_media": missing})
    except BaseException:
        writer.abort()
        raise
    out.write(f"exported {sum(counts.values()):,} rows of {len(counts)} tables and "
              f"{len(keys) - len(missing)} media files ({media_bytes:,} bytes) to {path} in "
              f"{time.monotonic() - started:.1f} s\n")
    if missing:
        out.write(f"note: {len(missing)} referenced media files were not in the store (listed "
                  "in the archive's manifest)\n")
    return 0


def run_restore(core, args, out=sys.stdout) -> int:
    path = Path(args.archive)
    manifest = archive.read_manifest(path)
    ours = core.storage.schema_version()
    if manifest.get("schema_version") != ours:
        raise ArchiveError(
            f"{path} was written by Roost {manifest.get('roost_version')} at database schema "
            f"version {manifest.get('schema_version')}; this Roost is at schema version {ours}. "
            "Restore it with the Roost version that wrote it, then upgrade that instance")
    archive.verify(path, manifest)
    present = core.storage.instance_rows()
    if present and not args.force:
        tables = ", ".join(f"{name} ({count})" for name, count in sorted(present.items())[:6])
        raise ArchiveError(f"this instance is not empty ({tables}...); restore into a new data "
                           "directory or database, or pass --force to replace everything in it")
    started = time.monotonic()
    limit = max(core.config.max_upload_bytes, 1 << 40)
    with tarfile.open(path, archive._mode(path, write=False)) as tar:
        media_files = 0
        for key, handle in archive.media(tar):
            core.media.put(key, iter(lambda: handle.read(READ_SIZE), b""), limit)
            media_files += 1
    with tarfile.open(path, archive._mode(path, write=False)) as tar:
        loaded = core.storage.load_tables(archive.tables(tar), clear=bool(present))
    out.write(f"restored {sum(loaded.values()):,} rows of {len(loaded)} tables and "
              f"{media_files} media files from {path} (written {time.ctime(manifest['created_at'])}"
              f" by {manifest.get('engine')}) in {time.monotonic() - started:.1f} s\n")
    return 0
