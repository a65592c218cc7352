"""Storage area ``sweeps`` (roost.core.sweeps.storage) on the sql plugin's tables."""

from __future__ import annotations

import time
from typing import Any, Callable

import peewee
from peewee import fn

from roost.core.errors import AlreadyExists, NotFound
from roost.plugins.sql.area import SqlArea
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project, Run, User
from roost.plugins.sql.sweep_models import Sweep, SweepAgent, SweepRun

SWEEP_FIELDS = {"display_name", "description", "method", "config", "state", "controller",
                "scheduler", "heartbeat_at"}
ASSIGNMENT_FIELDS = {"state", "stop_requested", "metric_history", "agent_id"}
AGENT_FIELDS = {"state", "heartbeat_at"}


def _pk(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"no {what} with id {value!r}") from None


def _sweep_dict(sweep: Sweep) -> dict:
    project = sweep.project
    user = sweep.user if sweep.user_id else None
    return {"id": str(sweep.id), "entity": project.entity.name, "project": project.name,
            "project_id": str(project.id), "name": sweep.name,
            "display_name": sweep.display_name, "description": sweep.description,
            "method": sweep.method, "config": sweep.config, "state": sweep.state,
            "controller": sweep.controller, "scheduler": sweep.scheduler,
            "created_at": sweep.created_at, "updated_at": sweep.updated_at,
            "heartbeat_at": sweep.heartbeat_at or 0.0,
            "username": user.username if user else ""}


def _assignment_dict(row: SweepRun) -> dict:
    return {"id": str(row.id), "sweep_id": str(row.sweep_id), "run_name": row.run_name,
            "agent_id": str(row.agent_id) if row.agent_id else "", "params": row.params,
            "state": row.state, "stop_requested": row.stop_requested,
            "metric_history": row.metric_history, "created_at": row.created_at,
            "updated_at": row.updated_at}


