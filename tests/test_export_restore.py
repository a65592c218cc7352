"""`roost export` / `roost restore`: a running SQLite instance exported, restored into
PostgreSQL, that one's export into MariaDB and that one's back into SQLite, each compared with the source through every
Public API read (tests/sdk_scripts/import_snapshot.py); archives of another version, truncated
archives and non-empty targets refused before anything is written.
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from harness import RoostServer, run_sdk, sdk_problem
from import_support import console, fill, snapshots
from storage_fixtures import temporary_database

pytestmark = [pytest.mark.sdk, pytest.mark.xdist_group("export-restore")]
PROJECT = "arch"


@pytest.fixture(scope="session")
def source():
    if sdk_problem("0.31.0"):
        pytest.skip(sdk_problem("0.31.0"))
    server = RoostServer().start()
    try:
        run_sdk("0.31.0", "import_source", server, api_key=server.admin_key, args=[PROJECT],
                timeout=300)
        fill(server, "lines", runs=2, steps=300)
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def expected(source):
    return snapshots(source, PROJECT, "lines")


@pytest.fixture(scope="session")
def archive(source, tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "roost.tar.gz"
    result = source.cli("export", str(path))  # while the server runs
    assert "exported" in result.stdout and path.exists()
    return path


def restored(archive, data_dir, database_url=None, *extra) -> RoostServer:
    server = RoostServer(data_dir, database_url=database_url)
    result = server.cli("restore", str(archive), *extra)
    assert "restored" in result.stdout, result.stdout
    return server.start()


@pytest.fixture(scope="session")
def previous(archive) -> dict:
    """The archive the next hop restores: the source's, then each hop's own export."""
    return {"archive": archive}


# SQLite (the source) -> PostgreSQL -> MariaDB -> SQLite, one test per hop.
@pytest.mark.parametrize("backend", ["postgresql", "mysql", "sqlite"])
def test_each_hop_restores_the_last_export_equal_to_the_source(backend, source, expected,
                                                               previous, tmp_path):
    run = expected[PROJECT]["runs"][0]["id"]
    with temporary_database(backend, tmp_path) as url:
        server = restored(previous["archive"], tmp_path / "data", url)
        try:
            assert snapshots(server, PROJECT, "lines") == expected
            assert console(server, PROJECT, run) == console(source, PROJECT, run)
            previous["archive"] = tmp_path / f"{backend}.tar"
            server.cli("export", str(previous["archive"]))
            # Ids continue after the restored rows (PostgreSQL sequences moved past them).
            server.cli("user", "add", f"after-{backend}")
        finally:
            server.cleanup()


def test_truncated_or_foreign_archives_are_refused_before_writing(archive, tmp_path):
    data = archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    other = tmp_path / "other.tar"
    with tarfile.open(archive, "r:gz") as tar, tarfile.open(other, "w") as out:
        for member in tar:
            content = tar.extractfile(member).read()
            if member.name.endswith("manifest.json"):
                manifest = json.loads(content)
                manifest["format_version"] = 99
                content = json.dumps(manifest).encode()
                member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    server = RoostServer(tmp_path / "data")
    try:
        for path, message in ((cut, "truncated"), (other, "format version 99")):
            result = server.cli("restore", str(path), check=False)
            assert result.returncode == 2 and message in result.stderr, result.stderr
        server.start()
        # Nothing was written: the server started on an empty instance (first admin created).
        assert server.admin_password
        assert server.query("SELECT COUNT(*) AS n FROM run")[0]["n"] == 0
    finally:
        server.cleanup()


def test_restore_into_a_non_empty_instance_needs_force(source, archive, tmp_path):
    refused = source.cli("restore", str(archive), check=False)
    assert refused.returncode == 2 and "not empty" in refused.stderr and "--force" in \
        refused.stderr
    server = RoostServer(tmp_path / "data").start()  # its first admin makes it non-empty
    server.stop()
    forced = restored(archive, tmp_path / "data", None, "--force")
    try:
        names = "SELECT r.name FROM run r ORDER BY r.name"
        assert forced.query(names) == source.query(names)
    finally:
        forced.cleanup()
        server.cleanup()
