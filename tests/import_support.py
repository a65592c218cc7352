"""Shared by the import and export/restore tests: source data written fast through the wandb
protocol (GraphQL upsertBucket + file_stream in big chunks, no SDK), running `roost import`
against a target, and what to compare between two servers."""

from __future__ import annotations

import json
import random
import subprocess

from harness import RoostServer, roost_executable, run_sdk

UPSERT = """mutation Upsert($name: String!, $project: String, $entity: String) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity}) {
    bucket { id name } } }"""
KEYS = ("loss", "acc", "lr")


def history_lines(start: int, count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed * 1_000_003 + start)
    return [json.dumps({**{key: rng.random() for key in KEYS}, "_step": step,
                        "_runtime": step * 0.1, "_timestamp": 1.7e9 + step})
            for step in range(start, start + count)]


def create_run(server: RoostServer, project: str, name: str, api_key: str | None = None,
               entity: str = "admin") -> None:
    server.graphql(UPSERT, {"name": name, "project": project, "entity": entity}, api_key)


def stream(server: RoostServer, project: str, name: str, history: tuple[int, list[str]] = None,
           console: tuple[int, list[str]] = None, complete: bool = False) -> None:
    files = {}
    if history:
        files["wandb-history.jsonl"] = {"offset": history[0], "content": history[1]}
    if console:
        files["output.log"] = {"offset": console[0], "content": console[1]}
    body = {"files": files}
    if complete:
        body.update(complete=True, exitcode=0)
    status, text = server.request("POST", f"/files/admin/{project}/{name}/file_stream",
                                  server.admin_key, body)
    assert status == 200, text


def fill(server: RoostServer, project: str, runs: int, steps: int) -> list[str]:
    """``runs`` finished runs of ``steps`` history rows (and a console line each)."""
    names = [f"run{i:03d}" for i in range(runs)]
    for index, name in enumerate(names):
        create_run(server, project, name)
        for start in range(0, steps, 2000):
            stream(server, project, name, (start, history_lines(start, min(2000, steps - start),
                                                               index)))
        stream(server, project, name, console=(0, [f"{name} done"]), complete=True)
    return names


def import_argv(source: RoostServer, target: RoostServer, *args: str) -> list[str]:
    return [roost_executable(), "import", "--from", source.url, "--from-api-key",
            source.admin_key, *args, *target._storage_args()]


def run_import(source: RoostServer, target: RoostServer, *args: str,
               check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(import_argv(source, target, *args), capture_output=True, text=True,
                            env=target.env, timeout=600, cwd=target.log_dir)
    if check and result.returncode != 0:
        raise AssertionError(f"roost import exited {result.returncode}:\n{result.stdout}\n"
                             f"{result.stderr[-5000:]}")
    return result


def snapshot(server: RoostServer, project: str, version: str = "0.31.0") -> dict:
    """What wandb.Api() reads of the project (tests/sdk_scripts/import_snapshot.py)."""
    return snapshots(server, project, version=version)[project]


def snapshots(server: RoostServer, *projects: str, version: str = "0.31.0") -> dict:
    """``snapshot`` of several projects of admin's in one SDK process."""
    return run_sdk(version, "import_snapshot", server, api_key=server.admin_key,
                   args=["admin", *projects], timeout=300)


CONSOLE = """query Console($project: String!, $run: String!) {
  project(name: $project, entityName: "admin") { run(name: $run) {
    logLineCount logLines(first: 10000) { edges { node { line } } } } } }"""


def console(server: RoostServer, project: str, run: str) -> list[str]:
    found = server.graphql(CONSOLE, {"project": project, "run": run})
    node = found["data"]["project"]["run"]
    return [edge["node"]["line"] for edge in node["logLines"]["edges"]]


def stored_counts(server: RoostServer) -> dict[str, tuple]:
    """Rows and the highest id per table that an import writes: a pass that adds nothing
    leaves them all as they were."""
    counts = {}
    for table in ("run", "history_line", "event_line", "console_line", "run_file", "artifact",
                  "artifact_file", "blob", "artifact_alias", "artifact_use", "sweep"):
        rows = server.query(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]
        counts[table] = rows
    counts["run_updated"] = tuple(r["updated_at"] for r in server.query(
        "SELECT updated_at FROM run ORDER BY id"))
    return counts
