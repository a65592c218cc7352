"""Sweeps: upsertSweep, createAgent, agentHeartbeat and the Sweep/Agent types."""

from __future__ import annotations

import json

from flask import after_this_request
from graphql import GraphQLError

from roost.admin.graphql import ids
from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.runs import run_node
from roost.admin.graphql.resolvers.viewer import entity_node, user_node
from roost.core.auth import Principal
from roost.core.errors import InvalidArgument, NotFound

# runState values that mean "the agent still has this run" (the CLI agent sends true, the
# function agents true or "QUEUED"/"RUNNING").
ACTIVE_WORDS = {"queued", "running", "starting", "pending", "true"}
MAX_PAGE = 1000


def sweep_node(sweep) -> dict:
    """A Sweep as GraphQL sees it; fields with arguments have their own resolvers."""
    return {
        "_sweep": sweep,
        "id": ids.encode("Sweep", sweep.id), "name": sweep.name,
        "displayName": sweep.display_name or None, "method": sweep.method,
        "state": sweep.state, "description": sweep.description or None,
        "bestLoss": sweep.best_loss if sweep.HasField("best_loss") else None,
        "config": sweep.config, "createdAt": sweep.created_at,
        "updatedAt": sweep.updated_at, "heartbeatAt": sweep.heartbeat_at or None,
        "runCount": sweep.run_count,
        "runCountExpected": (sweep.run_count_expected if sweep.HasField("run_count_expected")
                             else None),
        "controller": sweep.controller or None, "scheduler": sweep.scheduler or None,
        "earlyStopJobRunning": sweep.early_stop_job_running,
        "project": {"id": ids.encode("Project", sweep.project_id),
                    "internalId": sweep.project_id, "name": sweep.project,
                    "entityName": sweep.entity, "entity": entity_node(sweep.entity, ""),
                    "isBenchmark": False, "readOnly": False},
        "user": user_node(Principal(user_id=sweep.username, username=sweep.username,
                                    default_entity=sweep.username)) if sweep.username else None,
    }


def agent_node(agent, sweep: dict | None = None) -> dict:
    return {"_agent": agent, "id": ids.encode("Agent", agent.id), "name": agent.name,
            "host": agent.host, "state": agent.state, "totalRuns": agent.total_runs,
            "createdAt": agent.created_at, "heartbeatAt": agent.heartbeat_at or None,
            "_sweep_ref": (agent.entity, agent.project, agent.sweep_name), "sweep": sweep}


def _fail(exc: Exception):
    """The core's message as the GraphQL error (graphql-core would prefix nothing)."""
    raise GraphQLError(getattr(exc, "message", str(exc))) from None


def _page_size(first) -> int:
    if first is not None and first < 0:
        raise GraphQLError("first must not be negative")
    return min(first, MAX_PAGE) if first else MAX_PAGE


# -- mutations -------------------------------------------------------------------------------
@resolver("Mutation", "upsertSweep")
def resolve_upsert_sweep(_, info, input):
    context = info.context
    fields = {"entity": input.get("entityName"), "project": input.get("projectName"),
              "config": input.get("config"), "description": input.get("description"),
              "display_name": input.get("displayName"), "state": input.get("state"),
              "controller": input.get("controller"), "scheduler": input.get("scheduler"),
              "prior_runs_filters": input.get("priorRunsFilters")}
    if input.get("launchScheduler") not in (None, "null", "{}", ""):
        raise GraphQLError("launch schedulers run on W&B Launch, which Roost does not "
                           "provide; create the sweep without launchScheduler")
    if input.get("id"):
        fields["id"] = ids.decode("Sweep", input["id"])
    reply = context.core.sweeps.upsert(context.principal, **fields)
    return {"sweep": sweep_node(reply.sweep), "configValidationWarnings": list(reply.warnings),
            "inserted": reply.inserted, "clientMutationId": input.get("clientMutationId")}


@resolver("Mutation", "createAgent")
def resolve_create_agent(_, info, input):
    context = info.context
    agent = context.core.sweeps.create_agent(
        context.principal, input.get("entityName") or "", input.get("projectName") or "",
        input["sweep"], input["host"])
    return {"agent": agent_node(agent), "clientMutationId": input.get("clientMutationId")}


def active_runs(run_state: str | None) -> list[str]:
    if not run_state:
        return []
    try:
        states = json.loads(run_state)
    except ValueError:
        raise GraphQLError("runState must be a JSON object of run id -> state") from None
    if states is None:
        return []
    if not isinstance(states, dict):
        raise GraphQLError("runState must be a JSON object of run id -> state")
    return [run for run, state in states.items()
            if state is True or (isinstance(state, str) and state.lower() in ACTIVE_WORDS)]


def _not_found(message: str):
    """wandb 0.31's agent stops (SweepNotFoundError) only on HTTP 404; the body is still a
    GraphQL answer with the reason in ``errors``."""
    @after_this_request
    def status_404(response):
        response.status_code = 404
        return response

    raise GraphQLError(message)


