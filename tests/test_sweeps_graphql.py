"""The sweep GraphQL surface against a real Roost: the documents wandb 0.21 and 0.31 send
(verbatim field sets), and bad input: malformed configs, heartbeats of unknown agents, another
user's sweeps. Each bad request gets a clear error and changes nothing."""

from __future__ import annotations

import json
import uuid

import pytest

UPSERT = """mutation UpsertSweep($id: ID, $config: String, $description: String,
  $entityName: String, $projectName: String, $controller: JSONString,
  $launchScheduler: JSONString, $templateVariableValues: JSONString, $scheduler: JSONString,
  $state: String, $priorRunsFilters: JSONString, $displayName: String) {
  upsertSweep(input: {id: $id, config: $config, description: $description,
    entityName: $entityName, projectName: $projectName, controller: $controller,
    launchScheduler: $launchScheduler, templateVariableValues: $templateVariableValues,
    scheduler: $scheduler, state: $state, priorRunsFilters: $priorRunsFilters,
    displayName: $displayName}) {
    sweep { id name project { id name entity { id name } } } configValidationWarnings } }"""
CREATE_AGENT = """mutation CreateAgent($host: String!, $projectName: String, $entityName: String,
  $sweep: String!) { createAgent(input: {host: $host, projectName: $projectName,
  entityName: $entityName, sweep: $sweep}) { agent { id } } }"""
HEARTBEAT = """mutation Heartbeat($id: ID!, $metrics: JSONString, $runState: JSONString) {
  agentHeartbeat(input: {id: $id, metrics: $metrics, runState: $runState}) {
    agent { id } commands } }"""
# wandb_agent.py and `wandb sweep --pause` (both versions), with every field they select.
SWEEP_WITH_RUNS = """query SweepWithRuns($entity: String, $project: String, $sweep: String!,
  $specs: [JSONString!]!) { project(name: $project, entityName: $entity) {
  sweep(sweepName: $sweep) { id name method state description config createdAt heartbeatAt
    updatedAt earlyStopJobRunning bestLoss controller scheduler
    runs { edges { node { name state config exitcode heartbeatAt shouldStop failed stopped
      running summaryMetrics sampledHistory(specs: $specs) } } } } } }"""
# wandb 0.31 api.sweep(), then its agents API (AgentFragment).
GET_SWEEP = """query GetSweep($name: String!, $project: String, $entity: String) {
  project(name: $project, entityName: $entity) { sweep(sweepName: $name) { __typename id name
    displayName method state description bestLoss config createdAt updatedAt runCount
    runCountExpected
    agents { edges { node { id name host state totalRuns createdAt heartbeatAt } } } } } }"""
GET_AGENT_RUNS = """query GetAgentRuns($agentID: String!, $sweep: String!, $entity: String,
  $project: String, $after: String, $before: String, $first: Int, $last: Int, $order: String) {
  project(name: $project, entityName: $entity) { sweep(sweepName: $sweep) {
    agent(agentName: $agentID) { runs(after: $after, before: $before, first: $first,
      last: $last, order: $order) { pageInfo { endCursor hasNextPage }
      edges { cursor node { id name sweepName state } } } } } } }"""
# wandb 0.21 project.sweeps().
GET_SWEEPS = """query GetSweeps($project: String!, $entity: String!, $cursor: String,
  $perPage: Int = 50) { project(name: $project, entityName: $entity) { totalSweeps
  sweeps(after: $cursor, first: $perPage) { edges { node { id name method state description
    displayName bestLoss config createdAt updatedAt runCount } cursor }
    pageInfo { endCursor hasNextPage } } } }"""
UPSERT_BUCKET = """mutation UpsertBucket($name: String, $project: String, $entity: String,
  $sweep: String, $config: JSONString, $summaryMetrics: JSONString, $state: String) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, sweep: $sweep,
    config: $config, summaryMetrics: $summaryMetrics, state: $state}) {
    bucket { id name sweepName } inserted } }"""

GRID = "method: grid\nmetric: {name: loss, goal: minimize}\nparameters: {lr: {values: [0.1, 0.2]}}\n"


def call(server, query: str, variables: dict, api_key: str | None = None) -> tuple[int, dict]:
    status, body = server.request("POST", "/graphql", api_key or server.admin_key,
                                  {"query": query, "variables": variables})
    return status, json.loads(body)