@connection_per_call
class SweepStore(SqlArea):
    # -- sweeps ------------------------------------------------------------------------------
    @staticmethod
    def _sweeps_query():
        return (Sweep.select(Sweep, Project, Entity, User).join(Project).join(Entity)
                .switch(Sweep).join(User, peewee.JOIN.LEFT_OUTER))

    def create_sweep(self, entity, project, fields, user_id):
        values = {k: v for k, v in fields.items() if k in SWEEP_FIELDS}
        now = time.time()
        try:
            with self.write():
                proj = self._project(entity, project, create=True)
                sweep = Sweep.create(project=proj, name=fields["name"],
                                     user=_pk(user_id, "user") if user_id else None,
                                     created_at=now, updated_at=now, **values)
        except peewee.IntegrityError:
            raise AlreadyExists(f"project {entity}/{project} already has a sweep named "
                                f"{fields['name']!r}") from None
        return self.get_sweep_by_id(sweep.id)

    def get_sweep(self, entity, project, name):
        sweep = self._sweeps_query().where((Entity.name == entity) & (Project.name == project)
                                           & (Sweep.name == name)).first()
        return _sweep_dict(sweep) if sweep else None

    def get_sweep_by_id(self, sweep_id):
        try:
            pk = int(sweep_id)
        except (TypeError, ValueError):
            return None
        sweep = self._sweeps_query().where(Sweep.id == pk).first()
        return _sweep_dict(sweep) if sweep else None

    def update_sweep(self, sweep_id, fields):
        values = {k: v for k, v in fields.items() if k in SWEEP_FIELDS}
        values["updated_at"] = time.time()
        pk = _pk(sweep_id, "sweep")
        with self.write():
            if not Sweep.update(**values).where(Sweep.id == pk).execute():
                raise NotFound(f"sweep {sweep_id} does not exist")
        return self.get_sweep_by_id(pk)

    def list_sweeps(self, entity, project, after, first):
        query = self._sweeps_query().where((Entity.name == entity) & (Project.name == project))
        total = query.count()
        if after:
            query = query.where(Sweep.id < _pk(after, "sweep cursor"))
        rows = list(query.order_by(Sweep.id.desc()).limit(first + 1))
        return [_sweep_dict(s) for s in rows[:first]], len(rows) > first, total

    def locked_sweep(self, sweep_id, work: Callable[[dict], Any]):
        pk = _pk(sweep_id, "sweep")
        with self.write():
            query = Sweep.select(Sweep.id).where(Sweep.id == pk)
            if self.engine != "sqlite":  # SQLite: write() already holds the database's lock
                query = query.for_update()
            if query.first() is None:
                raise NotFound(f"sweep {sweep_id} does not exist")
            return work(self.get_sweep_by_id(pk))

    # -- assignments -------------------------------------------------------------------------
    def list_assignments(self, sweep_id):
        rows = (SweepRun.select().where(SweepRun.sweep == _pk(sweep_id, "sweep"))
                .order_by(SweepRun.id))
        return [_assignment_dict(r) for r in rows]

    def add_assignment(self, sweep_id, run_name, agent_id, params, state):
        now = time.time()
        try:
            with self.write():
                row = SweepRun.create(sweep=_pk(sweep_id, "sweep"), run_name=run_name,
                                      agent=_pk(agent_id, "agent") if agent_id else None,
                                      params=params, state=state, created_at=now,
                                      updated_at=now)
        except peewee.IntegrityError:
            raise AlreadyExists(f"sweep {sweep_id} already has a run {run_name!r}") from None
        return _assignment_dict(row)

    def update_assignment(self, assignment_id, fields):
        values = {k: v for k, v in fields.items() if k in ASSIGNMENT_FIELDS}
        if "agent_id" in values:
            agent = values.pop("agent_id")
            values["agent"] = _pk(agent, "agent") if agent else None
        values["updated_at"] = time.time()
        SweepRun.update(**values).where(SweepRun.id == _pk(assignment_id, "run")).execute()

    def _sweep_project(self, sweep_id) -> Sweep:
        sweep = Sweep.get_or_none(Sweep.id == _pk(sweep_id, "sweep"))
        if sweep is None:
            raise NotFound(f"sweep {sweep_id} does not exist")
        return sweep

    def sweep_run_records(self, sweep_id):
        sweep = self._sweep_project(sweep_id)
        rows = (self._run_query().where((Run.project == sweep.project_id)
                                        & (Run.sweep_name == sweep.name))
                .order_by(Run.created_at, Run.id))
        return [self._run_dict(run) for run in rows]

    def sweep_run_states(self, sweep_id):
        sweep = self._sweep_project(sweep_id)
        rows = (Run.select(Run.id, Run.name, Run.state, Run.heartbeat_at)
                .where((Run.project == sweep.project_id) & (Run.sweep_name == sweep.name))
                .order_by(Run.created_at, Run.id).dicts())
        return [{"id": str(row["id"]), "name": row["name"], "state": row["state"],
                 "heartbeat_at": row["heartbeat_at"]} for row in rows]

    def attach_runs(self, sweep_id, run_names):
        sweep = self._sweep_project(sweep_id)
        if not run_names:
            return []
        where = (Run.project == sweep.project_id) & Run.name.in_(list(run_names))
        with self.write():
            Run.update(sweep_name=sweep.name).where(where).execute()
        rows = self._run_query().where(where).order_by(Run.created_at, Run.id)
        return [self._run_dict(run) for run in rows]

    # -- agents ------------------------------------------------------------------------------
    @staticmethod
    def _agents_query():
        runs = (SweepRun.select(fn.COUNT(SweepRun.id))
                .where((SweepRun.agent == SweepAgent.id) & (SweepRun.state != "lost")))
        return (SweepAgent.select(SweepAgent, Sweep, Project, Entity,
                                  runs.alias("total_runs"))
                .join(Sweep).join(Project).join(Entity))

    @staticmethod
    def _agent_dict(agent: SweepAgent) -> dict:
        sweep = agent.sweep
        return {"id": str(agent.id), "name": agent.name, "sweep_id": str(agent.sweep_id),
                "host": agent.host, "state": agent.state, "created_at": agent.created_at,
                "heartbeat_at": agent.heartbeat_at, "total_runs": agent.total_runs or 0,
                "sweep_name": sweep.name, "project": sweep.project.name,
                "entity": sweep.project.entity.name}

    def create_agent(self, sweep_id, name, host, user_id):
        now = time.time()
        try:
            with self.write():
                agent = SweepAgent.create(sweep=_pk(sweep_id, "sweep"), name=name, host=host,
                                          user=_pk(user_id, "user") if user_id else None,
                                          created_at=now, heartbeat_at=now)
        except peewee.IntegrityError:
            raise AlreadyExists(f"sweep {sweep_id} already has an agent {name!r}") from None
        return self.get_agent(agent.id)

    def get_agent(self, agent_id):
        try:
            pk = int(agent_id)
        except (TypeError, ValueError):
            return None
        agent = self._agents_query().where(SweepAgent.id == pk).first()
        return self._agent_dict(agent) if agent else None

    def find_agent(self, sweep_id, name_or_id):
        sweep_pk = _pk(sweep_id, "sweep")
        match = SweepAgent.name == name_or_id
        if str(name_or_id).isdigit():
            match |= SweepAgent.id == int(name_or_id)
        agent = self._agents_query().where((SweepAgent.sweep == sweep_pk) & match).first()
        return self._agent_dict(agent) if agent else None

    def list_agents(self, sweep_id):
        rows = (self._agents_query().where(SweepAgent.sweep == _pk(sweep_id, "sweep"))
                .order_by(SweepAgent.id))
        return [self._agent_dict(a) for a in rows]

    def update_agent(self, agent_id, fields):
        values = {k: v for k, v in fields.items() if k in AGENT_FIELDS}
        if values:
            SweepAgent.update(**values).where(SweepAgent.id == _pk(agent_id, "agent")).execute()
