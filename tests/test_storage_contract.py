"""The storage contract (roost.core.storage), run once per backend: SQLite always, PostgreSQL
and MySQL/MariaDB when ROOST_TEST_POSTGRES_URL / ROOST_TEST_MYSQL_URL name a server.

The suite is this module (accounts, runs, ingest, run files) and its siblings
``test_storage_contract_*.py`` (tenancy, artifacts, sweeps, reads and the ui area). A storage
plugin passes when subclasses of their ``*Contract`` classes with a ``storage`` fixture that
yields a fresh, empty provider pass. ``test_every_contract_method_has_a_contract_test`` fails
when a method of the contract is called by none of the suite's tests.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from roost.core.errors import AlreadyExists, Conflict, InvalidArgument, NotFound
from roost.core.storage import FileStreamUpdate, StreamLines, contract_methods
from roost.plugins.sql.store import SqlStorage
from storage_fixtures import backend_marks, clear_tables, temporary_database

HERE = Path(__file__).resolve().parent


def history(offset: int, count: int, step0: int | None = None, tag: str = "") -> StreamLines:
    step0 = offset if step0 is None else step0
    lines = [json.dumps({"_step": step0 + i, "loss": (step0 + i) / 10, "tag": tag})
             for i in range(count)]
    return StreamLines(offset, lines, [step0 + i for i in range(count)])


def lines_of(offset: int, texts: list[str]) -> StreamLines:
    return StreamLines(offset, texts)


def run_together(count: int, work) -> list:
    """Call ``work(i)`` from ``count`` threads released at the same moment; results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the caller
            results[i] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


