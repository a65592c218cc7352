"""The sweep controller in-process: config validation, every distribution's bounds (sampled in
bulk), grid exhaustion, bayes against random on a known function, hyperband stops, agents that
die, pause/cancel, and atomic hand-out on SQLite, PostgreSQL and MySQL.

The same behaviour through the real wandb agents (0.31 and 0.21) is in test_sweeps_sdk.py;
the GraphQL surface and its errors in test_sweeps_graphql.py.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import threading
import time

import numpy
import pytest

from roost.core.auth import Credentials
from roost.core.cli import option_registry
from roost.core.config import load_config
from roost.core.errors import InvalidArgument, NotFound, PermissionDenied
from roost.core.pluginmanager import make_plugin_manager
from roost.core.service import Core
from roost.core.sweeps import config as sweep_config
from roost.core.sweeps import engine
from storage_fixtures import backend_params, temporary_database


def make_core(tmp_path, database_url: str = "", timeout: int = 60) -> Core:
    pm = make_plugin_manager(block=set(), trace=False, load_entrypoints=False)
    cli = {"data_dir": str(tmp_path), "sweep_agent_timeout": timeout}
    if database_url:
        cli["database_url"] = database_url
    return Core(load_config(option_registry(pm), cli, {}), pm)


class World:
    """A core with users alice and bob, and the sweep service over it."""

    def __init__(self, core: Core):
        self.core = core
        self.sweeps = core.sweeps
        self.alice = self.user("alice")
        self.bob = self.user("bob")

    def user(self, name: str):
        self.core.accounts.create_user(None, name, password="a long password")
        _, key = self.core.accounts.create_api_key(None, name)
        return self.core.accounts.authenticate(Credentials("api_key", secret=key))

    def sweep(self, config: str, project: str = "p") -> dict:
        sweep, _, _ = self.sweeps.upsert_sweep(self.alice, {"config": config, "project": project})
        return sweep

    def agent(self, sweep: dict) -> dict:
        return self.sweeps.create_agent(self.alice, "alice", sweep["project"], sweep["name"], "h")

    def beat(self, agent: dict, active=()) -> list[dict]:
        return self.sweeps.heartbeat(self.alice, agent["id"], set(active))[1]

    def finish(self, sweep: dict, run: str, summary: dict | None = None,
               history: list[dict] | None = None, state: str = "finished") -> None:
        """What the SDK does for a handed-out run: create it in the sweep, log, finish."""
        self.core.runs.upsert_run(self.alice, {"entity": "alice", "project": sweep["project"],
                                               "name": run, "sweep": sweep["name"], "config": "{}"})
        if history:
            self.log(sweep, run, 0, history)
        fields = {"summary_metrics": json.dumps(summary or {}), "state": state}
        self.core.runs.upsert_run(self.alice, {"entity": "alice", "project": sweep["project"],
                                               "name": run, **fields})

    def log(self, sweep: dict, run: str, offset: int, rows: list[dict]) -> None:
        lines = [json.dumps(row | {"_step": offset + i}) for i, row in enumerate(rows)]
        self.core.ingest.write_file_stream(self.alice, "alice", sweep["project"], run,
                                           {"wandb-history.jsonl": (offset, lines)}, [], False,
                                           None, False)

    def assignments(self, sweep: dict) -> dict[str, dict]:
        return {a["run_name"]: a for a in self.core.storage.list_assignments(sweep["id"])}


@pytest.fixture
def world(tmp_path):
    core = make_core(tmp_path, timeout=1)
    yield World(core)
    core.close()


# -- config validation -------------------------------------------------------------------------
BAD_CONFIGS = {
    "method: [unclosed": "not valid YAML at line",
    "- a list": "must be a mapping",
    "method: annealing\nparameters: {a: {values: [1]}}": "unknown sweep method 'annealing'",
    "parameters: {a: {values: [1]}}": "has no `method`",
    "method: random": "has no `parameters`",
    "method: random\nparameters: {a: {distribution: gaussian}}": "unknown distribution 'gaussian'",
    "method: random\nparameters: {a: {distribution: uniform, min: 3, max: 1}}":
        "`min` (3) must be less than `max` (1)",
    "method: random\nparameters: {a: {distribution: log_uniform_values, min: 0, max: 1}}":
        "`min` must be greater than 0",
    "method: random\nparameters: {a: {distribution: q_uniform, min: 0}}": "needs `max`",
    "method: random\nparameters: {a: {values: [x, y], probabilities: [0.5, 0.6]}}":
        "probabilities must add up to 1",
    "method: random\nparameters: {a: {values: [x, y], probabilities: [1.0]}}":
        "2 values but 1 probabilities",
    "method: random\nparameters: {a: {distribution: normal, sigma: -1}}": "`sigma` must not be",
    "method: random\nparameters: {a: {min: 0, max: x}}": "must be numbers",
    "method: random\nparameters: {a: {values: [1], bogus: 2}}": "unknown key(s) `bogus`",
    "method: random\nparameters: {a: 5}": "must be a mapping such as",
    "method: random\nparmeters: {a: {values: [1]}}": "unknown key(s) in the sweep config: `parmeters`",
    "method: bayes\nparameters: {a: {min: 0.0, max: 1.0}}": "method bayes needs a `metric`",
    "method: bayes\nmetric: {name: loss, goal: lower}\nparameters: {a: {min: 0.0, max: 1.0}}":
        "`metric.goal` must be minimize or maximize",
    "method: grid\nparameters: {a: {min: 0.0, max: 1.0}}": "grid search needs a finite set",
    "method: random\nrun_cap: 0\nparameters: {a: {values: [1]}}": "`run_cap` must be a positive",
    "method: random\nearly_terminate: {type: hyperband, min_iter: 3}\n"
    "parameters: {a: {values: [1]}}": "`early_terminate` needs a `metric`",
    "method: random\nmetric: {name: loss}\nearly_terminate: {type: median}\n"
    "parameters: {a: {values: [1]}}": "`type: hyperband`",
    "method: random\ncontroller: {type: local}\nparameters: {a: {values: [1]}}":
        "runs the sweep controller on the server",
}


@pytest.mark.parametrize("text", BAD_CONFIGS, ids=range(len(BAD_CONFIGS)))
def test_a_bad_config_is_refused_with_what_to_fix(text):
    with pytest.raises(InvalidArgument) as caught:
        sweep_config.parse(text)
    assert BAD_CONFIGS[text] in caught.value.message


def test_every_problem_is_listed_and_deprecated_bounds_only_warn():
    with pytest.raises(InvalidArgument) as caught:
        sweep_config.parse("method: random\nfoo: 1\nparameters:\n  a: {distribution: x}\n"
                           "  b: {values: []}\n")
    assert caught.value.message.count("\n- ") == 3
    spec = sweep_config.parse("method: random\nparameters: "
                              "{a: {distribution: log_uniform, min: -3, max: 0}}")
    assert spec.warnings == ["parameters.a uses log_uniform, where min/max are natural-log "
                             "exponents (values from e^-3 to e^0); use log_uniform_values to "
                             "give the limit values themselves"]


# -- random: every distribution, sampled in bulk through the controller's search ------------------
EVERY_DISTRIBUTION = """
method: random
parameters:
  const: {value: 7}
  choice: {values: [a, b, c]}
  weighted: {values: [x, y, z], probabilities: [0.1, 0.3, 0.6]}
  unif: {min: -1.5, max: 2.5}
  ints: {min: 3, max: 6}
  q_unif: {distribution: q_uniform, min: 0, max: 10, q: 2}
  log_exp: {distribution: log_uniform, min: -4.0, max: 0.0}
  log_val: {distribution: log_uniform_values, min: 0.001, max: 1.0}
  q_log_val: {distribution: q_log_uniform_values, min: 10, max: 1000, q: 5}
  q_log_exp: {distribution: q_log_uniform, min: 1.0, max: 5.0, q: 2}
  inv_val: {distribution: inv_log_uniform_values, min: 0.01, max: 10.0}
  inv_exp: {distribution: inv_log_uniform, min: 0.0, max: 3.0}
  norm: {distribution: normal, mu: 5.0, sigma: 2.0}
  q_norm: {distribution: q_normal, mu: 0.0, sigma: 10.0, q: 4}
  lognorm: {distribution: log_normal, mu: 1.0, sigma: 0.5}
  q_lognorm: {distribution: q_log_normal, mu: 2.0, sigma: 0.5, q: 3}
  beta: {distribution: beta, a: 2.0, b: 5.0}
  nested:
    parameters:
      depth: {values: [1, 2]}
      width: {min: 8, max: 16}
