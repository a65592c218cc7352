"""Sweeps through the real wandb SDK (each version in SDK_VERSIONS) against a real Roost:
``wandb.sweep`` + ``wandb.agent`` function agents in subprocesses, the ``wandb sweep`` /
``wandb agent`` command line with a small program, and ``api.sweep()``. Every test asserts
what landed on the server.

The function agents poll every 0.5 s instead of 5 s (tests/sdk_scripts/sweep_agent.py); the
command-line agent runs unmodified.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from harness import (SDK_SCRIPTS, RoostServer, result_of, run_cli, run_sdk, sdk_env, sdk_python,
                     stop_process_group)

pytestmark = pytest.mark.sdk


class Agent:
    """A function agent process (sweep_agent.py), started now and awaited later."""

    def __init__(self, version: str, server: RoostServer, path: str, train: str,
                 count: int | None = None, api_key: str | None = None):
        self.home = Path(tempfile.mkdtemp(prefix=f"sweep-agent-{version}-"))
        argv = [sdk_python(version), str(SDK_SCRIPTS / "sweep_agent.py"), path, train]
        if count:
            argv.append(str(count))
        self.process = subprocess.Popen(argv, cwd=self.home, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True,
                                        env=sdk_env(server, api_key, self.home, None))

    def result(self, timeout: float = 120) -> list[dict]:
        try:
            stdout, stderr = self.process.communicate(timeout=timeout)
        finally:
            stop_process_group(self.process, timeout=5)
            shutil.rmtree(self.home, ignore_errors=True)
        found = result_of(stdout)
        assert self.process.returncode == 0 and found is not None, (
            f"agent exited {self.process.returncode}\n--- stdout ---\n{stdout[-8000:]}\n"
            f"--- stderr ---\n{stderr[-8000:]}")
        return found

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.communicate()
        shutil.rmtree(self.home, ignore_errors=True)


def create_sweep(version: str, server: RoostServer, config: dict, project: str) -> str:
    """wandb.sweep(config) in that SDK version; returns the sweep id."""
    return run_sdk(version, "sweep_create", server, args=[json.dumps(config), project])["sweep_id"]


UPSERT_SWEEP = """mutation($config: String, $project: String) {
  upsertSweep(input: {config: $config, projectName: $project}) { sweep { name } } }"""


def quick_sweep(server: RoostServer, config: dict, project: str) -> str:
    """The same mutation wandb.sweep sends, without starting an SDK (faster for tests whose
    subject is the agent)."""
    answer = server.graphql(UPSERT_SWEEP, {"config": yaml.safe_dump(config), "project": project})
    assert "errors" not in answer, answer
    return answer["data"]["upsertSweep"]["sweep"]["name"]


def sweep_row(server: RoostServer, project: str, name: str) -> dict:
    return server.query("SELECT s.* FROM sweep s JOIN project p ON s.project_id = p.id "
                        "WHERE p.name = ? AND s.name = ?", (project, name))[0]


def assignments(server: RoostServer, sweep_id: int) -> dict[str, str]:
    rows = server.query("SELECT run_name, state FROM sweep_run WHERE sweep_id = ?", (sweep_id,))
    return {row["run_name"]: row["state"] for row in rows}


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def project_for(version: str, what: str) -> str:
    return f"sweeps-{what}-{version.replace('.', '-')}"


# -- function agents --------------------------------------------------------------------------------
GRID = {"method": "grid", "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"a": {"values": [1, 2]}, "b": {"values": ["x", "y"]}}}


def test_two_agents_share_a_grid_without_repeating_a_run(sdk_version, roost_server):
    project = project_for(sdk_version, "grid")
    sweep = create_sweep(sdk_version, roost_server, GRID, project)
    path = f"admin/{project}/{sweep}"
    agents = [Agent(sdk_version, roost_server, path, "quick") for _ in range(2)]
    results = [agent.result() for agent in agents]
    runs = [run for result in results for run in result]
    combos = sorted((run["config"]["a"], run["config"]["b"]) for run in runs)
    assert combos == sorted((a, b) for a in (1, 2) for b in ("x", "y"))
    assert len({run["id"] for run in runs}) == 4
    assert {run["sweep"] for run in runs} == {sweep}
    row = sweep_row(roost_server, project, sweep)
    assert row["state"] == "FINISHED" and row["method"] == "grid"
    states = assignments(roost_server, row["id"])
    assert states == {run["id"]: "finished" for run in runs}
    for run in runs:
        record = roost_server.run_record("admin", project, run["id"])
        assert record["sweep_name"] == sweep and record["state"] == "finished"

    seen = run_sdk(sdk_version, "sweep_api", roost_server, args=[path])
    assert seen["state"] == "FINISHED" and seen["expected_run_count"] == 4
    assert seen["config"]["parameters"] == GRID["parameters"]
    assert seen["runs"] == sorted(run["id"] for run in runs)
    assert seen["run_sweeps"] == [sweep] and sweep in seen["project_sweeps"]
    # loss = a + 0.5 * (b == "y"): the best run is a=1, b=x with loss 1.
    best = [run["id"] for run in runs if run["config"] == {"a": 1, "b": "x"}]
    assert seen["best_run"] == best[0] and seen["best_loss"] == 1


RANDOM = {"method": "random", "run_cap": 2, "metric": {"name": "loss"},
          "parameters": {"lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
                         "x": {"min": -1.0, "max": 2.0},
                         "layers": {"distribution": "int_uniform", "min": 1, "max": 4},
                         "act": {"values": ["relu", "tanh"], "probabilities": [0.5, 0.5]},
                         "drop": {"distribution": "q_uniform", "min": 0, "max": 0.5, "q": 0.1},
                         "opt": {"parameters": {"momentum": {"value": 0.9}}}}}
BAYES = {"method": "bayes", "run_cap": 2, "metric": {"name": "loss", "goal": "minimize"},
         "parameters": {"x": {"min": -3.0, "max": 3.0}}}


def test_random_and_bayes_hand_out_values_within_bounds(sdk_version, roost_server):
    project = project_for(sdk_version, "search")
    paths = {name: f"admin/{project}/{quick_sweep(roost_server, config, project)}"
             for name, config in (("random", RANDOM), ("bayes", BAYES))}
    agents = {name: Agent(sdk_version, roost_server, path, "quick")
              for name, path in paths.items()}
    results = {name: agent.result() for name, agent in agents.items()}
    assert len(results["random"]) == 2  # run_cap, then the agent is told to exit
    for run in results["random"]:
        config = run["config"]
        assert 1e-4 <= config["lr"] <= 1e-1 and -1.0 <= config["x"] <= 2.0
        assert config["layers"] in (1, 2, 3, 4) and config["act"] in ("relu", "tanh")
        assert any(math.isclose(config["drop"], k / 10) for k in range(6))
        assert config["opt"] == {"momentum": 0.9}
    assert len(results["bayes"]) == 2 and all(-3 <= r["config"]["x"] <= 3
                                              for r in results["bayes"])
    bayes = sweep_row(roost_server, project, paths["bayes"].rsplit("/", 1)[1])
    assert bayes["state"] == "FINISHED"
    assert set(assignments(roost_server, bayes["id"]).values()) == {"finished"}


def test_hyperband_stops_the_run_that_falls_behind(sdk_version, roost_server):
    project = project_for(sdk_version, "hyperband")
    config = {"method": "grid", "metric": {"name": "loss", "goal": "minimize"},
              "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2},
              "parameters": {"q": {"values": [1, 2, 3, 10]}}}
    sweep = quick_sweep(roost_server, config, project)
    runs = Agent(sdk_version, roost_server, f"admin/{project}/{sweep}", "curve").result()
    by_q = {run["config"]["q"]: run for run in runs}
    assert sorted(by_q) == [1, 2, 3, 10]
    assert all(by_q[q]["steps"] == 6 for q in (1, 2, 3))
    assert by_q[10]["steps"] < 40  # stopped long before its 40 steps
    states = assignments(roost_server, sweep_row(roost_server, project, sweep)["id"])
    assert states[by_q[10]["id"]] == "killed"
    assert [states[by_q[q]["id"]] for q in (1, 2, 3)] == ["finished"] * 3


def test_wandb_sweep_reports_what_is_wrong_with_a_config(sdk_version, roost_server):
    bad = {"method": "bayes", "parameters": {"lr": {"min": 0.1, "max": 0.01}}}
    before = len(roost_server.query("SELECT id FROM sweep"))
    result = run_sdk(sdk_version, "sweep_create", roost_server, check=False,
                     args=[json.dumps(bad), project_for(sdk_version, "bad")])
    output = result["_stdout"] + result["_stderr"]
    assert result["_exit_code"] != 0
    assert "method bayes needs a `metric`" in output
    assert "`min` (0.1) must be less than `max` (0.01)" in output
    assert len(roost_server.query("SELECT id FROM sweep")) == before


# -- an agent that dies ----------------------------------------------------------------------------
def test_a_killed_agent_has_its_run_crashed_and_the_sweep_goes_on(sdk_version):
    with RoostServer(extra_args=["--sweep-agent-timeout", "3"]) as server:
        project = project_for(sdk_version, "crash")
        config = {"method": "grid", "parameters": {"a": {"values": [1, 2]}}}
        sweep = quick_sweep(server, config, project)
        path = f"admin/{project}/{sweep}"
        doomed = Agent(sdk_version, server, path, "hang")
        first = wait_for(lambda: server.query(
            "SELECT r.name FROM run r WHERE r.sweep_name = ? AND r.state = 'running'",
            (sweep,)), 90, "the first run to start")[0]["name"]
        doomed.kill()
        # The survivor's heartbeats find the doomed agent silent for over 3 s (the server's
        # agent timeout): its run is crashed, and the survivor runs the rest of the grid.
        survivor = Agent(sdk_version, server, path, "quick").result()
        assert len(survivor) == 1 and survivor[0]["id"] != first
        row = sweep_row(server, project, sweep)
        assert assignments(server, row["id"]) == {first: "crashed",
                                                  survivor[0]["id"]: "finished"}
        assert server.run_record("admin", project, first)["state"] == "crashed"
        assert row["state"] == "FINISHED"
        agents = server.query("SELECT state FROM sweep_agent WHERE sweep_id = ? ORDER BY id",
                              (row["id"],))
        assert [a["state"] for a in agents] == ["CRASHED", "FINISHED"]


# -- the command line -----------------------------------------------------------------------------
def test_wandb_sweep_and_wandb_agent_on_the_command_line(sdk_version, roost_server, tmp_path):
    project = project_for(sdk_version, "cli")
    shutil.copy(SDK_SCRIPTS / "sweep_train.py", tmp_path / "sweep_train.py")
    (tmp_path / "sweep.yaml").write_text(
        "program: sweep_train.py\nmethod: grid\nmetric: {name: loss, goal: minimize}\n"
        "parameters:\n  lr: {values: [0.2]}\n")
    # `wandb agent` starts the program as `python sweep_train.py --lr=...` from PATH.
    env = {"PATH": f"{Path(sdk_python(sdk_version)).parent}:{os.environ['PATH']}"}

    def sweeps() -> list[dict]:
        return server_sweeps(roost_server, project)

    run_cli(sdk_version, roost_server, ["sweep", "--project", project, "sweep.yaml"],
            tmp_path, env=env)
    sweep = sweeps()[-1]
    run_cli(sdk_version, roost_server, ["agent", f"admin/{project}/{sweep['name']}"],
            tmp_path, env=env, timeout=120)
    runs = roost_server.query("SELECT name, state, config FROM run WHERE sweep_name = ?",
                              (sweep["name"],))
    assert [json.loads(r["config"])["lr"]["value"] for r in runs] == [0.2]
    assert {r["state"] for r in runs} == {"finished"}
    assert sweeps()[-1]["state"] == "FINISHED"

    config = yaml.safe_load((tmp_path / "sweep.yaml").read_text())
    for flags in (("--pause", "--resume", "--stop"), ("--cancel",)):
        path = f"admin/{project}/{quick_sweep(roost_server, config, project)}"
        for flag in flags:
            run_cli(sdk_version, roost_server, ["sweep", flag, path], tmp_path, env=env)
            assert sweeps()[-1]["state"] == STATE_AFTER[flag]


STATE_AFTER = {"--pause": "PAUSED", "--resume": "RUNNING", "--stop": "FINISHED",
               "--cancel": "CANCELED"}


def server_sweeps(server: RoostServer, project: str) -> list[dict]:
    return server.query("SELECT s.name, s.state FROM sweep s JOIN project p "
                        "ON s.project_id = p.id WHERE p.name = ? ORDER BY s.id", (project,))


def test_wandb_031_agent_stops_when_the_server_forgets_it(roost_server):
    """HTTP 404 on a heartbeat is wandb 0.31's signal that the sweep or agent is gone: the
    agent drains and exits. (wandb 0.21 logs the error and keeps polling.)"""
    version = "0.31.0"
    project = project_for(version, "forgotten")
    sweep = quick_sweep(roost_server, GRID, project)
    row = sweep_row(roost_server, project, sweep)
    agent = Agent(version, roost_server, f"admin/{project}/{sweep}", "quick")
    wait_for(lambda: roost_server.query("SELECT id FROM sweep_run WHERE sweep_id = ?",
                                        (row["id"],)), 60, "the agent's first run")
    # No API deletes an agent; removing its row is what "the server forgot it" looks like.
    connection = sqlite3.connect(roost_server.data_dir / "roost.db", timeout=30)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM sweep_agent WHERE sweep_id = ?", (row["id"],))
        connection.commit()
    finally:
        connection.close()
    started = time.monotonic()
    runs = agent.result(timeout=60)
    assert 1 <= len(runs) < 4 and time.monotonic() - started < 30