class StorageContract:
    """Behaviour every Storage provider must show. Subclasses provide ``storage``."""

    @pytest.fixture
    def storage(self):
        raise NotImplementedError("a backend subclass provides the storage fixture")

    @pytest.fixture
    def user(self, storage):
        return storage.create_user("alice", "alice@example.com", "scrypt$hash", admin=False)

    @pytest.fixture
    def run(self, storage, user):
        run, _ = storage.upsert_run("alice", "proj", "run1", None, {}, user["id"])
        return run

    # -- users and entities ------------------------------------------------------------------
    def test_create_user_creates_its_entity(self, storage, user):
        assert user["username"] == "alice" and user["entity"] == "alice"
        assert user["email"] == "alice@example.com" and user["admin"] is False
        assert storage.get_user("alice")["id"] == user["id"]
        assert storage.get_user_by_id(user["id"])["username"] == "alice"
        assert storage.get_entity("alice") == {"id": storage.get_entity("alice")["id"],
                                               "name": "alice", "kind": "user"}
        assert storage.count_users() == 1
        assert storage.teams_of(user["id"]) == []
        assert storage.get_user("nobody") is None and storage.get_entity("nobody") is None
        assert storage.get_user_by_id("987654") is None

    def test_duplicate_name_is_already_exists(self, storage, user):
        with pytest.raises(AlreadyExists, match="already taken"):
            storage.create_user("alice", "", None, admin=True)
        assert storage.count_users() == 1

    def test_names_compare_exactly(self, storage, user):
        # Case and trailing spaces matter on every engine (MySQL's default collation ignores both).
        assert storage.create_user("Alice", "", None, admin=False)["username"] == "Alice"
        storage.upsert_run("alice", "proj", "r", None, {}, user["id"])
        storage.upsert_run("alice", "Proj", "r", None, {}, user["id"])
        storage.upsert_run("alice", "proj ", "r", None, {}, user["id"])
        assert storage.get_project("alice", "Proj")["run_count"] == 1
        assert storage.get_project("alice", "PROJ") is None

    def test_concurrent_create_of_one_name_gives_one_user(self, storage):
        results = run_together(4, lambda i: storage.create_user("bob", "", None, admin=False))
        assert sum(isinstance(r, dict) for r in results) == 1
        assert all(isinstance(r, (dict, AlreadyExists)) for r in results), results
        assert storage.count_users() == 1

    def test_too_long_text_is_refused_alike(self, storage):
        with pytest.raises(InvalidArgument, match="limit is 254"):
            storage.create_user("carol", "c" * 300, None, admin=False)
        assert storage.get_user("carol") is None

    # -- api keys ----------------------------------------------------------------------------
    def test_api_key_lifecycle(self, storage, user):
        key = storage.create_api_key(user["id"], "a" * 64, "abc123…", "laptop")
        assert key["user_id"] == user["id"] and key["hint"] == "abc123…"
        assert key["revoked"] is False and key["last_used_at"] == 0.0
        found = storage.find_api_key("a" * 64)
        assert found["id"] == key["id"] and found["user_id"] == user["id"]
        assert found["key_hash"] == "a" * 64
        assert storage.find_api_key("b" * 64) is None

        storage.touch_api_key(key["id"], 1234.5)
        assert storage.find_api_key("a" * 64)["last_used_at"] == 1234.5

        second = storage.create_api_key(user["id"], "c" * 64, "zzz…", "")
        listed = storage.list_api_keys(user["id"])
        assert [k["id"] for k in listed] == [key["id"], second["id"]]
        assert listed[0]["username"] == "alice" and listed[0]["description"] == "laptop"

        revoked = storage.revoke_api_key(key["id"])
        assert revoked["revoked"] is True and revoked["user_id"] == user["id"]
        assert storage.find_api_key("a" * 64) is None
        assert [k["revoked"] for k in storage.list_api_keys(user["id"])] == [True, False]
        assert storage.revoke_api_key(key["id"])["revoked"] is True
        assert storage.revoke_api_key("987654") is None

    # -- projects and runs -------------------------------------------------------------------
    def test_upsert_creates_project_and_run(self, storage, user):
        fields = {"display_name": "first", "config": '{"lr": {"value": 0.1}}', "notes": "n",
                  "group": "g", "job_type": "train", "tags": ["a", "b"], "host": "box"}
        run, inserted = storage.upsert_run("alice", "proj", "r1", None, fields, user["id"])
        assert inserted is True
        assert (run["entity"], run["project"], run["name"]) == ("alice", "proj", "r1")
        assert run["display_name"] == "first" and run["group"] == "g"
        assert run["job_type"] == "train" and run["tags"] == ["a", "b"]
        assert json.loads(run["config"]) == {"lr": {"value": 0.1}}
        assert run["state"] == "running" and run["username"] == "alice"
        project = storage.get_project("alice", "proj")
        assert project["name"] == "proj" and project["run_count"] == 1
        assert storage.get_run("alice", "proj", "r1")["id"] == run["id"]
        assert storage.get_run_by_id(run["id"])["name"] == "r1"

    def test_upsert_leaves_fields_left_out_unchanged(self, storage, user):
        run, _ = storage.upsert_run("alice", "proj", "r1", None,
                                    {"display_name": "x", "notes": "keep", "tags": ["t"]},
                                    user["id"])
        again, inserted = storage.upsert_run("alice", "proj", "r1", None,
                                             {"display_name": "y"}, user["id"])
        assert inserted is False and again["id"] == run["id"]
        assert again["display_name"] == "y" and again["notes"] == "keep"
        assert again["tags"] == ["t"]
        by_id, inserted = storage.upsert_run("", "", None, run["id"], {"tags": []}, user["id"])
        assert inserted is False and by_id["tags"] == [] and by_id["display_name"] == "y"
        assert storage.get_project("alice", "proj")["run_count"] == 1

    def test_upsert_errors(self, storage, user):
        with pytest.raises(NotFound):
            storage.upsert_run("nobody", "proj", "r1", None, {}, user["id"])
        with pytest.raises(NotFound):
            storage.upsert_run("", "", None, "987654", {}, user["id"])
        with pytest.raises(InvalidArgument, match="display is 300 characters"):
            storage.upsert_run("alice", "proj", "r1", None, {"display_name": "d" * 300},
                               user["id"])
        assert storage.get_run("alice", "proj", "r1") is None
        assert storage.get_run("alice", "proj", "missing") is None

    def test_nul_in_text_is_stored_alike(self, storage, user):
        run, _ = storage.upsert_run("alice", "proj", "r1", None, {"notes": "a\x00b"}, user["id"])
        assert run["notes"] == "a\ufffdb"

    def test_concurrent_create_of_one_run_gives_one_row(self, storage, user):
        results = run_together(
            4, lambda i: storage.upsert_run("alice", "proj", "same", None,
                                            {"notes": f"writer {i}"}, user["id"]))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert len({run["id"] for run, _ in results}) == 1
        assert sum(inserted for _, inserted in results) == 1
        assert storage.get_project("alice", "proj")["run_count"] == 1

    # -- file_stream: history and events -----------------------------------------------------
    def test_history_appends(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 3)))
        updated = storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(3, 2)))
        assert updated["history_line_count"] == 5
        rows = storage.read_history(run["id"], "history", None, None, 0)
        assert [json.loads(r)["_step"] for r in rows] == [0, 1, 2, 3, 4]

    def test_retried_lines_are_skipped(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 3)))
        again = storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 3)))
        assert again["history_line_count"] == 3
        overlap = storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(1, 4)))
        assert overlap["history_line_count"] == 5
        rows = storage.read_history(run["id"], "history", None, None, 0)
        assert rows == history(0, 5).lines

    def test_gap_is_invalid_and_writes_nothing(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 2)))
        with pytest.raises(InvalidArgument, match="never sent"):
            storage.apply_file_stream(run["id"], FileStreamUpdate(
                history=history(3, 2), console=lines_of(0, ["x"]), summary='{"a": 1}'))
        self.assert_unchanged(storage, run, history_lines=2)

    def test_conflicting_overlap_is_conflict_and_writes_nothing(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 2)))
        with pytest.raises(Conflict, match="line 1 is already stored"):
            storage.apply_file_stream(run["id"], FileStreamUpdate(
                history=history(1, 3, tag="other"), console=lines_of(0, ["x"]),
                summary='{"a": 1}'))
        self.assert_unchanged(storage, run, history_lines=2)

    def test_events_conflict_rolls_back_history_in_same_request(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(
            events=lines_of(0, ['{"e": 1}', '{"e": 2}'])))
        with pytest.raises(Conflict, match="wandb-events.jsonl"):
            storage.apply_file_stream(run["id"], FileStreamUpdate(
                history=history(0, 2), events=lines_of(1, ['{"e": 3}'])))
        self.assert_unchanged(storage, run, history_lines=0)
        assert storage.read_history(run["id"], "events", None, None, 0) == [
            '{"e": 1}', '{"e": 2}']

    def test_events_restarted_at_zero_after_resume_are_appended(self, storage, run):
        """wandb 0.21 restarts events line numbers at 0 when it resumes a run."""
        apply = lambda offset, texts: storage.apply_file_stream(  # noqa: E731
            run["id"], FileStreamUpdate(events=lines_of(offset, texts)))
        apply(0, ['{"e": 1}', '{"e": 2}'])
        apply(0, ['{"e": 3}'])
        apply(0, ['{"e": 3}'])  # a retry of the restarted chunk
        apply(1, ['{"e": 4}'])
        apply(1, ['{"e": 4}'])  # a retry after the shift
        assert storage.read_history(run["id"], "events", None, None, 0) == [
            '{"e": 1}', '{"e": 2}', '{"e": 3}', '{"e": 4}']
        assert storage.get_run_by_id(run["id"])["events_line_count"] == 4
        with pytest.raises(Conflict):
            apply(1, ['{"e": 5}'])

    @staticmethod
    def assert_unchanged(storage, run, history_lines: int) -> None:
        now = storage.get_run_by_id(run["id"])
        assert now["history_line_count"] == history_lines
        assert len(storage.read_history(run["id"], "history", None, None, 0)) == history_lines
        assert storage.read_console(run["id"], 0, 10) == ([], 0)
        assert now["summary_metrics"] == run["summary_metrics"]

    def test_exact_round_trip_of_odd_lines(self, storage, run):
        big = json.dumps({"_step": 2, "blob": "x" * (1024 * 1024)})
        odd = ['{"_step": 0, "a": NaN, "b": Infinity, "c": -Infinity}',
               '{"_step": 1, "text": "h\\u00e9llo \U0001F600 \\n \\"q\\""}', big]
        storage.apply_file_stream(run["id"], FileStreamUpdate(
            history=StreamLines(0, odd, [0, 1, 2]), events=lines_of(0, odd[:2])))
        assert storage.read_history(run["id"], "history", None, None, 0) == odd
        assert storage.read_history(run["id"], "events", None, None, 0) == odd[:2]
        # A retry of the same lines, the 1 MiB one included, is recognised as identical.
        retried = storage.apply_file_stream(run["id"], FileStreamUpdate(
            history=StreamLines(0, odd, [0, 1, 2])))
        assert retried["history_line_count"] == 3

    def test_read_history_by_step_range(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 10)))
        steps = [json.loads(r)["_step"] for r in
                 storage.read_history(run["id"], "history", 3, 6, 0)]
        assert steps == [3, 4, 5]
        assert len(storage.read_history(run["id"], "history", 3, None, 2)) == 2
        assert len(storage.read_history(run["id"], "history", None, 4, 0)) == 4

    def test_concurrent_retries_of_one_chunk_store_it_once(self, storage, run):
        chunk = history(0, 50)
        results = run_together(4, lambda i: storage.apply_file_stream(
            run["id"], FileStreamUpdate(history=chunk)))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert storage.read_history(run["id"], "history", None, None, 0) == chunk.lines

    def test_concurrent_different_chunks_at_one_offset_store_one(self, storage, run):
        results = run_together(4, lambda i: storage.apply_file_stream(
            run["id"], FileStreamUpdate(history=history(0, 20, tag=f"writer {i}"))))
        winners = [r for r in results if isinstance(r, dict)]
        assert len(winners) == 1, results
        assert all(isinstance(r, Conflict) for r in results if r is not winners[0])
        stored = storage.read_history(run["id"], "history", None, None, 0)
        assert len(stored) == 20 and len({json.loads(line)["tag"] for line in stored}) == 1

    # -- file_stream: console, summary, metrics, keys, state -----------------------------------
    def test_console_rewrite_by_index(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(console=lines_of(0, ["a", "b", "c"])))
        updated = storage.apply_file_stream(run["id"], FileStreamUpdate(
            console=lines_of(2, ["c done", "d"])))
        assert updated["log_line_count"] == 4
        assert storage.read_console(run["id"], 0, 10) == (["a", "b", "c done", "d"], 4)
        with pytest.raises(InvalidArgument, match="output.log"):
            storage.apply_file_stream(run["id"], FileStreamUpdate(console=lines_of(6, ["gap"])))
        assert storage.read_console(run["id"], 0, 10)[1] == 4

    def test_read_console_pages(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(
            console=lines_of(0, [f"line {i}" for i in range(25)])))
        assert storage.read_console(run["id"], 10, 5) == (
            [f"line {i}" for i in range(10, 15)], 25)
        assert storage.read_console(run["id"], 24, 5) == (["line 24"], 25)
        assert storage.read_console(run["id"], 30, 5) == ([], 25)

    def test_console_nul_is_stored_alike(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(console=lines_of(0, ["a\x00b"])))
        assert storage.read_console(run["id"], 0, 1)[0] == ["a\ufffdb"]

    def test_summary_and_system_metrics_are_replaced(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(summary='{"a": 1, "b": 2}',
                                                              system_metrics='{"cpu": 5}'))
        updated = storage.apply_file_stream(run["id"], FileStreamUpdate(
            summary='{"a": 3}', system_metrics='{"cpu": 7}'))
        assert json.loads(updated["summary_metrics"]) == {"a": 3}
        assert json.loads(updated["system_metrics"]) == {"cpu": 7}

    def test_history_keys_merge(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(
            history_keys={"keys": {"loss": {"number": 2}}, "lastStep": 5}))
        updated = storage.apply_file_stream(run["id"], FileStreamUpdate(
            history_keys={"keys": {"loss": {"number": 1, "nan": 1}, "acc": {"number": 1}},
                          "lastStep": 3}))
        keys = json.loads(updated["history_keys"])
        assert keys["lastStep"] == 5
        counts = {k: {tc["type"]: tc["count"] for tc in v["typeCounts"]}
                  for k, v in keys["keys"].items()}
        assert counts == {"loss": {"number": 3, "nan": 1}, "acc": {"number": 1}}

    @pytest.mark.parametrize(("exitcode", "state"), [(0, "finished"), (1, "failed")])
    def test_complete_sets_final_state(self, storage, run, exitcode, state):
        done = storage.apply_file_stream(run["id"], FileStreamUpdate(complete=True,
                                                                     exitcode=exitcode))
        assert done["state"] == state and done["exitcode"] == exitcode
        resumed = storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 1)))
        assert resumed["state"] == "running"

    def test_preempting_state(self, storage, run):
        updated = storage.apply_file_stream(run["id"], FileStreamUpdate(preempting=True))
        assert updated["state"] == "preempting"

    def test_file_stream_on_unknown_run(self, storage):
        with pytest.raises(NotFound):
            storage.apply_file_stream("987654", FileStreamUpdate(history=history(0, 1)))

    # -- run files ---------------------------------------------------------------------------
    def test_run_files(self, storage, run):
        records = storage.register_run_files(run["id"], ["b.txt", "media/a.png"])
        assert [r["name"] for r in records] == ["b.txt", "media/a.png"]
        assert all(r["key"].endswith(r["name"]) and not r["uploaded"] for r in records)
        again = storage.register_run_files(run["id"], ["b.txt"])
        assert again[0]["key"] == records[0]["key"] and again[0]["id"] == records[0]["id"]
        assert storage.list_run_files(run["id"], [], "", 10, "") == ([], False, 0)

        marked = storage.mark_run_file_uploaded(records[0]["key"], 12, "md5==")
        assert marked["uploaded"] is True and marked["size"] == 12 and marked["md5"] == "md5=="
        assert storage.mark_run_file_uploaded("runs/none/x", 1, "") is None
        storage.mark_run_files_present(run["id"], ["media/a.png"])
        files, has_next, total = storage.list_run_files(run["id"], [], "", 10, "")
        assert [f["name"] for f in files] == ["b.txt", "media/a.png"]
        assert (has_next, total) == (False, 2)
        assert storage.get_run_file(run["id"], "b.txt")["size"] == 12
        assert storage.get_run_file(run["id"], "nope") is None

    def test_run_files_filter_and_page(self, storage, run):
        names = ["a.json", "b_1.json", "bx1.json", "c.txt", "Media/D.PNG"]
        storage.register_run_files(run["id"], names)
        storage.mark_run_files_present(run["id"], names)
        listed = lambda **kw: [f["name"] for f in storage.list_run_files(  # noqa: E731
            run["id"], kw.get("names", []), kw.get("after", ""), kw.get("first", 0),
            kw.get("pattern", ""))[0]]
        assert listed(names=["c.txt", "zzz"]) == ["c.txt"]
        assert listed(pattern="%.json") == ["a.json", "b_1.json", "bx1.json"]
        assert listed(pattern="*.json") == ["a.json", "b_1.json", "bx1.json"]
        assert listed(pattern="b_1%") == ["b_1.json", "bx1.json"]  # LIKE: _ is one character
        assert listed(pattern="b\\_1%") == ["b_1.json"]
        assert listed(pattern="media/%.png") == ["Media/D.PNG"]  # case-insensitive everywhere
        page, has_next, total = storage.list_run_files(run["id"], [], "", 2, "")
        assert [f["name"] for f in page] == ["Media/D.PNG", "a.json"] and has_next and total == 5
        page, has_next, total = storage.list_run_files(run["id"], [], "a.json", 2, "")
        assert [f["name"] for f in page] == ["b_1.json", "bx1.json"] and has_next
        page, has_next, _ = storage.list_run_files(run["id"], [], "bx1.json", 2, "")
        assert [f["name"] for f in page] == ["c.txt"] and not has_next

    def test_file_stream_marks_uploaded_files(self, storage, run):
        storage.register_run_files(run["id"], ["config.yaml"])
        storage.apply_file_stream(run["id"], FileStreamUpdate(uploaded=["config.yaml"]))
        assert storage.get_run_file(run["id"], "config.yaml")["uploaded"] is True

    # -- delete ------------------------------------------------------------------------------
    def test_delete_run_removes_every_row(self, storage, user, run):
        other, _ = storage.upsert_run("alice", "proj", "other", None, {}, user["id"])
        registered = {}
        for target in (run, other):
            storage.apply_file_stream(target["id"], FileStreamUpdate(
                history=history(0, 3), events=lines_of(0, ['{"e": 1}']),
                console=lines_of(0, ["out"])))
            registered[target["id"]] = storage.register_run_files(target["id"],
                                                                  ["f.txt", "media/g.png"])
        keys = storage.delete_run(run["id"])
        assert sorted(keys) == sorted(r["key"] for r in registered[run["id"]])
        assert storage.get_run_by_id(run["id"]) is None
        assert storage.read_history(run["id"], "history", None, None, 0) == []
        assert storage.read_history(run["id"], "events", None, None, 0) == []
        assert storage.read_console(run["id"], 0, 10) == ([], 0)
        assert storage.get_run_file(run["id"], "f.txt") is None
        # The other run keeps its rows, and its files keep their own keys.
        assert len(storage.read_history(other["id"], "history", None, None, 0)) == 3
        assert storage.read_console(other["id"], 0, 10)[1] == 1
        assert storage.get_run_file(other["id"], "f.txt")["key"] == registered[other["id"]][0]["key"]
        assert storage.get_project("alice", "proj")["run_count"] == 1


    def test_close_finishes_background_work_and_may_repeat(self, storage, run):
        storage.apply_file_stream(run["id"], FileStreamUpdate(history=history(0, 5)))
        threads = threading.active_count()
        assert storage.close() is None  # rollups waiting are folded first, then released
        assert storage.close() is None
        assert threading.active_count() <= threads


