"""The wandb write path, driven by the real SDK (each version in SDK_VERSIONS) against a real
``roost serve``; every test asserts what landed in storage.

Each SDK script runs once per version (module fixtures) and several tests read its results,
so one version's whole write path costs a handful of SDK processes.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from harness import run_cli, run_sdk

pytestmark = pytest.mark.sdk

FULL_RUN_STEPS = 2000


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def config_values(run: dict) -> dict:
    """wandb's stored config is ``{"key": {"value": v}}``: the plain values."""
    return {k: v["value"] for k, v in json.loads(run["config"]).items() if k != "_wandb"}


def assert_contiguous(lines: list[dict], count: int) -> None:
    assert [row["line"] for row in lines] == list(range(count))


def assert_history_steps(server, run: dict, count: int) -> list[dict]:
    """History holds exactly lines 0..count-1, line i being step i: nothing lost or repeated."""
    history = server.lines("history_line", run["id"])
    assert run["history_line_count"] == count
    assert_contiguous(history, count)
    assert [row["step"] for row in history] == list(range(count))
    rows = [json.loads(row["data"]) for row in history]
    assert [row["_step"] for row in rows] == list(range(count))
    return rows


def assert_file(server, run: dict, name: str, content: bytes) -> None:
    record = server.run_files(run["id"])[name]
    assert record["uploaded"]
    assert record["size"] == len(content)
    assert record["md5"] == md5_b64(content)
    assert server.media_path(record["key"]).read_bytes() == content


@pytest.fixture(scope="module")
def writer(roost_server, sdk_version) -> tuple[str, str]:
    """A non-admin user of its own per SDK version: (name, API key)."""
    name = "writer-" + sdk_version.replace(".", "-")
    return name, roost_server.create_user(name)


# -- one run using every part of the write path ----------------------------------------------
@pytest.fixture(scope="module")
def full_run(roost_server, sdk_version, writer, tmp_path_factory):
    user, key = writer
    result = run_sdk(sdk_version, "full_run", roost_server, api_key=key,
                     env={"ROOST_ENTITY": user}, args=(str(FULL_RUN_STEPS),),
                     cwd=tmp_path_factory.mktemp("full-run"))
    run = roost_server.run_record(user, "write-path", result["id"])
    assert run is not None, f"run {result['id']} is not in storage"
    return result, run


def test_login_verifies_the_key(full_run, sdk_version):
    result, _ = full_run
    assert result["version"] == sdk_version
    assert result["bad_login"] == "AuthenticationError"


def test_init_fields_and_mid_run_changes_are_stored(full_run, writer):
    result, run = full_run
    assert (result["entity"], result["project"]) == (writer[0], "write-path")
    assert run["display_name"] == "every field"
    assert run["group_name"] == "group-a"
    assert run["job_type"] == "train"
    assert run["notes"] == "changed notes"
    assert json.loads(run["tags"]) == ["baseline", "sdk", "added-mid-run"]
    config = config_values(run)
    assert config["optimizer"] == {"name": "adam", "betas": [0.9, 0.99]}
    assert config["lr"] == 0.05
    assert config["added_mid_run"] is True
    assert "cli_version" in json.loads(run["config"])["_wandb"]["value"]


def test_finish_marks_the_run_finished(full_run):
    _, run = full_run
    assert run["state"] == "finished"
    assert run["exitcode"] == 0


def test_every_logged_step_is_stored_once_in_order(roost_server, full_run):
    _, run = full_run
    rows = assert_history_steps(roost_server, run, FULL_RUN_STEPS)
    sample = rows[1234]
    assert sample["loss"] == pytest.approx(1 / 1235)
    assert sample["nested"] == {"a": 1234, "deep": {"b": 2468}}
    keys = json.loads(run["history_keys"])
    assert keys["lastStep"] == FULL_RUN_STEPS - 1
    layers = [f"layer_{i}/grad_norm" for i in range(40)]
    for key in ("loss", "acc", "nested.a", "nested.deep.b", *layers):
        assert keys["keys"][key]["typeCounts"] == [{"type": "number", "count": FULL_RUN_STEPS}]
    assert sample["layer_39/grad_norm"] == pytest.approx(1234.39)


