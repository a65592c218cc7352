"""`roost import` between two real Roost servers (docs/import.md).

The source is filled through both wandb SDKs (runs with history, media, console, files,
artifacts with aliases and lineage, a sweep); after `roost import` every Public API read of the
target (tests/sdk_scripts/import_snapshot.py, run by wandb 0.31) equals the source's. Then: a
second import adds nothing, an import killed half-way and run again ends equal, a run still
logging in the source is caught up, and bad input gets a clear refusal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from harness import SDK_VERSIONS, RoostServer, sdk_problem, stop_process_group
from import_support import (console, create_run, fill, history_lines, import_argv,
                            run_import, snapshot, snapshots, stored_counts, stream)

pytestmark = [pytest.mark.sdk, pytest.mark.xdist_group("import")]


def project_of(version: str) -> str:
    return "imp-" + version.replace(".", "-")


# Session-scoped: ungrouped tests that xdist puts on this worker between two of these would
# otherwise tear module fixtures down and fill the source again.
@pytest.fixture(scope="session")
def source():
    server = RoostServer().start()
    try:
        from harness import run_sdk
        for version in SDK_VERSIONS:
            if sdk_problem(version):
                pytest.skip(sdk_problem(version))
            run_sdk(version, "import_source", server, api_key=server.admin_key,
                    args=[project_of(version)], timeout=300)
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def target():
    server = RoostServer().start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def imported(source, target):
    result = run_import(source, target, "admin", "--jobs", "2")
    return result


def test_every_public_api_read_of_the_target_equals_the_source(source, target, imported):
    projects = [project_of(version) for version in SDK_VERSIONS]
    sources, targets = snapshots(source, *projects), snapshots(target, *projects)
    for project in projects:
        before, after = sources[project], targets[project]
        # The data is what the test means it to be, not two empty answers.
        runs = {run["id"]: run for run in before["runs"]}
        assert len(runs) == 3 and sum(len(r["history"]) for r in runs.values()) == 41 + 25 + 1
        assert any(name.startswith("media/images/") for r in runs.values()
                   for name, _, _ in r["files"])
        assert {a["name"]: a["aliases"] for a in before["artifacts"]} == {
            "dataset:v0": ["best"], "dataset:v1": ["fresh", "latest"],
            "model:v0": ["latest", "production"]}
        assert any(a["used_by"] for a in before["artifacts"])
        assert before["sweeps"] and before["sweeps"][0]["runs"]
        assert after == before, project
        for run in runs:
            assert console(target, project, run) == console(source, project, run)
    assert "failed:" not in imported.stdout, imported.stdout


def test_a_shared_blob_is_stored_once(target, imported):
    # dataset v0 and v1 both hold a.txt: one blob row, two file rows.
    rows = target.query("SELECT blob_md5, COUNT(*) AS n FROM artifact_file "
                        "GROUP BY blob_md5 HAVING COUNT(*) > 1")
    assert rows and all(target.query("SELECT COUNT(*) AS n FROM blob WHERE md5 = ?",
                                     (row["blob_md5"],))[0]["n"] == 1 for row in rows)


def test_a_second_import_adds_nothing(source, target, imported):
    before = stored_counts(target)
    again = run_import(source, target, "admin")
    assert "imported 0 runs (6 unchanged" in again.stdout, again.stdout
    assert "0 artifact versions" in again.stdout
    assert stored_counts(target) == before


def test_dry_run_counts_and_writes_nothing(source, target):
    result = run_import(source, target, "admin/" + project_of(SDK_VERSIONS[0]), "--into",
                        "admin/dry", "--dry-run")
    assert "3 runs (3 to import, 0 unchanged), 67 history rows" in result.stdout, result.stdout
    assert "3 artifact versions" in result.stdout
    assert "dry run: nothing was written" in result.stdout
    assert not target.query("SELECT id FROM project WHERE name = 'dry'")


def completed_runs(server: RoostServer, project: str) -> int:
    return server.query("SELECT COUNT(*) AS n FROM import_record WHERE kind = 'run' AND "
                        "complete = 1 AND source_id LIKE ?", (f"admin/{project}/%",))[0]["n"]


def test_an_import_killed_half_way_continues_and_ends_equal(source, target):
    fill(source, "big", runs=10, steps=1500)
    process = subprocess.Popen(import_argv(source, target, "admin/big", "--jobs", "1"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=target.env, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and completed_runs(target, "big") < 2:
            time.sleep(0.05)  # killed once some runs, not all, are whole
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        stop_process_group(process)
    complete = completed_runs(target, "big")
    assert 2 <= complete < 10, "the import was not killed half-way"
    result = run_import(source, target, "admin/big")
    assert f"imported {10 - complete} runs ({complete} unchanged" in result.stdout, result.stdout
    assert snapshot(target, "big") == snapshot(source, "big")


def test_a_run_still_logging_is_caught_up(source, target):
    create_run(source, "live", "live1")
    stream(source, "live", "live1", (0, history_lines(0, 30)), (0, ["starting"]))
    run_import(source, target, "admin/live")
    assert target.run_record("admin", "live", "live1")["history_line_count"] == 30
    stream(source, "live", "live1", (30, history_lines(30, 20)), (1, ["more"]), complete=True)
    again = run_import(source, target, "admin/live")
    assert "imported 1 runs (0 unchanged" in again.stdout and "20 history rows" in again.stdout
    assert snapshot(target, "live") == snapshot(source, "live")
    assert console(target, "live", "live1") == ["starting", "more"]


def test_clashes_are_refused_or_renamed_with_into(source, target):
    project = project_of(SDK_VERSIONS[0])
    first_run = source.query("SELECT r.name FROM run r JOIN project p ON r.project_id = p.id "
                             "WHERE p.name = ? ORDER BY r.id", (project,))[0]["name"]
    create_run(target, "clash", first_run)  # a run of that name that was never imported
    refused = run_import(source, target, f"admin/{project}", "--into", "admin/clash",
                         "--no-artifacts", check=False)
    assert refused.returncode == 1
    assert f"run admin/clash/{first_run} already exists here and was not imported" in \
        refused.stdout and "--into" in refused.stdout
    target.cli("user", "add", "lab")
    moved = run_import(source, target, f"admin/{project}", "--into", "lab/moved")
    assert "imported 3 runs" in moved.stdout
    assert target.query("SELECT COUNT(*) AS n FROM run r JOIN project p ON r.project_id = p.id "
                        "WHERE p.name = 'moved'")[0]["n"] == 3


def test_bad_sources_get_clear_messages(source, target):
    argv = import_argv(source, target, "admin", "--retries", "2")
    argv[argv.index("--from-api-key") + 1] = "0" * 40
    wrong_key = subprocess.run(argv, capture_output=True, text=True, env=target.env,
                               timeout=180)
    assert wrong_key.returncode == 2 and "API key" in wrong_key.stderr, wrong_key.stderr
    argv = import_argv(source, target, "admin", "--retries", "2")
    argv[argv.index("--from") + 1] = "http://127.0.0.1:9"  # nothing listens there
    dead = subprocess.run(argv, capture_output=True, text=True, env=target.env, timeout=180)
    assert dead.returncode == 2 and "127.0.0.1:9" in dead.stderr, dead.stderr
    missing = run_import(source, target, "admin/" + project_of(SDK_VERSIONS[0]), "--into",
                         "nobody", check=False)
    assert missing.returncode == 1 and "entity 'nobody' does not exist here" in missing.stdout
    argv = import_argv(source, target, "admin")
    del argv[argv.index("--from-api-key"):argv.index("--from-api-key") + 2]
    no_key = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in target.env.items()
                                 if k != "ROOST_IMPORT_API_KEY"})
    assert no_key.returncode == 2 and "ROOST_IMPORT_API_KEY" in no_key.stderr


def test_users_are_mapped_by_name_else_to_the_importing_user_and_said_so(source, target):
    # (By e-mail: test_import_units.py; a Roost source does not serve its users' e-mails.)
    for name in ("bob", "carol"):
        source.cli("user", "add", name)
        create_run(source, "mine", f"{name}-run", source.create_key(name), entity=name)
    target.cli("user", "add", "bob")
    result = run_import(source, target, "bob/mine", "carol/mine", "--into", "admin")
    assert "user 'carol' is not known here; attributed to 'admin'" in result.stdout
    owners = {row["name"]: row["username"] for row in target.query(
        "SELECT r.name, u.username FROM run r JOIN user u ON r.user_id = u.id "
        "JOIN project p ON r.project_id = p.id WHERE p.name = 'mine'")}
    assert owners == {"bob-run": "bob", "carol-run": "admin"}
