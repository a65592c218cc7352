"""The storage contract's ``sweeps`` area (roost.core.sweeps.storage) on SQLite, PostgreSQL
and MariaDB. Part of the contract suite: test_storage_contract.py checks every contract
method has a test."""

from __future__ import annotations

import json

import pytest

from roost.core.errors import AlreadyExists, NotFound
from test_storage_contract import on_every_engine, run_together

CONFIG = json.dumps({"method": "random", "parameters": {"lr": {"values": [0.1, 0.2]}}})


class SweepContract:
    @pytest.fixture
    def alice(self, storage):
        return storage.create_user("alice", "", None, admin=False)

    @pytest.fixture
    def sweep(self, storage, alice):
        return storage.create_sweep("alice", "p", {"name": "s1", "method": "random",
                                                   "config": CONFIG, "state": "RUNNING",
                                                   "display_name": "first"}, alice["id"])

    def test_create_get_update_and_list_sweeps(self, storage, alice, sweep):
        assert (sweep["entity"], sweep["project"], sweep["name"], sweep["method"],
                sweep["state"], sweep["display_name"], sweep["username"]) == (
            "alice", "p", "s1", "random", "RUNNING", "first", "alice")
        assert storage.get_project("alice", "p") is not None  # created with the sweep
        assert storage.get_sweep("alice", "p", "s1") == sweep
        assert storage.get_sweep("alice", "p", "nope") is None
        assert storage.get_sweep_by_id(sweep["id"]) == sweep
        assert storage.get_sweep_by_id("not-an-id") is None
        with pytest.raises(AlreadyExists):
            storage.create_sweep("alice", "p", {"name": "s1", "method": "grid",
                                                "config": CONFIG, "state": "RUNNING"}, "")
        with pytest.raises(NotFound):
            storage.create_sweep("nobody", "p", {"name": "s", "method": "grid",
                                                 "config": CONFIG, "state": "RUNNING"}, "")
        updated = storage.update_sweep(sweep["id"], {"state": "PAUSED", "heartbeat_at": 5.0,
                                                     "name": "ignored"})
        assert (updated["state"], updated["heartbeat_at"], updated["name"]) == (
            "PAUSED", 5.0, "s1")
        assert updated["updated_at"] >= sweep["updated_at"]
        with pytest.raises(NotFound):
            storage.update_sweep("999999", {"state": "PAUSED"})
        second = storage.create_sweep("alice", "p", {"name": "s2", "method": "grid",
                                                     "config": CONFIG, "state": "RUNNING"}, "")
        page, more, total = storage.list_sweeps("alice", "p", "", 1)
        assert [s["name"] for s in page] == ["s2"] and more and total == 2
        page, more, _ = storage.list_sweeps("alice", "p", second["id"], 10)
        assert [s["name"] for s in page] == ["s1"] and not more

    def test_locked_sweep_serialises_the_controllers_decisions(self, storage, sweep):
        def hand_out(i):
            def work(locked):
                taken = {a["run_name"] for a in storage.list_assignments(locked["id"])}
                name = next(f"run-{n}" for n in range(100) if f"run-{n}" not in taken)
                return storage.add_assignment(locked["id"], name, None, "{}", "pending")
            return storage.locked_sweep(sweep["id"], work)["run_name"]

        names = run_together(4, hand_out)
        assert sorted(names) == ["run-0", "run-1", "run-2", "run-3"]
        with pytest.raises(NotFound):
            storage.locked_sweep("999999", lambda locked: None)

    def test_assignments(self, storage, sweep):
        agent = storage.create_agent(sweep["id"], "a1", "host", "")
        first = storage.add_assignment(sweep["id"], "r1", agent["id"], '{"lr": {"value": 0.1}}',
                                       "pending")
        assert (first["run_name"], first["agent_id"], first["state"],
                first["stop_requested"]) == ("r1", agent["id"], "pending", False)
        with pytest.raises(AlreadyExists):
            storage.add_assignment(sweep["id"], "r1", None, "{}", "pending")
        storage.add_assignment(sweep["id"], "r0", None, "{}", "finished")
        storage.update_assignment(first["id"], {"state": "running", "stop_requested": True,
                                                "metric_history": "[1.0]", "agent_id": ""})
        listed = storage.list_assignments(sweep["id"])
        assert [a["run_name"] for a in listed] == ["r1", "r0"]
        assert (listed[0]["state"], listed[0]["stop_requested"], listed[0]["metric_history"],
                listed[0]["agent_id"]) == ("running", True, "[1.0]", "")

    def test_runs_of_a_sweep(self, storage, alice, sweep):
        storage.upsert_run("alice", "p", "r1", None, {"sweep": "s1", "state": "running"},
                           alice["id"])
        storage.upsert_run("alice", "p", "r2", None, {}, alice["id"])
        storage.upsert_run("alice", "p", "r3", None, {}, alice["id"])
        assert [r["name"] for r in storage.sweep_run_records(sweep["id"])] == ["r1"]
        attached = storage.attach_runs(sweep["id"], ["r2", "missing"])
        assert [r["name"] for r in attached] == ["r2"] and attached[0]["sweep"] == "s1"
        assert storage.attach_runs(sweep["id"], []) == []
        records = storage.sweep_run_records(sweep["id"])
        assert [r["name"] for r in records] == ["r1", "r2"] and "history_tail" not in records[0]
        states = storage.sweep_run_states(sweep["id"])
        assert [(s["name"], s["state"]) for s in states] == [("r1", "running"),
                                                              ("r2", "running")]
        assert set(states[0]) == {"id", "name", "state", "heartbeat_at"}
        with pytest.raises(NotFound):
            storage.sweep_run_states("999999")

    def test_agents(self, storage, alice, sweep):
        agent = storage.create_agent(sweep["id"], "a1", "gpu-box", alice["id"])
        assert (agent["name"], agent["host"], agent["state"], agent["total_runs"],
                agent["sweep_id"]) == ("a1", "gpu-box", "RUNNING", 0, sweep["id"])
        with pytest.raises(AlreadyExists):
            storage.create_agent(sweep["id"], "a1", "other", "")
        storage.add_assignment(sweep["id"], "r1", agent["id"], "{}", "running")
        assert storage.get_agent(agent["id"])["total_runs"] == 1
        assert storage.get_agent("999999") is None and storage.get_agent("bad") is None
        assert storage.find_agent(sweep["id"], "a1")["id"] == agent["id"]
        assert storage.find_agent(sweep["id"], agent["id"])["name"] == "a1"
        assert storage.find_agent(sweep["id"], "a2") is None
        second = storage.create_agent(sweep["id"], "a2", "", "")
        assert [a["name"] for a in storage.list_agents(sweep["id"])] == ["a1", "a2"]
        storage.update_agent(second["id"], {"state": "FINISHED", "heartbeat_at": 9.0,
                                            "name": "ignored"})
        found = storage.get_agent(second["id"])
        assert (found["state"], found["heartbeat_at"], found["name"]) == ("FINISHED", 9.0, "a2")


TestSqliteSweeps, TestPostgresSweeps, TestMysqlSweeps = on_every_engine(SweepContract)