class SqlBackend:
    """A fresh SqlStorage per test, on a database created for the test class."""

    backend = "sqlite"

    @pytest.fixture(scope="class")
    @classmethod
    def database_url(cls, tmp_path_factory):
        with temporary_database(cls.backend, tmp_path_factory.mktemp(cls.backend)) as url:
            yield url

    @pytest.fixture
    def storage(self, database_url):
        store = SqlStorage(database_url)
        try:
            yield store
        finally:
            clear_tables(store)
            store.close()


def on_every_engine(contract: type) -> tuple[type, type, type]:
    """The contract's test classes on SQLite, PostgreSQL and MySQL/MariaDB (SqlStorage); bind
    them to ``Test*`` names in the module so pytest collects them."""
    return tuple(type(f"Test{label}{contract.__name__}", (SqlBackend, contract),
                      {"backend": backend, "__module__": contract.__module__}
                      | ({"pytestmark": backend_marks(backend)} if backend != "sqlite" else {}))
                 for label, backend in (("Sqlite", "sqlite"), ("Postgres", "postgresql"),
                                        ("Mysql", "mysql")))


TestSqliteStorage, TestPostgresStorage, TestMysqlStorage = on_every_engine(StorageContract)


# -- the suite covers the whole contract ------------------------------------------------------
def contract_calls() -> dict[str, set[str]]:
    """Contract method -> the suite's tests that call it (``storage.<method>(...)`` inside a
    ``test_*`` method of a ``*Contract`` class), read from the suite's source."""
    methods = contract_methods()
    calls: dict[str, set[str]] = {name: set() for name in methods}
    for path in sorted(HERE.glob("test_storage_contract*.py")):
        tree = ast.parse(path.read_text())
        for cls in tree.body:
            if not (isinstance(cls, ast.ClassDef) and cls.name.endswith("Contract")):
                continue
            for function in cls.body:
                if not isinstance(function, ast.FunctionDef):
                    continue
                for node in ast.walk(function):
                    if (isinstance(node, ast.Attribute) and node.attr in methods
                            and isinstance(node.value, ast.Name) and node.value.id == "storage"):
                        calls[node.attr].add(f"{path.name}::{cls.name}.{function.name}")
    return calls