def ok(server, query: str, variables: dict, api_key: str | None = None) -> dict:
    status, answer = call(server, query, variables, api_key)
    assert status == 200 and "errors" not in answer, answer
    return answer["data"]


def error_of(answer: dict) -> str:
    assert answer.get("errors"), answer
    return answer["errors"][0]["message"]


@pytest.fixture
def unique() -> str:
    """A project name no other test uses."""
    return "sweeps-" + uuid.uuid4().hex[:12]


@pytest.fixture(scope="module")
def bob(roost_server) -> str:
    return roost_server.create_user("sweep-outsider")


def new_sweep(server, project: str, config: str = GRID) -> dict:
    return ok(server, UPSERT, {"config": config, "projectName": project, "entityName": "admin",
                               "templateVariableValues": "null"})["upsertSweep"]


def total_sweeps(server, project: str) -> int:
    data = ok(server, GET_SWEEPS, {"project": project, "entity": "admin"})
    return data["project"]["totalSweeps"] if data["project"] else 0


def test_a_sweep_reads_back_with_every_field_the_clients_select(roost_server, unique):
    created = new_sweep(roost_server, unique)
    name = created["sweep"]["name"]
    assert created["configValidationWarnings"] == []
    assert created["sweep"]["project"]["name"] == unique
    assert created["sweep"]["project"]["entity"]["name"] == "admin"
    agent = ok(roost_server, CREATE_AGENT, {"host": "h", "projectName": unique,
                                            "entityName": "admin", "sweep": name})
    agent_id = agent["createAgent"]["agent"]["id"]
    commands = json.loads(ok(roost_server, HEARTBEAT, {"id": agent_id, "metrics": "{}",
                                                       "runState": "{}"})
                          ["agentHeartbeat"]["commands"])
    assert commands == [{"type": "run", "run_id": commands[0]["run_id"],
                         "args": {"lr": {"value": 0.1}}, "program": None}]
    run = commands[0]["run_id"]
    bucket = ok(roost_server, UPSERT_BUCKET, {
        "name": run, "project": unique, "entity": "admin", "sweep": name,
        "config": json.dumps({"lr": {"value": 0.1}}),
        "summaryMetrics": json.dumps({"loss": 0.25})})["upsertBucket"]
    assert bucket["bucket"]["sweepName"] == name and bucket["inserted"]
    ok(roost_server, UPSERT_BUCKET, {"name": run, "project": unique, "entity": "admin",
                                     "state": "finished"})
    # The agent reports the run gone: it ends finished with its metric; lr=0.2 comes next.
    commands = json.loads(ok(roost_server, HEARTBEAT, {"id": agent_id, "runState": "{}"})
                          ["agentHeartbeat"]["commands"])
    assert commands[0]["args"] == {"lr": {"value": 0.2}}

    sweep = ok(roost_server, SWEEP_WITH_RUNS, {"entity": "admin", "project": unique,
                                               "sweep": name, "specs": "{}"})["project"]["sweep"]
    assert sweep["method"] == "grid" and sweep["state"] == "RUNNING" and sweep["config"] == GRID
    assert sweep["bestLoss"] == 0.25 and sweep["earlyStopJobRunning"] is False
    assert [edge["node"]["name"] for edge in sweep["runs"]["edges"]] == [run]
    assert sweep["runs"]["edges"][0]["node"]["state"] == "finished"

    got = ok(roost_server, GET_SWEEP, {"name": name, "project": unique, "entity": "admin"})
    sweep = got["project"]["sweep"]
    assert sweep["__typename"] == "Sweep" and sweep["runCount"] == 2
    assert sweep["runCountExpected"] == 2 and sweep["createdAt"]
    agents = [edge["node"] for edge in sweep["agents"]["edges"]]
    assert [(a["id"], a["host"], a["state"], a["totalRuns"]) for a in agents] == [
        (agent_id, "h", "RUNNING", 2)]
    runs = ok(roost_server, GET_AGENT_RUNS, {"agentID": agents[0]["name"], "sweep": name,
                                             "entity": "admin", "project": unique, "first": 10})
    edges = runs["project"]["sweep"]["agent"]["runs"]["edges"]
    assert [(e["node"]["name"], e["node"]["sweepName"]) for e in edges] == [(run, name)]

    listed = ok(roost_server, GET_SWEEPS, {"project": unique, "entity": "admin"})["project"]
    assert listed["totalSweeps"] == 1
    assert [edge["node"]["name"] for edge in listed["sweeps"]["edges"]] == [name]
    missing = ok(roost_server, GET_SWEEP, {"name": "nope", "project": unique, "entity": "admin"})
    assert missing["project"]["sweep"] is None


