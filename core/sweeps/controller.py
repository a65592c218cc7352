"""The sweep controller: what an agent's heartbeat changes and which commands it receives.

Every heartbeat is served inside ``storage.locked_sweep``: one agent at a time per sweep, so
the state read, the decision and the new run are one atomic step and two agents never get
the same run. A heartbeat also does the sweep's housekeeping, so no background job is needed:

1. agents that stopped heartbeating (``agent_timeout``) are marked CRASHED and their runs
   crashed, so the sweep carries on without them;
2. runs attached to the sweep by hand (``WANDB_SWEEP_ID``, prior runs) are adopted;
3. each run's state follows what its agent reports and what its record says; a run that
   ends has its metric values saved once, for bayes, hyperband and ``bestLoss``;
4. hyperband marks runs to stop; their agents get ``stop`` commands until they do;
5. the agent gets a new run when it is idle and the sweep is RUNNING, waits when the sweep is
   PAUSED, and is told to ``exit`` when the sweep is CANCELED (its runs are killed), FINISHED,
   or exhausted (a grid with every combination run, or ``run_cap`` runs) with no run left
   going; until those last runs end, idle agents wait.
"""

from __future__ import annotations

import json
import secrets
import string
import time

from roost.core.authorizer import present_run
from roost.core.errors import AlreadyExists
from roost.core.sweeps import engine
from roost.core.sweeps.config import SweepSpec
from roost.core.sweeps.runs import SweepRun, counted, metric_snapshot, view

RUN_ID_ALPHABET = string.ascii_lowercase + string.digits
# Sweep.heartbeatAt is for people; refreshing it on every agent heartbeat would only add writes.
SWEEP_HEARTBEAT_EVERY = 5.0
RECORD_TERMINAL = {"finished": "finished", "failed": "failed", "crashed": "crashed",
                   "killed": "killed", "preempted": "preempted", "preempting": "preempted"}


def new_id(length: int = 8) -> str:
    return "".join(secrets.choice(RUN_ID_ALPHABET) for _ in range(length))


def run_command(run_name: str, params: dict, program: str | None) -> dict:
    return {"type": "run", "run_id": run_name, "args": params, "program": program}