def test_every_contract_method_has_a_contract_test():
    untested = sorted(f"{contract_methods()[name]}.{name}"
                      for name, tests in contract_calls().items() if not tests)
    assert not untested, f"contract methods no contract test calls: {', '.join(untested)}"


# -- durability --------------------------------------------------------------------------------
CRASH_WRITER = """
import sys, time
from roost.core.storage import FileStreamUpdate, StreamLines, contract_methods
from roost.plugins.sql.store import SqlStorage
storage = SqlStorage(sys.argv[1])
user = storage.create_user("alice", "", None, admin=False)
run, _ = storage.upsert_run("alice", "proj", "r1", None, {}, user["id"])
lines = ['{"_step": %d}' % i for i in range(100)]
storage.apply_file_stream(run["id"], FileStreamUpdate(
    history=StreamLines(0, lines, list(range(100))), summary='{"done": true}'))
print("acknowledged", flush=True)
time.sleep(600)
"""


def test_acknowledged_write_survives_a_crash_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'roost.db'}"
    writer = subprocess.Popen([sys.executable, "-c", CRASH_WRITER, url], stdout=subprocess.PIPE,
                              text=True, cwd=tmp_path)
    try:
        assert writer.stdout.readline().strip() == "acknowledged"
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(30)
        writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    storage = SqlStorage(url)
    try:
        run = storage.get_run("alice", "proj", "r1")
        assert run["history_line_count"] == 100 and json.loads(run["summary_metrics"]) == {
            "done": True}
        assert len(storage.read_history(run["id"], "history", None, None, 0)) == 100
    finally:
        storage.close()