@resolver("Mutation", "agentHeartbeat")
def resolve_agent_heartbeat(_, info, input):
    context = info.context
    try:
        agent_id = ids.decode("Agent", input["id"])
    except GraphQLError:
        _not_found(f"sweep agent {input['id']!r} does not exist: register the agent again "
                   "(wandb agent) against an existing sweep")
    active = active_runs(input.get("runState"))
    try:
        reply = context.core.sweeps.heartbeat(context.principal, agent_id, active)
    except NotFound as exc:
        _not_found(exc.message)
    commands = []
    for command in reply.commands:
        entry = {"type": command.type}
        if command.type in ("run", "stop"):
            entry["run_id"] = command.run_id
        if command.type == "run":
            entry["args"] = json.loads(command.args or "{}")
            entry["program"] = command.program if command.HasField("program") else None
        commands.append(entry)
    return {"agent": agent_node(reply.agent), "commands": json.dumps(commands),
            "clientMutationId": input.get("clientMutationId")}


# -- Project.sweep(s) ------------------------------------------------------------------------
@resolver("Project", "sweep")
def resolve_project_sweep(project, info, sweepName):
    context = info.context
    try:
        sweep = context.core.sweeps.get(context.principal, project["entityName"],
                                        project["name"], sweepName)
    except NotFound:
        return None
    return sweep_node(sweep) | {"project": project}


def _sweep_list(project, info, after=None, first=None):
    context = info.context
    return context.core.sweeps.list(context.principal, project["entityName"], project["name"],
                                    after or "", _page_size(first))


@resolver("Project", "sweeps")
def resolve_project_sweeps(project, info, after=None, first=None, filters=None):
    if filters not in (None, "", "{}", "null"):
        raise GraphQLError("filtering sweeps is not supported by this server; list them "
                           "without filters")
    page = _sweep_list(project, info, after, first)
    edges = [{"node": sweep_node(s) | {"project": project}, "cursor": s.id} for s in page.sweeps]
    return {"edges": edges, "totalCount": page.total,
            "pageInfo": {"hasNextPage": page.has_next_page, "hasPreviousPage": bool(after),
                         "startCursor": edges[0]["cursor"] if edges else None,
                         "endCursor": edges[-1]["cursor"] if edges else None}}


@resolver("Project", "totalSweeps")
def resolve_total_sweeps(project, info):
    return _sweep_list(project, info, first=1).total


# -- Sweep fields ----------------------------------------------------------------------------
def _runs_connection(page, after) -> dict:
    edges = [{"node": run_node(run), "cursor": run.id} for run in page.runs]
    return {"edges": edges, "totalCount": page.total,
            "pageInfo": {"hasNextPage": page.has_next_page, "hasPreviousPage": bool(after),
                         "startCursor": edges[0]["cursor"] if edges else None,
                         "endCursor": edges[-1]["cursor"] if edges else None}}


def _descending(order: str | None) -> bool:
    if order in (None, "", "+created_at", "created_at", "createdAt", "+createdAt"):
        return False
    if order in ("-created_at", "-createdAt"):
        return True
    raise GraphQLError(f"unsupported order {order!r} for a sweep's runs: use +created_at or "
                       "-created_at")


@resolver("Sweep", "runs")
def resolve_sweep_runs(sweep, info, first=None, after=None, order=None):
    context = info.context
    record = sweep["_sweep"]
    try:
        page = context.core.sweeps.runs(context.principal, record.entity, record.project,
                                        record.name, after=after or "",
                                        first=_page_size(first), descending=_descending(order))
    except InvalidArgument as exc:
        _fail(exc)
    return _runs_connection(page, after)


@resolver("Sweep", "agent")
def resolve_sweep_agent(sweep, info, agentName):
    context = info.context
    record = sweep["_sweep"]
    name = agentName
    try:
        name = ids.decode("Agent", agentName)
    except GraphQLError:
        pass  # a plain agent name
    try:
        agent = context.core.sweeps.agent(context.principal, record.entity, record.project,
                                          record.name, name)
    except NotFound:
        return None
    return agent_node(agent, sweep)


@resolver("Sweep", "agents")
def resolve_sweep_agents(sweep, info, first=None, after=None):
    context = info.context
    record = sweep["_sweep"]
    agents = context.core.sweeps.agents(context.principal, record.entity, record.project,
                                        record.name)
    return {"edges": [{"node": agent_node(a, sweep)} for a in agents]}


@resolver("Agent", "sweep")
def resolve_agent_sweep(agent, info):
    if agent["sweep"] is not None:
        return agent["sweep"]
    context = info.context
    entity, project, name = agent["_sweep_ref"]
    try:
        return sweep_node(context.core.sweeps.get(context.principal, entity, project, name))
    except NotFound:
        return None


@resolver("Agent", "runs")
def resolve_agent_runs(agent, info, after=None, before=None, first=None, last=None, order=None):
    if before is not None or last is not None:
        raise GraphQLError("an agent's runs page forward only: use first and after")
    context = info.context
    entity, project, name = agent["_sweep_ref"]
    try:
        page = context.core.sweeps.runs(context.principal, entity, project, name,
                                        agent=agent["_agent"].id, after=after or "",
                                        first=_page_size(first), descending=_descending(order))
    except InvalidArgument as exc:
        _fail(exc)
    return _runs_connection(page, after)