class Controller:
    """One heartbeat's work on the sweep's storage."""

    def __init__(self, storage, sweep: dict, spec: SweepSpec, agent_timeout: float):
        self.storage = storage
        self.sweep = sweep
        self.spec = spec
        self.metric = (spec.metric or {}).get("name")
        self.agent_timeout = agent_timeout
        self.now = time.time()

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> list[SweepRun]:
        """The sweep's runs; runs attached by hand become assignments without an agent."""
        records = {r["name"]: present_run(r)
                   for r in self.storage.sweep_run_states(self.sweep["id"])}
        assignments = self.storage.list_assignments(self.sweep["id"])
        known = {a["run_name"] for a in assignments}
        for name, record in records.items():
            if name in known:
                continue
            full = self.storage.get_run_by_id(record["id"])
            state = RECORD_TERMINAL.get(record["state"], "running")
            try:
                assignments.append(self.storage.add_assignment(
                    self.sweep["id"], name, None, (full or {}).get("config") or "{}", state))
            except AlreadyExists:  # adopted by a heartbeat that committed first
                pass
        return [SweepRun(a, records.get(a["run_name"])) for a in assignments]

    # -- run states ------------------------------------------------------------------------
    def end(self, run: SweepRun, state: str) -> None:
        """Mark a run ended: save its metric values once and settle its record's state."""
        if run.record is None and state in ("crashed", "killed"):
            state = "lost"  # it never started, so there is nothing to crash or kill
        fields = {"state": state}
        if self.metric and state != "lost" and not run.assignment.get("metric_history"):
            fields["metric_history"] = json.dumps(metric_snapshot(self.storage, run, self.metric))
        self.storage.update_assignment(run.assignment["id"], fields)
        run.assignment.update(fields)
        record = run.record
        if record is not None and record["state"] in ("running", "pending") \
                and state in ("crashed", "killed"):
            # The process is gone (agent died, or it was killed): say so instead of
            # leaving the run "running" until its heartbeat goes stale.
            self.storage.upsert_run(self.sweep["entity"], self.sweep["project"], record["name"],
                                    record["id"], {"state": state}, "")
            run.record = record | {"state": state}

    def reap_agents(self, agents: dict[str, dict]) -> None:
        cutoff = self.now - self.agent_timeout
        for agent in agents.values():
            if agent["state"] == "RUNNING" and agent["heartbeat_at"] < cutoff:
                self.storage.update_agent(agent["id"], {"state": "CRASHED"})
                agent["state"] = "CRASHED"

    def settle(self, runs: list[SweepRun], agents: dict[str, dict], agent_id: str,
               active: set[str]) -> None:
        for run in runs:
            owner = run.assignment["agent_id"]
            if not run.active and run.name not in active:
                if self.metric and run.state != "lost" \
                        and not run.assignment.get("metric_history"):
                    self.end(run, run.state)  # adopted already ended: save its metric once
                continue
            if owner == agent_id:
                if run.name in active:
                    if run.state != "running":
                        self.storage.update_assignment(run.assignment["id"], {"state": "running"})
                        run.assignment["state"] = "running"
                elif run.active:
                    self.end(run, self._ended_state(run))
            elif owner and agents.get(owner, {}).get("state") != "RUNNING":
                self.end(run, "crashed")
            elif not owner and run.record is not None and run.record["state"] != "running":
                self.end(run, RECORD_TERMINAL.get(run.record["state"], "failed"))
            elif not owner and run.record is None:
                self.end(run, "lost")  # its record was deleted

    @staticmethod
    def _ended_state(run: SweepRun) -> str:
        """The agent no longer runs it: how did it end?"""
        if run.record is None:
            # wandb.init never ran (the program failed first, or the agent quit before
            # starting it): not a run at all, so the search may hand these values out again.
            return "lost"
        if run.assignment["stop_requested"] and run.record["state"] != "finished":
            return "killed"
        return RECORD_TERMINAL.get(run.record["state"], "crashed")

    # -- decisions -------------------------------------------------------------------------
    def views(self, runs: list[SweepRun], live: bool):
        return [view(self.storage, run, self.metric, live and run.state == "running")
                for run in counted(runs)]

    def mark_stops(self, runs: list[SweepRun]) -> None:
        if not self.spec.config.get("early_terminate") or not any(
                r.state == "running" for r in runs):
            return
        for name in engine.to_stop(self.spec.config, self.views(runs, live=True)):
            for run in runs:
                if run.name == name and run.active and not run.assignment["stop_requested"]:
                    self.storage.update_assignment(run.assignment["id"], {"stop_requested": True})
                    run.assignment["stop_requested"] = True

    def next_params(self, runs: list[SweepRun]) -> dict | None:
        cap = self.spec.run_cap
        if cap is not None and len(counted(runs)) >= cap:
            return None
        live = self.spec.config.get("metric", {}).get("impute_while_running", "false") != "false"
        return engine.suggest(self.spec.config, self.views(runs, live=live))[0]

    def unused_run_name(self, runs: list[SweepRun]) -> str:
        """A new run id: the SDK's UpsertBucket with it must create a run, not update one."""
        taken = {run.name for run in runs}
        while True:
            name = new_id()
            if name not in taken and self.storage.get_run(
                    self.sweep["entity"], self.sweep["project"], name) is None:
                return name

    # -- the heartbeat -----------------------------------------------------------------------
    def heartbeat(self, agent: dict, active: set[str]) -> list[dict]:
        agents = {a["id"]: a for a in self.storage.list_agents(self.sweep["id"])}
        agents[agent["id"]] = agent | {"state": "RUNNING" if agent["state"] == "CRASHED"
                                       else agent["state"], "heartbeat_at": self.now}
        self.storage.update_agent(agent["id"], {"heartbeat_at": self.now,
                                                "state": agents[agent["id"]]["state"]})
        if self.now - (self.sweep["heartbeat_at"] or 0) > SWEEP_HEARTBEAT_EVERY:
            self.storage.update_sweep(self.sweep["id"], {"heartbeat_at": self.now})
        self.reap_agents(agents)
        runs = self.load()
        self.settle(runs, agents, agent["id"], active)
        self.mark_stops(runs)
        return self.commands(runs, agents[agent["id"]])

    def commands(self, runs: list[SweepRun], agent: dict) -> list[dict]:
        mine = [r for r in runs if r.assignment["agent_id"] == agent["id"] and r.active]
        state = self.sweep["state"]
        if state == "CANCELED":
            for run in mine:
                self.end(run, "killed")
            return self._exit(agent)
        if mine:
            return [{"type": "stop", "run_id": r.name} for r in mine
                    if r.assignment["stop_requested"]]
        if state == "FINISHED" or agent["state"] == "FINISHED":
            return self._exit(agent)
        if state != "RUNNING":
            return []
        params = self.next_params(runs)
        if params is None:
            if any(r.active for r in runs):
                # Other agents' last runs are still going: wait. If one of them dies, this
                # agent's heartbeats are what notice it (and a grid may hand its values out
                # again), so the sweep still ends.
                return []
            self.storage.update_sweep(self.sweep["id"], {"state": "FINISHED"})
            return self._exit(agent)
        name = self.unused_run_name(runs)
        self.storage.add_assignment(self.sweep["id"], name, agent["id"], json.dumps(params),
                                    "pending")
        return [run_command(name, params, self.spec.program)]

    def _exit(self, agent: dict) -> list[dict]:
        if agent["state"] != "FINISHED":
            self.storage.update_agent(agent["id"], {"state": "FINISHED"})
            agent["state"] = "FINISHED"
        return [{"type": "exit"}]
