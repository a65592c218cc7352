"""The archive format: a tar file (gzip-compressed when its name ends in .gz or .tgz).

    roost-archive/tables/NNN-TABLE.jsonl   first line: the column names; then one JSON list per row
    roost-archive/media/KEY                the bytes of every media key the rows reference
    roost-archive/manifest.json            written last: format, versions, every member's size
                                           and SHA-256

A reader checks the manifest and every member against it before anything is written, so an
archive that was cut short (no manifest, or members missing or shorter than listed) or altered
is refused whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
from pathlib import Path
from typing import IO, Iterable, Iterator

FORMAT = "roost-archive"
FORMAT_VERSION = 1
ROOT = "roost-archive/"
MANIFEST = ROOT + "manifest.json"
TABLES = ROOT + "tables/"
MEDIA = ROOT + "media/"
READ_SIZE = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be restored here; nothing was written."""


def _mode(path: Path, write: bool) -> str:
    gz = path.name.endswith((".gz", ".tgz"))
    return ("w:gz" if gz else "w") if write else ("r:gz" if gz else "r:")


class _HashingReader(io.RawIOBase):
    """A file-like view of chunks that hashes what passes through."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk
        count = min(len(target), len(self._buffer))
        target[:count] = self._buffer[:count]
        self.sha256.update(self._buffer[:count])
        self.size += count
        self._buffer = self._buffer[count:]
        return count


class ArchiveWriter:
    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.tar = tarfile.open(self.partial, _mode(path, write=True))
        self.members: dict[str, dict] = {}
        self.tables: dict[str, int] = {}
        self._count = 0

    def add_table(self, name: str, columns: list[str], rows: Iterable[list], spool: Path) -> int:
        count = 0
        with open(spool, "wb") as handle:
            handle.write(json.dumps(columns).encode() + b"\n")
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
                count += 1
        self._count += 1
        member = f"{TABLES}{self._count:03d}-{name}.jsonl"
        with open(spool, "rb") as handle:
            self._add(member, spool.stat().st_size, handle)
        spool.unlink()
        self.tables[member] = count
        return count

    def add_media(self, key: str, size: int, chunks: Iterator[bytes]) -> None:
        self._add(MEDIA + key, size, io.BufferedReader(_HashingReader(chunks), READ_SIZE))

    def _add(self, name: str, size: int, handle: IO[bytes]) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o600
        digest = hashlib.sha256()
        hashing = _Tee(handle, digest)
        self.tar.addfile(info, hashing)
        self.members[name] = {"size": size, "sha256": digest.hexdigest()}

    def finish(self, header: dict) -> None:
        document = dict(header, format=FORMAT, format_version=FORMAT_VERSION,
                        members=self.members, table_rows=self.tables)
        data = json.dumps(document, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()
        self.partial.replace(self.path)  # a reader never sees an archive still being written

    def abort(self) -> None:
        self.tar.close()
        self.partial.unlink(missing_ok=True)


class _Tee:
    def __init__(self, handle: IO[bytes], digest):
        self.handle, self.digest = handle, digest

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def read_manifest(path: Path) -> dict:
    if not path.is_file():
        raise ArchiveError(f"{path} does not exist")
    try:
        with tarfile.open(path, _mode(path, write=False)) as tar:
            manifest = None
            for member in tar:
                if member.name == MANIFEST:
                    manifest = json.loads(tar.extractfile(member).read())
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise ArchiveError(f"{path} is not a complete Roost archive ({exc}); it may be "
                           "truncated") from None
    if manifest is None:
        raise ArchiveError(f"{path} has no manifest: it is truncated (an export that did not "
                           "finish) or not a Roost archive")
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not a Roost archive")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(f"{path} is an archive of format version "
                           f"{manifest.get('format_version')}; this Roost reads version "
                           f"{FORMAT_VERSION}")
    return manifest


def verify(path: Path, manifest: dict) -> None:
    """Every member listed is present with its size and SHA-256, and nothing else is."""
    seen = set()
    try:
        with tarfile.open(path, _mode(path, write=False)) as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                expected = manifest["members"].get(member.name)
                if expected is None:
                    raise ArchiveError(f"{path}: unexpected member {member.name}")
                digest = hashlib.sha256()
                handle = tar.extractfile(member)
                size = 0
                while chunk := handle.read(READ_SIZE):
                    digest.update(chunk)
                    size += len(chunk)
                if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
                    raise ArchiveError(f"{path}: {member.name} does not match its checksum "
                                       "(the archive is damaged)")
                seen.add(member.name)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"{path} is damaged or truncated ({exc})") from None
    missing = set(manifest["members"]) - seen
    if missing:
        raise ArchiveError(f"{path} lacks {len(missing)} members (e.g. {sorted(missing)[0]}): "
                           "it is truncated")


def tables(tar: tarfile.TarFile) -> Iterator[tuple[str, list[str], Iterator[list]]]:
    """(table, columns, rows) of an open archive, in the order they were written."""
    for member in tar:
        if not (member.name.startswith(TABLES) and member.name.endswith(".jsonl")):
            continue
        handle = tar.extractfile(member)
        columns = json.loads(handle.readline())
        name = member.name[len(TABLES):].split("-", 1)[1][:-len(".jsonl")]
        yield name, columns, (json.loads(line) for line in handle)


def media(tar: tarfile.TarFile) -> Iterator[tuple[str, IO[bytes]]]:
    for member in tar:
        if member.name.startswith(MEDIA) and member.isfile():
            yield member.name[len(MEDIA):], tar.extractfile(member)