def test_summary_holds_the_last_values_and_explicit_updates(full_run):
    _, run = full_run
    summary = json.loads(run["summary"])
    assert summary["_step"] == FULL_RUN_STEPS - 1
    assert summary["loss"] == pytest.approx(1 / FULL_RUN_STEPS)
    assert summary["nested"] == {"a": FULL_RUN_STEPS - 1, "deep": {"b": 2 * (FULL_RUN_STEPS - 1)}}
    assert summary["best_acc"] == 0.97
    assert summary["final"] == {"score": 42}


def test_console_keeps_stdout_stderr_and_the_rewritten_line(roost_server, full_run):
    _, run = full_run
    lines = roost_server.lines("console_line", run["id"])
    assert_contiguous(lines, run["log_line_count"])
    # wandb's legacy console format: "<ts> text", stderr as "ERROR <ts> text".
    texts = [row["data"].split(" ", 2)[2] if row["data"].startswith("ERROR ")
             else row["data"].split(" ", 1)[1] for row in lines]
    assert texts == ["hello from stdout", "oops on stderr", "progress 100%", "after the bar"]
    assert lines[1]["data"].startswith("ERROR ")
    assert not lines[0]["data"].startswith("ERROR ")


def test_system_metrics_are_stored_as_events(roost_server, full_run):
    _, run = full_run
    events = roost_server.lines("event_line", run["id"])
    assert len(events) >= 2, "sampling every 0.2 s over a run of several seconds"
    assert run["events_line_count"] == len(events)
    assert_contiguous(events, len(events))
    for row in events:
        sample = json.loads(row["data"])
        assert sample["_wandb"] is True
        assert any(key.startswith("system.") for key in sample)
    assert json.loads(run["system_metrics"]) == json.loads(events[-1]["data"])


def test_saved_files_land_with_their_bytes(roost_server, full_run):
    result, run = full_run
    assert_file(roost_server, run, "now.txt", b"saved right now\n")
    # The live file reached the server while the run was going, twice: once as first
    # written and again after it changed (the script waited for each version).
    assert len(result["live_seconds"]) == 2
    assert_file(roost_server, run, "live.txt", b"live version 2, longer than the first\n")
    files = roost_server.run_files(run["id"])
    for name in ("wandb-summary.json", "config.yaml", "output.log", "wandb-metadata.json"):
        assert files[name]["uploaded"], name
    summary_file = roost_server.media_path(files["wandb-summary.json"]["key"]).read_bytes()
    assert json.loads(summary_file)["best_acc"] == 0.97


def test_saved_file_downloads_with_the_key(roost_server, full_run, writer):
    result, _ = full_run
    path = f"/files/{result['entity']}/{result['project']}/{result['id']}/now.txt"
    status, body = roost_server.request("GET", path, api_key=writer[1])
    assert (status, body) == (200, b"saved right now\n")
    status, _ = roost_server.request("GET", path)
    assert status == 401


# -- default entity and a failing exit code --------------------------------------------------
def test_no_entity_means_the_users_own_and_exit_code_1_fails_the_run(
        roost_server, sdk_version, writer, tmp_path):
    user, key = writer
    result = run_sdk(sdk_version, "default_entity", roost_server, api_key=key, cwd=tmp_path)
    assert (result["entity"], result["project"]) == (user, "no-entity")
    run = roost_server.run_record(user, "no-entity", result["id"])
    assert run["state"] == "failed"
    assert run["exitcode"] == 1
    assert_history_steps(roost_server, run, 5)
    assert "about to fail" in roost_server.lines("console_line", run["id"])[0]["data"]


# -- resume --------------------------------------------------------------------------------------
def resume_run(server, version, key, tmp_path, run_id, missing_id, stats=False) -> dict:
    return run_sdk(version, "resume", server, api_key=key, cwd=tmp_path,
                   args=(run_id, missing_id) + (("stats",) if stats else ()))


