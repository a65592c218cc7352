"""What a storage plugin provides for sweeps (part of the Storage contract).

Records are plain dicts. A sweep record has the keys of the ``Sweep`` message in
``protos/sweeps.proto`` that storage owns (id, entity, project, project_id, name,
display_name, description, method, state, config, controller, scheduler, created_at,
updated_at, heartbeat_at, username); the core computes run_count, best_loss and the rest.

An *assignment* is one run the controller handed out (or a prior run attached at creation):
``{"id", "sweep_id", "run_name", "agent_id" (or ""), "params" (JSON text of the run's
parameters, {"lr": {"value": 0.1}}), "state" (pending, running, finished, failed, crashed,
killed), "stop_requested" (bool), "metric_history" (JSON list of the metric's values, filled
once the run ends), "created_at", "updated_at"}``.

An agent record: ``{"id", "name", "sweep_id", "host", "state" (RUNNING, FINISHED, CRASHED),
"created_at", "heartbeat_at", "total_runs"}``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class SweepStorage(ABC):
    # -- sweeps ------------------------------------------------------------------------------
    @abstractmethod
    def create_sweep(self, entity: str, project: str, fields: dict[str, Any],
                     user_id: str) -> dict:
        """Create a sweep (and its project when missing); ``fields`` holds name, method,
        config, state and optionally display_name, description, controller, scheduler.
        AlreadyExists when the project has a sweep of that name; NotFound for an unknown
        entity."""

    @abstractmethod
    def get_sweep(self, entity: str, project: str, name: str) -> dict | None:
        """The sweep record by entity/project/name; None when unknown."""

    @abstractmethod
    def get_sweep_by_id(self, sweep_id: str) -> dict | None:
        """The sweep record by id; None when unknown (including a malformed id)."""

    @abstractmethod
    def update_sweep(self, sweep_id: str, fields: dict[str, Any]) -> dict:
        """Set the given fields (state, config, method, description, display_name,
        heartbeat_at); ``updated_at`` follows. Returns the updated sweep."""

    @abstractmethod
    def list_sweeps(self, entity: str, project: str, after: str, first: int
                    ) -> tuple[list[dict], bool, int]:
        """Sweeps of a project, newest first, after the opaque cursor ``after`` (a sweep
        id); returns (page, has_next_page, total)."""

    @abstractmethod
    def locked_sweep(self, sweep_id: str, work: Callable[[dict], T]) -> T:
        """Run ``work(sweep)`` inside one write transaction that holds an exclusive lock on
        the sweep, and return its result. Other storage calls made by ``work`` (from the same
        thread) join that transaction. This is what makes the controller's decisions atomic:
        two agents asking at once are served one after the other, so they never receive the
        same run. NotFound when the sweep does not exist."""

    # -- assignments (the controller's runs) -------------------------------------------------
    @abstractmethod
    def list_assignments(self, sweep_id: str) -> list[dict]:
        """Every assignment of the sweep, oldest first."""

    @abstractmethod
    def add_assignment(self, sweep_id: str, run_name: str, agent_id: str | None,
                       params: str, state: str) -> dict:
        """Record a run handed out (or attached). AlreadyExists when the sweep already has a
        run of that name."""

    @abstractmethod
    def update_assignment(self, assignment_id: str, fields: dict[str, Any]) -> None:
        """Set state, stop_requested, metric_history and/or agent_id."""

    @abstractmethod
    def sweep_run_records(self, sweep_id: str) -> list[dict]:
        """The run records (as ``get_run`` returns them, without tails) attached to the sweep
        through their ``sweep`` field, oldest first."""

    @abstractmethod
    def sweep_run_states(self, sweep_id: str) -> list[dict]:
        """The same runs in light form, ``{"id", "name", "state", "heartbeat_at"}``: what
        every heartbeat reads, so it must stay cheap for sweeps of thousands of runs."""

    @abstractmethod
    def attach_runs(self, sweep_id: str, run_names: list[str]) -> list[dict]:
        """Set the ``sweep`` of existing runs of the sweep's project and return their
        records; a name with no run is left out."""

    # -- agents ------------------------------------------------------------------------------
    @abstractmethod
    def create_agent(self, sweep_id: str, name: str, host: str, user_id: str) -> dict:
        """Register an agent of the sweep; return the agent record (state RUNNING).
        NotFound for an unknown sweep."""

    @abstractmethod
    def get_agent(self, agent_id: str) -> dict | None:
        """By storage id; None when unknown (including a malformed id)."""

    @abstractmethod
    def find_agent(self, sweep_id: str, name_or_id: str) -> dict | None:
        """An agent of this sweep by its name or storage id."""

    @abstractmethod
    def list_agents(self, sweep_id: str) -> list[dict]:
        """The sweep's agents, oldest first."""

    @abstractmethod
    def update_agent(self, agent_id: str, fields: dict[str, Any]) -> None:
        """Set state and/or heartbeat_at."""