"""


def close(value: float, expected: float, tolerance: float) -> bool:
    return abs(value - expected) <= tolerance


def multiple_of(value, q) -> bool:
    return abs(value / q - round(value / q)) < 1e-6


def test_random_respects_every_distribution():
    random.seed(7)
    numpy.random.seed(7)
    spec = sweep_config.parse(EVERY_DISTRIBUTION)
    draws = engine.suggest(spec.config, [], count=1000)
    column = {name: [d[name]["value"] for d in draws] for name in draws[0]}
    assert set(column["const"]) == {7}
    assert set(column["choice"]) == {"a", "b", "c"}
    share = {v: column["weighted"].count(v) / len(draws) for v in "xyz"}
    assert close(share["x"], 0.1, 0.03) and close(share["y"], 0.3, 0.04) \
        and close(share["z"], 0.6, 0.04), share
    assert all(-1.5 <= v <= 2.5 for v in column["unif"])
    assert close(statistics.mean(column["unif"]), 0.5, 0.1)
    assert set(column["ints"]) == {3, 4, 5, 6} and all(type(v) is int for v in column["ints"])
    assert set(column["q_unif"]) <= {0, 2, 4, 6, 8, 10} and len(set(column["q_unif"])) >= 5
    # log_uniform: min/max are natural-log exponents, so values lie in [e^-4, e^0] and
    # their logs are uniform (median exponent -2).
    assert all(math.exp(-4) <= v <= 1.0 for v in column["log_exp"])
    assert close(statistics.median(math.log(v) for v in column["log_exp"]), -2.0, 0.2)
    assert all(0.001 <= v <= 1.0 for v in column["log_val"])
    assert close(statistics.median(math.log10(v) for v in column["log_val"]), -1.5, 0.15)
    assert all(10 <= v <= 1000 and multiple_of(v, 5) for v in column["q_log_val"])
    assert all(round(math.exp(1) / 2) * 2 <= v <= round(math.exp(5) / 2) * 2
               and multiple_of(v, 2) for v in column["q_log_exp"])
    assert all(0.01 <= v <= 10.0 for v in column["inv_val"])
    # inv_log_uniform_values: 1/value is log-uniform, so log10(value) is uniform on [-2, 1].
    assert close(statistics.median(math.log10(v) for v in column["inv_val"]), -0.5, 0.15)
    assert all(math.exp(-3) <= v <= 1.0 for v in column["inv_exp"])
    assert close(statistics.mean(column["norm"]), 5.0, 0.15)
    assert close(statistics.stdev(column["norm"]), 2.0, 0.15)
    assert all(multiple_of(v, 4) for v in column["q_norm"])
    assert close(statistics.stdev(column["q_norm"]), 10.0, 0.8)
    assert all(v > 0 for v in column["lognorm"])
    assert close(statistics.median(math.log(v) for v in column["lognorm"]), 1.0, 0.05)
    assert all(v >= 0 and multiple_of(v, 3) for v in column["q_lognorm"])
    assert all(0 <= v <= 1 for v in column["beta"])
    assert close(statistics.mean(column["beta"]), 2 / 7, 0.02)
    assert {v["depth"] for v in column["nested"]} == {1, 2}
    assert all(8 <= v["width"] <= 16 for v in column["nested"])


def test_random_hands_out_parameters_through_heartbeats(world):
    sweep = world.sweep(EVERY_DISTRIBUTION)
    agent = world.agent(sweep)
    for _ in range(20):
        command = world.beat(agent)[0]
        assert command["type"] == "run" and command["program"] is None
        args = command["args"]
        assert -1.5 <= args["unif"]["value"] <= 2.5 and args["const"]["value"] == 7
        assert 0.001 <= args["log_val"]["value"] <= 1.0
        world.finish(sweep, command["run_id"])


# -- grid ---------------------------------------------------------------------------------------
def run_to_end(world, sweep, agent, limit=100) -> list[dict]:
    handed = []
    for _ in range(limit):
        commands = world.beat(agent)
        if commands[0]["type"] == "exit":
            return handed
        handed.append(commands[0]["args"])
        world.finish(sweep, commands[0]["run_id"])
    raise AssertionError("the sweep never told the agent to exit")


def test_grid_runs_each_combination_exactly_once_then_finishes(world):
    sweep = world.sweep("method: grid\nparameters:\n  a: {values: [1, 2, 3]}\n"
                        "  b: {distribution: int_uniform, min: 0, max: 1}\n"
                        "  c: {value: fixed}\n  n: {parameters: {d: {values: [x, y]}}}\n")
    assert sweep["run_count_expected"] == 12
    handed = run_to_end(world, sweep, world.agent(sweep))
    combos = [(h["a"]["value"], h["b"]["value"], h["n"]["value"]["d"]) for h in handed]
    assert len(combos) == 12 and len(set(combos)) == 12
    assert all(h["c"]["value"] == "fixed" for h in handed)
    assert world.sweeps.get_sweep(world.alice, "alice", "p", sweep["name"])["state"] == "FINISHED"
    # A fresh agent on a finished sweep is told to exit at once.
    assert world.beat(world.agent(sweep)) == [{"type": "exit"}]


def test_run_cap_stops_the_grid_early(world):
    sweep = world.sweep("method: grid\nrun_cap: 2\nparameters: {a: {values: [1, 2, 3]}}")
    assert sweep["run_count_expected"] == 2
    assert len(run_to_end(world, sweep, world.agent(sweep))) == 2


# -- bayes --------------------------------------------------------------------------------------
def objective(x: float) -> float:
    """A known 1-D function with several local minima on [-3, 3]."""
    return (x - 0.7) ** 2 + 0.3 * math.sin(6 * x)


OBJECTIVE_MIN = min(objective(x) for x in numpy.linspace(-3, 3, 60001))
BUDGET = 10
SEEDS = range(6)


def best_found(method: str, seed: int) -> float:
    """One sweep of BUDGET runs on ``objective`` through the controller's search, each run
    finished with its loss before the next is asked for (one agent)."""
    random.seed(seed)
    numpy.random.seed(seed)
    spec = sweep_config.parse(f"method: {method}\nmetric: {{name: loss, goal: minimize}}\n"
                              "parameters: {x: {min: -3.0, max: 3.0}}")
    runs: list[engine.RunView] = []
    for i in range(BUDGET):
        args = engine.suggest(spec.config, runs)[0]
        loss = objective(args["x"]["value"])
        runs.append(engine.RunView(name=str(i), state="finished", config=args,
                                   summary={"loss": loss}, history=[{"loss": loss}]))
    return min(run.summary["loss"] for run in runs)


def test_bayes_beats_random_on_a_known_function(capsys):
    """Same budget (10 runs), same seeds: regret = best found - true minimum."""
    regret = {method: [best_found(method, seed) - OBJECTIVE_MIN for seed in SEEDS]
              for method in ("random", "bayes")}
    wins = sum(b < r for b, r in zip(regret["bayes"], regret["random"]))
    with capsys.disabled():
        print(f"\nbayes vs random, {BUDGET} runs, {len(SEEDS)} seeds: median regret "
              f"bayes {statistics.median(regret['bayes']):.4f} vs random "
              f"{statistics.median(regret['random']):.4f}; bayes better in {wins}/{len(SEEDS)}")
    assert statistics.median(regret["bayes"]) < statistics.median(regret["random"]) / 5
    assert wins >= len(SEEDS) - 1


def test_bayes_reads_the_metric_of_finished_runs(world):
    """Through heartbeats: the metric each run logged is what the search uses; bestLoss is the
    best summary value (as W&B's), not the best of every logged step."""
    sweep = world.sweep("method: bayes\nmetric: {name: score, goal: maximize}\n"
                        "run_cap: 4\nparameters: {x: {min: -3.0, max: 3.0}}")
    agent = world.agent(sweep)
    scores = []
    for _ in range(4):
        command = world.beat(agent)[0]
        score = -objective(command["args"]["x"]["value"])
        scores.append(score)
        world.finish(sweep, command["run_id"], summary={"score": score - 1},
                     history=[{"score": score - 2}, {"score": score}, {"score": score - 1}])
    assert world.beat(agent) == [{"type": "exit"}]
    found = world.sweeps.get_sweep(world.alice, "alice", "p", sweep["name"])
    assert found["best_loss"] == pytest.approx(max(scores) - 1) and found["state"] == "FINISHED"


# -- hyperband ----------------------------------------------------------------------------------
def test_hyperband_stops_the_run_that_falls_behind(world):
    sweep = world.sweep("method: grid\nmetric: {name: loss, goal: minimize}\n"
                        "early_terminate: {type: hyperband, min_iter: 2, eta: 2}\n"
                        "parameters: {q: {values: [1, 2, 3, 10, 0.5]}}\n")
    agent = world.agent(sweep)
    curve = lambda q: [{"loss": q / (step + 1)} for step in range(8)]  # noqa: E731
    for _ in range(3):  # three good runs finish their whole curve
        command = world.beat(agent)[0]
        world.finish(sweep, command["run_id"], history=curve(command["args"]["q"]["value"]))
    bad = world.beat(agent)[0]
    assert bad["args"]["q"]["value"] == 10
    world.finish(sweep, bad["run_id"], state="running")
    world.log(sweep, bad["run_id"], 0, curve(10)[:1])
    assert world.beat(agent, [bad["run_id"]]) == []  # before the first band: no verdict
    world.log(sweep, bad["run_id"], 1, curve(10)[1:2])
    stop = [{"type": "stop", "run_id": bad["run_id"]}]
    assert world.beat(agent, [bad["run_id"]]) == stop
    assert world.beat(agent, [bad["run_id"]]) == stop  # repeated until the agent stops it
    good = world.beat(agent, [])[0]  # the agent stopped it: it ends as killed
    assert world.assignments(sweep)[bad["run_id"]]["state"] == "killed"
    assert good["args"]["q"]["value"] == 0.5
    world.finish(sweep, good["run_id"], state="running")
    world.log(sweep, good["run_id"], 0, curve(0.5)[:4])
    assert world.beat(agent, [good["run_id"]]) == []  # a leader is never stopped


# -- agents -------------------------------------------------------------------------------------
def test_an_agent_that_stops_heartbeating_has_its_run_crashed(world):
    sweep = world.sweep("method: grid\nparameters: {a: {values: [1, 2, 3]}}")
    dead, alive = world.agent(sweep), world.agent(sweep)
    first = world.beat(dead)[0]["run_id"]
    world.finish(sweep, first, state="running")
    world.beat(dead, [first])
    time.sleep(1.2)  # the timeout of this core is 1 s
    second = world.beat(alive)[0]
    assert second["type"] == "run" and second["run_id"] != first
    assert world.assignments(sweep)[first]["state"] == "crashed"
    assert world.core.runs.get_run(world.alice, "alice", "p", first)["state"] == "crashed"
    agents = {a["id"]: a for a in world.sweeps.list_agents(world.alice, "alice", "p",
                                                           sweep["name"])}
    assert agents[dead["id"]]["state"] == "CRASHED" and agents[alive["id"]]["state"] == "RUNNING"


def test_idle_agents_wait_for_the_last_runs_then_exit(world):
    sweep = world.sweep("method: grid\nparameters: {a: {values: [1]}}")
    busy, idle = world.agent(sweep), world.agent(sweep)
    run = world.beat(busy)[0]["run_id"]
    world.finish(sweep, run, state="running")
    assert world.beat(idle) == []  # nothing left to hand out, but the sweep is not over
    world.finish(sweep, run)
    assert world.beat(busy, []) == [{"type": "exit"}]
    assert world.beat(idle) == [{"type": "exit"}]


def test_a_run_the_agent_never_started_is_handed_out_again(world):
    sweep = world.sweep("method: grid\nparameters: {a: {values: [1, 2]}}")
    agent = world.agent(sweep)
    dropped = world.beat(agent)[0]
    again = world.beat(agent)[0]  # wandb.init never ran for it: the values come back
    assert again["args"] == dropped["args"] and again["run_id"] != dropped["run_id"]
    assert world.assignments(sweep)[dropped["run_id"]]["state"] == "lost"


def test_paused_sweeps_hand_out_nothing_and_cancelled_ones_kill_and_exit(world):
    sweep = world.sweep("method: random\nparameters: {a: {values: [1, 2]}}")
    agent = world.agent(sweep)
    world.sweeps.upsert_sweep(world.alice, {"id": sweep["id"], "state": "PAUSED"})
    assert world.beat(agent) == []
    world.sweeps.upsert_sweep(world.alice, {"id": sweep["id"], "state": "RUNNING"})
    run = world.beat(agent)[0]["run_id"]
    world.finish(sweep, run, state="running")
    world.sweeps.upsert_sweep(world.alice, {"id": sweep["id"], "state": "CANCELED"})
    assert world.beat(agent, [run]) == [{"type": "exit"}]
    assert world.assignments(sweep)[run]["state"] == "killed"
    assert world.core.runs.get_run(world.alice, "alice", "p", run)["state"] == "killed"


def test_a_stopped_sweep_lets_running_runs_finish(world):
    sweep = world.sweep("method: random\nparameters: {a: {values: [1, 2]}}")
    agent = world.agent(sweep)
    run = world.beat(agent)[0]["run_id"]
    world.finish(sweep, run, state="running")
    world.sweeps.upsert_sweep(world.alice, {"id": sweep["id"], "state": "FINISHED"})
    assert world.beat(agent, [run]) == []
    world.finish(sweep, run)
    assert world.beat(agent, []) == [{"type": "exit"}]
    assert world.assignments(sweep)[run]["state"] == "finished"


def test_prior_runs_join_the_sweep(world):
    for name, x in (("old1", 0.5), ("old2", 2.0)):
        world.core.runs.upsert_run(world.alice, {"entity": "alice", "project": "p", "name": name,
                                                 "config": json.dumps({"x": {"value": x}}),
                                                 "summary_metrics": json.dumps({"loss": x}),
                                                 "state": "finished"})
    sweep, _, _ = world.sweeps.upsert_sweep(world.alice, {
        "project": "p", "prior_runs_filters": json.dumps({"$or": [{"name": "old1"},
                                                                  {"name": "old2"}]}),
        "config": "method: bayes\nmetric: {name: loss}\nparameters: {x: {min: 0.0, max: 3.0}}"})
    assert sweep["run_count"] == 2 and sweep["best_loss"] == 0.5
    assert world.core.runs.get_run(world.alice, "alice", "p", "old1")["sweep"] == sweep["name"]
    with pytest.raises(NotFound, match="prior run.* nope do not exist"):
        world.sweeps.upsert_sweep(world.alice, {
            "project": "p", "config": "method: random\nparameters: {x: {values: [1]}}",
            "prior_runs_filters": json.dumps({"$or": [{"name": "nope"}]})})


def test_the_config_can_change_only_before_the_first_run(world):
    sweep = world.sweep("method: random\nparameters: {a: {values: [1]}}")
    updated, _, _ = world.sweeps.upsert_sweep(world.alice, {
        "id": sweep["id"], "config": "method: grid\nparameters: {a: {values: [1, 2]}}"})
    assert updated["method"] == "grid" and updated["run_count_expected"] == 2
    world.beat(world.agent(sweep))
    with pytest.raises(InvalidArgument, match="already has runs"):
        world.sweeps.upsert_sweep(world.alice, {"id": sweep["id"], "config": sweep["config"]})


def test_other_users_sweeps_and_unknown_agents_are_refused(world):
    sweep = world.sweep("method: random\nparameters: {a: {values: [1]}}")
    agent = world.agent(sweep)
    with pytest.raises(PermissionDenied):
        world.sweeps.upsert_sweep(world.bob, {"entity": "alice", "project": "p",
                                              "config": "method: random\nparameters: "
                                                        "{a: {values: [1]}}"})
    with pytest.raises(PermissionDenied):
        world.sweeps.upsert_sweep(world.bob, {"id": sweep["id"], "state": "CANCELED"})
    with pytest.raises(PermissionDenied):
        world.sweeps.create_agent(world.bob, "alice", "p", sweep["name"], "h")
    with pytest.raises(PermissionDenied):
        world.sweeps.heartbeat(world.bob, agent["id"], set())
    with pytest.raises(NotFound, match="sweep agent '999999' does not exist"):
        world.sweeps.heartbeat(world.alice, "999999", set())
    listed, _, total = world.sweeps.list_sweeps(world.alice, "alice", "p", "", 50)
    assert total == 1 and listed[0]["state"] == "RUNNING" and listed[0]["run_count"] == 0
    assert world.core.storage.list_assignments(sweep["id"]) == []


# -- atomic hand-out on every database ------------------------------------------------------------
@pytest.fixture(params=backend_params())
def backend_world(request, tmp_path):
    with temporary_database(request.param, tmp_path) as url:
        core = make_core(tmp_path, url)
        yield World(core)
        core.close()


def test_concurrent_agents_never_receive_the_same_run(backend_world):
    world = backend_world
    sweep = world.sweep("method: grid\nparameters: {a: {min: 1, max: 24}}")
    agents = [world.agent(sweep) for _ in range(6)]
    handed: list[tuple[str, int]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    start = threading.Barrier(len(agents))

    def work(agent):
        try:
            start.wait()
            while True:
                commands = world.beat(agent)
                if not commands:  # the grid is handed out; others' last runs still going
                    continue
                command = commands[0]
                if command["type"] == "exit":
                    return
                with lock:
                    handed.append((command["run_id"], command["args"]["a"]["value"]))
                world.finish(sweep, command["run_id"])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(value for _, value in handed) == list(range(1, 25))
    assert len({run for run, _ in handed}) == 24