def test_resume_allow_must_continue_history_and_never_must_refuse(
        roost_server, sdk_version, writer, tmp_path):
    user, key = writer
    run_id, missing_id = f"resume{sdk_version.replace('.', '')}", "neverwas" + sdk_version[-1]
    result = resume_run(roost_server, sdk_version, key, tmp_path, run_id, missing_id)
    assert [s["resumed"] for s in result["segments"]] == [False, True, True]
    run = roost_server.run_record(user, "resume", run_id)
    rows = assert_history_steps(roost_server, run, 25)
    assert [row["x"] for row in rows] == list(range(25))
    assert [row["segment"] for row in rows] == ["first"] * 10 + ["second"] * 10 + ["third"] * 5
    assert json.loads(run["summary"])["_step"] == 24
    assert run["state"] == "finished"
    console = [row["data"] for row in roost_server.lines("console_line", run["id"])]
    if sdk_version.startswith("0.21."):
        # wandb 0.21 restarts output.log at line 0 on resume (client behaviour, see
        # PROTOCOL.md): each segment's line replaced the one before.
        assert [line.split(" ", 1)[1] for line in console] == ["console from third"]
    else:
        assert [line.split(" ", 1)[1] for line in console] == [
            "console from first", "console from second", "console from third"]

    assert result["never_existing"].startswith("UsageError")
    assert run_id in result["never_existing"]
    assert result["must_missing"].startswith("UsageError")
    assert missing_id in result["must_missing"]
    assert roost_server.run_record(user, "resume", missing_id) is None


def test_resumed_run_with_system_metrics_keeps_all_history(
        roost_server, sdk_version, writer, tmp_path):
    """wandb 0.21 restarts its system-metrics line numbers at 0 on resume; the server stores
    them after the existing lines instead of refusing them (which would drop the stream)."""
    user, key = writer
    run_id = f"resumestats{sdk_version.replace('.', '')}"
    resume_run(roost_server, sdk_version, key, tmp_path, run_id, "neverwasstats", stats=True)
    run = roost_server.run_record(user, "resume", run_id)
    assert_history_steps(roost_server, run, 25)
    events = roost_server.lines("event_line", run["id"])
    assert len(events) >= 3
    assert_contiguous(events, run["events_line_count"])
    assert run["state"] == "finished"


def test_exception_fails_the_run_and_resume_auto_continues_it(
        roost_server, sdk_version, writer, tmp_path):
    user, key = writer
    crashed = run_sdk(sdk_version, "auto_resume", roost_server, api_key=key, cwd=tmp_path,
                      args=("crash",), check=False)
    assert crashed["_exit_code"] != 0
    assert "the training script crashed" in crashed["_stderr"]
    first = crashed["_value"]
    run = roost_server.run_record(user, "auto-resume", first["id"])
    assert run["state"] == "failed"
    assert run["exitcode"] == 1
    assert_history_steps(roost_server, run, 5)

    # Same directory: wandb finds the crashed run's id in its resume file.
    second = run_sdk(sdk_version, "auto_resume", roost_server, api_key=key, cwd=tmp_path,
                     args=("resume",))
    assert second["id"] == first["id"]
    assert second["resumed"] is True
    run = roost_server.run_record(user, "auto-resume", first["id"])
    rows = assert_history_steps(roost_server, run, 10)
    assert [row["mode"] for row in rows] == ["crash"] * 5 + ["resume"] * 5
    assert run["state"] == "finished"
    assert run["exitcode"] == 0


# -- offline, then wandb sync ----------------------------------------------------------------
def test_offline_run_lands_only_after_wandb_sync(roost_server, sdk_version, writer, tmp_path):
    user, key = writer
    result = run_sdk(sdk_version, "offline", roost_server, api_key=key, cwd=tmp_path,
                     env={"WANDB_MODE": "offline"})
    assert not roost_server.query("SELECT id FROM run WHERE name = ?", (result["id"],))

    run_cli(sdk_version, roost_server, ["sync", result["sync_dir"]], cwd=tmp_path, api_key=key)

    run = roost_server.run_record(user, "offline", result["id"])
    assert run is not None, "wandb sync did not create the run"
    rows = assert_history_steps(roost_server, run, 50)
    assert rows[49]["y"] == 24.5 and rows[49]["nested"] == {"z": 49}
    assert json.loads(run["summary"])["note"] == "synced later"
    assert config_values(run)["mode"] == "offline"
    assert json.loads(run["tags"]) == ["offline"]
    console = roost_server.lines("console_line", run["id"])
    assert any("offline console line" in row["data"] for row in console)
    assert_file(roost_server, run, "offline.txt", b"offline file bytes\n")
    assert run["state"] == "finished"
    assert run["exitcode"] == 0