BAD = {
    "method: grid\nparameters: {lr: {min: 0.0, max: 1.0}}": "grid search needs a finite set",
    "method: bayes\nparameters: {lr: {min: 0.0, max: 1.0}}": "method bayes needs a `metric`",
    "method: random\nparameters: {lr: {distribution: lognormal}}": "unknown distribution",
    "method: random\nparameters:\n  lr: [0.1, 0.2]\n": "must be a mapping such as",
    "method: random\n  parameters: {": "not valid YAML",
}


@pytest.mark.parametrize("config", BAD, ids=range(len(BAD)))
def test_a_bad_config_is_an_error_and_creates_nothing(roost_server, unique, config):
    status, answer = call(roost_server, UPSERT, {"config": config, "projectName": unique})
    assert status == 200 and answer["data"]["upsertSweep"] is None
    assert BAD[config] in error_of(answer)
    assert total_sweeps(roost_server, unique) == 0


def test_deprecated_distributions_come_back_as_warnings(roost_server, unique):
    created = new_sweep(roost_server, unique, "method: random\nparameters: "
                                              "{lr: {distribution: log_uniform, min: -5, max: 0}}")
    assert created["sweep"]["name"]
    assert created["configValidationWarnings"] == [
        "parameters.lr uses log_uniform, where min/max are natural-log exponents (values from "
        "e^-5 to e^0); use log_uniform_values to give the limit values themselves"]


def test_a_heartbeat_from_an_unknown_agent_is_a_404(roost_server):
    """wandb 0.31's agent stops on HTTP 404 (SweepNotFoundError); the body says why."""
    for agent_id in ("QWdlbnQ6OTk5OTk5", "garbage!"):
        status, answer = call(roost_server, HEARTBEAT, {"id": agent_id, "runState": "{}"})
        assert status == 404
        assert "does not exist: register the agent again" in error_of(answer)


def test_malformed_run_state_and_launch_schedulers_are_refused(roost_server, unique):
    name = new_sweep(roost_server, unique)["sweep"]["name"]
    agent = ok(roost_server, CREATE_AGENT, {"host": "h", "projectName": unique,
                                            "entityName": "admin", "sweep": name})
    status, answer = call(roost_server, HEARTBEAT, {"id": agent["createAgent"]["agent"]["id"],
                                                    "runState": "[1, 2]"})
    assert "runState must be a JSON object" in error_of(answer)
    status, answer = call(roost_server, UPSERT, {"config": GRID, "projectName": unique,
                                                 "launchScheduler": '{"queue": "q"}'})
    assert "W&B Launch" in error_of(answer)
    status, answer = call(roost_server, CREATE_AGENT, {"host": "h", "projectName": unique,
                                                       "entityName": "admin", "sweep": "nope"})
    assert f"sweep admin/{unique}/nope does not exist" in error_of(answer)
    assert total_sweeps(roost_server, unique) == 1


def test_another_users_sweep_cannot_be_created_changed_or_joined(roost_server, unique, bob):
    created = new_sweep(roost_server, unique)["sweep"]
    agent = ok(roost_server, CREATE_AGENT, {"host": "h", "projectName": unique,
                                            "entityName": "admin", "sweep": created["name"]})
    attempts = [
        (UPSERT, {"config": GRID, "projectName": unique, "entityName": "admin"}),
        (UPSERT, {"id": created["id"], "state": "CANCELED"}),
        (CREATE_AGENT, {"host": "h", "projectName": unique, "entityName": "admin",
                        "sweep": created["name"]}),
        (HEARTBEAT, {"id": agent["createAgent"]["agent"]["id"], "runState": "{}"}),
    ]
    for query, variables in attempts:
        status, answer = call(roost_server, query, variables, bob)
        assert status in (200, 403) and "sweep-outsider" in error_of(answer), answer
    got = ok(roost_server, GET_SWEEP, {"name": created["name"], "project": unique,
                                       "entity": "admin"})["project"]["sweep"]
    assert got["state"] == "RUNNING" and got["runCount"] == 0
    assert len(got["agents"]["edges"]) == 1 and total_sweeps(roost_server, unique) == 1
