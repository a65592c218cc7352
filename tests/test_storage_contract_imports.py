"""The storage contract's ``imports`` and ``archive`` areas (roost.core.storage.imports,
roost.core.storage.archive) on SQLite, PostgreSQL and MariaDB. Part of the contract suite:
test_storage_contract.py checks every contract method has a test."""

from __future__ import annotations

import json

import pytest

from roost.core.errors import NotFound
from test_storage_contract import history, on_every_engine
from roost.core.storage import FileStreamUpdate


class ImportContract:
    @pytest.fixture
    def alice(self, storage):
        return storage.create_user("alice", "alice@lab.example", None, admin=False)

    @pytest.fixture
    def run(self, storage, alice):
        return storage.upsert_run("alice", "p", "r1", None, {"config": "{}"}, alice["id"])[0]

    def test_import_records_are_kept_per_source_and_kind(self, storage):
        storage.put_import_record("https://a", "run", "e/p/r -> x/y", "7", "", False)
        storage.put_import_record("https://a", "run", "e/p/r -> x/y", "7", "f1", True,
                                  {"history": 3})
        storage.put_import_record("https://a", "sweep", "e/p/s -> x/y", "2", "", True)
        storage.put_import_record("https://b", "run", "e/p/r -> x/y", "9", "", True)
        records = storage.import_records("https://a", "run")
        assert list(records) == ["e/p/r -> x/y"]
        record = records["e/p/r -> x/y"]
        assert (record["target_id"], record["fingerprint"], record["complete"],
                record["detail"]) == ("7", "f1", True, {"history": 3})
        assert storage.import_records("https://b", "run")["e/p/r -> x/y"]["target_id"] == "9"
        assert storage.import_records("https://c", "run") == {}

    def test_imported_run_fields_and_users_by_email(self, storage, alice, run):
        bob = storage.create_user("bob", "", None, admin=False)
        storage.set_run_imported_fields(run["id"], {
            "created_at": 100.0, "heartbeat_at": 200.0, "updated_at": 200.0,
            "state": "failed", "exitcode": 3, "summary": json.dumps({"loss": 1}),
            "system_metrics": "{}", "user_id": bob["id"]})
        stored = storage.get_run_by_id(run["id"])
        assert (stored["created_at"], stored["heartbeat_at"], stored["state"],
                stored["exitcode"], json.loads(stored["summary_metrics"]),
                stored["username"]) == (100.0, 200.0, "failed", 3, {"loss": 1}, "bob")
        with pytest.raises(ValueError):
            storage.set_run_imported_fields(run["id"], {"name": "other"})
        with pytest.raises(NotFound):
            storage.set_run_imported_fields("999999", {"state": "finished"})
        assert storage.users_by_email() == {"alice@lab.example": "alice"}

    def test_imported_artifact_keeps_its_time_and_version_index(self, storage, alice):
        fields = {"digest": "d" * 32, "metadata": "{}", "aliases": []}
        artifact, _ = storage.create_artifact("alice", "p", "dataset", "data", None, fields,
                                              False, None, None)
        committed = storage.commit_artifact(artifact["id"], [], "d" * 32, "")
        assert committed["version_index"] == 0
        storage.set_artifact_imported_fields(artifact["id"], 50.0, 3)  # v0..v2 deleted there
        stored = storage.get_artifact(artifact["id"])
        assert (stored["created_at"], stored["version_index"]) == (50.0, 3)
        second, _ = storage.create_artifact("alice", "p", "dataset", "data", None,
                                            dict(fields, digest="e" * 32), False, None, None)
        assert storage.commit_artifact(second["id"], [], "e" * 32, "")["version_index"] == 4
        with pytest.raises(NotFound):
            storage.set_artifact_imported_fields("999999", 1.0, None)

    def test_dump_and_load_every_table(self, storage, alice, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 5)))
        storage.wait_for_rollups()  # the folding thread's rollups belong in the counts
        assert storage.schema_version() >= 3
        counts = storage.instance_rows()
        assert counts["run"] == 1 and counts["history_line"] == 5 and "schema_version" not in counts
        dumped = []
        version = storage.dump_tables(lambda name, columns, rows: dumped.append(
            (name, columns, list(rows))))
        assert version == storage.schema_version()
        names = [name for name, _, _ in dumped]
        assert names.index("entity") < names.index("project") < names.index("run")
        loaded = storage.load_tables(iter(dumped), clear=True)
        assert loaded["history_line"] == 5 and storage.instance_rows() == counts
        again = storage.get_run("alice", "p", "r1")
        assert again["history_line_count"] == 5
        # Ids continue after the loaded rows.
        assert int(storage.create_user("carol", "", None, False)["id"]) > int(alice["id"])


TestSqliteImportContract, TestPostgresImportContract, TestMysqlImportContract = \
    on_every_engine(ImportContract)
