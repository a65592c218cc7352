"""The storage contract's reads: ``runs`` pages (projects_page, count_runs, list_runs),
sampled ``ingest`` reads, the ``ui`` area (roost.core.storage.ui) and ``lifecycle.health``,
on SQLite, PostgreSQL and MariaDB. Part of the contract suite: test_storage_contract.py
checks every contract method has a test."""

from __future__ import annotations

import json
import time

import pytest

from roost.core.errors import InvalidArgument
from roost.core.storage import FileStreamUpdate, StreamLines
from test_storage_contract import history, on_every_engine


class ReadContract:
    @pytest.fixture
    def alice(self, storage):
        return storage.create_user("alice", "", None, admin=False)

    @pytest.fixture
    def runs(self, storage, alice):
        made = []
        for i, (lr, state) in enumerate([(0.1, "finished"), (0.2, "running"), (0.3, "failed")]):
            run, _ = storage.upsert_run(
                "alice", "p", f"run-{i}", None,
                {"config": json.dumps({"lr": {"value": lr}, "opt": {"value": "adam"}}),
                 "summary_metrics": json.dumps({"loss": 1 - lr}), "state": state,
                 "display_name": f"Trial {i}"}, alice["id"])
            made.append(run)
        return made

    def test_health_names_the_engine(self, storage):
        assert storage.health()

    def test_projects_page(self, storage, alice):
        for name in ("a", "b", "c"):
            storage.upsert_run("alice", name, "r", None, {}, alice["id"])
        page, more = storage.projects_page("alice", "", 2)
        assert [p["name"] for p in page] == ["a", "b"] and more
        assert page[0]["run_count"] == 1 and page[0]["entity"] == "alice"
        page, more = storage.projects_page("alice", page[-1]["id"], 2)
        assert [p["name"] for p in page] == ["c"] and not more
        assert storage.projects_page("nobody", "", 2) == ([], False)
        with pytest.raises(InvalidArgument):
            storage.projects_page("alice", "not-a-cursor", 2)

    def test_count_and_list_runs(self, storage, runs):
        now = time.time()
        assert storage.count_runs("alice", "p", "", now - 300) == 3
        assert storage.count_runs("alice", "p", json.dumps({"config.lr": {"$gt": 0.15}}),
                                  now - 300) == 2
        assert storage.count_runs("alice", "missing", "", now - 300) == 0
        # With stale_before in the future, the running run counts as crashed.
        assert storage.count_runs("alice", "p", json.dumps({"state": "crashed"}),
                                  now + 60) == 1
        with pytest.raises(InvalidArgument):
            storage.count_runs("alice", "p", json.dumps({"config.lr": {"$nope": 1}}), now)
        page, cursors, more = storage.list_runs("alice", "p", "", "+config.lr", "", 2,
                                                now - 300)
        assert [r["name"] for r in page] == ["run-0", "run-1"] and more
        assert len(cursors) == 2 and "history_tail" not in page[0]
        page, _, more = storage.list_runs("alice", "p", "", "+config.lr", cursors[-1], 2,
                                          now - 300)
        assert [r["name"] for r in page] == ["run-2"] and not more
        assert storage.list_runs("alice", "missing", "", "", "", 5, now) == ([], [], False)

    def test_sampled_history(self, storage, runs):
        run = runs[0]
        storage.apply_file_stream(run["id"], FileStreamUpdate(
            history=history(0, 50), events=StreamLines(0, ['{"cpu": 1}', '{"cpu": 2}'])))
        rows = storage.sample_history(run["id"], ["loss"], 1000, None, None)
        assert len(rows) == 50 and rows[1] == {"loss": 0.1}  # projected to the keys asked
        stepped = storage.sample_history(run["id"], ["_step", "loss"], 1000, 10, 20)
        assert [r["_step"] for r in stepped] == list(range(10, 20))
        assert len(storage.sample_history(run["id"], ["loss"], 10, None, None)) <= 10
        assert storage.sample_history(run["id"], ["missing"], 10, None, None) == []
        lines = storage.sample_history_lines(run["id"], "history", 0, None, None)
        assert len(lines) == 50 and json.loads(lines[3])["_step"] == 3
        assert len(storage.sample_history_lines(run["id"], "history", 5, None, None)) == 5
        assert storage.sample_history_lines(run["id"], "events", 0, None, None) == [
            '{"cpu": 1}', '{"cpu": 2}']

    # -- the web UI's reads ------------------------------------------------------------------
    def test_entity_projects_recent_and_search(self, storage, alice, runs):
        storage.upsert_run("alice", "empty-later", "x", None, {}, alice["id"])
        storage.delete_run(storage.get_run("alice", "empty-later", "x")["id"])
        projects = storage.entity_projects("alice")
        assert [p["name"] for p in projects] == ["empty-later", "p"]
        p = projects[1]
        assert p["run_count"] == 3 and p["entity_kind"] == "user" and p["last_run_at"] > 0
        assert projects[0]["run_count"] == 0 and projects[0]["last_run_at"] == 0.0
        ids = [p["id"]]
        recent = storage.recent_runs(ids, 2)
        assert len(recent) == 2 and recent[0]["heartbeat_at"] >= recent[1]["heartbeat_at"]
        assert storage.recent_runs([], 5) == []
        assert [r["name"] for r in storage.search_runs(ids, "TRIAL 1", 10)] == ["run-1"]
        assert {r["name"] for r in storage.search_runs(ids, "run-", 10)} == {
            "run-0", "run-1", "run-2"}
        assert storage.search_runs(ids, "nothing", 10) == []

    def test_project_keys_and_groups(self, storage, runs):
        project_id = runs[0]["project_id"]
        keys = storage.project_keys(project_id, 10)
        assert keys["config"] == ["lr", "opt"] and keys["summary"] == ["loss"]
        assert keys["varying"] == ["lr"]
        groups = storage.group_runs("alice", "p", "config.opt", "", time.time() - 300)
        assert groups == [{"kind": "string", "value": "adam", "count": 3}]
        groups = storage.group_runs("alice", "p", "config.lr",
                                    json.dumps({"config.lr": {"$lt": 0.25}}), time.time())
        assert [(g["kind"], g["value"], g["count"]) for g in groups] == [
            ("number", 0.1, 1), ("number", 0.2, 1)]
        missing = storage.group_runs("alice", "p", "config.nothing", "", time.time())
        assert [(g["kind"], g["count"]) for g in missing] == [("missing", 3)]


TestSqliteReads, TestPostgresReads, TestMysqlReads = on_every_engine(ReadContract)
