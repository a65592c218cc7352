"""Runs: upsertBucket, the Run type, resume fields, stop and state changes."""

from __future__ import annotations

import json

from graphql import GraphQLError

from roost.admin.graphql import ids
from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.viewer import entity_node
from roost.core.errors import NotFound

# upsertBucket input names -> the core's run fields.
UPSERT_FIELDS = {
    "id": "id", "name": "name", "groupName": "group", "modelName": "project",
    "entityName": "entity", "description": "description", "displayName": "display_name",
    "notes": "notes", "commit": "commit", "config": "config", "host": "host",
    "jobProgram": "program", "jobRepo": "repo", "jobType": "job_type", "state": "state",
    "sweep": "sweep", "tags": "tags", "summaryMetrics": "summary_metrics",
}
RUN_STATES = {"running", "finished", "failed", "crashed", "pending", "preempting", "preempted",
              "killed"}


def run_node(run) -> dict:
    """A Run as GraphQL sees it; fields with arguments have their own resolvers."""
    return {
        "_run": run,
        "id": ids.encode("Run", run.id), "name": run.name,
        "displayName": run.display_name or run.name, "description": run.description,
        "notes": run.notes, "tags": list(run.tags), "group": run.group or None,
        "jobType": run.job_type or None, "commit": run.commit or None, "host": run.host or None,
        "program": run.program or None, "state": run.state, "config": run.config,
        "summaryMetrics": run.summary_metrics, "systemMetrics": run.system_metrics,
        "sweepName": run.sweep or None, "readOnly": False, "createdAt": run.created_at,
        "heartbeatAt": run.heartbeat_at, "updatedAt": run.updated_at,
        "projectId": int(run.project_id),
        "project": {"id": ids.encode("Project", run.project_id), "internalId": run.project_id,
                    "name": run.project, "entityName": run.entity,
                    "entity": entity_node(run.entity, ""), "isBenchmark": False},
        "user": {"id": ids.encode("User", run.username), "name": run.user_display_name or run.username,
                 "username": run.username},
        "historyLineCount": run.history_line_count, "eventsLineCount": run.events_line_count,
        "logLineCount": run.log_line_count, "historyTail": run.history_tail or "[]",
        "eventsTail": run.events_tail or "[]", "stopped": run.stopped,
        "shouldStop": run.stopped,
        "exitcode": run.exitcode if run.HasField("exitcode") else None,
        "failed": run.state in ("failed", "crashed"), "running": run.state == "running",
    }


def _run_id(value: str) -> str:
    return ids.decode("Run", value)


@resolver("Project", "run", "bucket")
def resolve_project_run(project, info, name, missingOk=None):
    context = info.context
    run = context.core.find_run(context.principal, project["entityName"], project["name"], name)
    return run_node(run) if run else None


@resolver("Run", "wandbConfig")
def resolve_wandb_config(run, info, keys=None):
    """The ``_wandb`` part of the config; resume looks for ``t`` to know the run really ran."""
    try:
        config = json.loads(run["config"] or "{}")
    except ValueError:
        return "{}"
    wandb = config.get("_wandb", {}) if isinstance(config, dict) else {}
    wandb = wandb.get("value", wandb) if isinstance(wandb, dict) else {}
    if not isinstance(wandb, dict):
        return "{}"
    return json.dumps({k: v for k, v in wandb.items() if keys is None or k in keys})


@resolver("Run", "historyKeys")
def resolve_history_keys(run, info, format=None):
    keys = json.loads(run["_run"].history_keys or "{}")
    keys.setdefault("keys", {})
    keys.setdefault("lastStep", -1 if not run["historyLineCount"] else keys.get("lastStep", -1))
    return keys


@resolver("Mutation", "upsertBucket")
def resolve_upsert_bucket(_, info, input):
    context = info.context
    fields = {UPSERT_FIELDS[k]: v for k, v in input.items() if k in UPSERT_FIELDS and v is not None}
    if "id" in fields:
        fields["id"] = _run_id(fields["id"])
    if "state" in fields and fields["state"] not in RUN_STATES:
        raise GraphQLError(f"unknown run state {fields['state']!r}; expected one of "
                           + ", ".join(sorted(RUN_STATES)))
    reply = context.core.upsert_run(context.principal, context.base_url, **fields)
    return {"bucket": run_node(reply.run), "inserted": reply.inserted,
            "serverSettings": {"serverMessages": []}}


def _update_by_id(info, run_id: str, **fields) -> None:
    context = info.context
    context.core.upsert_run(context.principal, context.base_url, id=_run_id(run_id), **fields)


@resolver("Mutation", "stopRun")
def resolve_stop_run(_, info, input):
    _update_by_id(info, input["id"], stopped=True)
    return {"success": True}


@resolver("Mutation", "updateRunState")
def resolve_update_run_state(_, info, input):
    if input["state"] not in ("pending", "failed"):
        raise GraphQLError(f"a run's state can only be set to 'pending' or 'failed', "
                           f"not {input['state']!r}")
    _update_by_id(info, input["id"], state=input["state"])
    return {"success": True}


@resolver("Mutation", "deleteRun")
def resolve_delete_run(_, info, input):
    context = info.context
    try:
        context.core.delete_run(context.principal, _run_id(input["id"]))
    except NotFound as exc:
        raise GraphQLError(exc.message) from None
    return {"clientMutationId": input.get("clientMutationId")}
