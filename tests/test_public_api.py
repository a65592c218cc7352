"""The Public API (wandb.Api()) of each SDK version against a real ``roost serve``, on runs
logged by the real SDK: projects, runs pages/filters/orders, one run's fields, history in
every shape both clients ask for, files, console, edits and deletion; and dr-wandb's
``wandb-export`` (built on wandb.Api()) unchanged.

The runs come from tests/sdk_scripts/read_log_runs.py: run i has config lr = i/10,
opt.beta = i, arch cnn (even) / mlp (odd), tags even|odd and t<i>, group g-even and job type
train for even runs (eval for odd), summary best = 2 i, and STEPS steps of loss = 1/(step+1) + i
and acc = step/STEPS; run 0 has a spike (loss 1000 at step 7), a NaN ("weird" at step 5), a
string ("label" at step 3); eval/loss every 10 steps.
"""

from __future__ import annotations

import base64
import json
import math
import os
from pathlib import Path

import pytest

from harness import REPO, SdkError, result_of, run_in_own_group, run_sdk, sdk_env

pytestmark = pytest.mark.sdk

PROJECT = "read-api"
COUNT, STEPS = 5, 30


def ids(*indexes: int, suffix: str) -> list[str]:
    return [f"r{i}-{suffix}" for i in indexes]


def loss(i: int, step: int) -> float:
    return 1000.0 if (i, step) == (0, 7) else 1.0 / (step + 1) + i


@pytest.fixture(scope="module")
def reader(roost_server, sdk_version) -> tuple[str, str, str]:
    """(user, API key, run id suffix) of a user of its own per SDK version."""
    name = "reader-" + sdk_version.replace(".", "-")
    return name, roost_server.create_user(name), sdk_version.replace(".", "")


@pytest.fixture(scope="module")
def logged(roost_server, sdk_version, reader, tmp_path_factory) -> dict:
    user, key, suffix = reader
    return run_sdk(sdk_version, "read_log_runs", roost_server, api_key=key,
                   env={"READ_SUFFIX": suffix}, args=(PROJECT, str(COUNT), str(STEPS)),
                   timeout=300, cwd=tmp_path_factory.mktemp("read-log"))


@pytest.fixture(scope="module")
def reads(roost_server, sdk_version, reader, logged, tmp_path_factory) -> dict:
    user, key, suffix = reader
    return run_sdk(sdk_version, "read_api", roost_server, api_key=key,
                   env={"READ_SUFFIX": suffix}, args=(user, PROJECT), timeout=300,
                   cwd=tmp_path_factory.mktemp("read-api"))


@pytest.fixture(scope="module")
def edits(roost_server, sdk_version, reader, reads, tmp_path_factory) -> dict:
    """Runs after ``reads`` (it changes r1 and deletes r2)."""
    user, key, suffix = reader
    return run_sdk(sdk_version, "read_api_edit", roost_server, api_key=key,
                   env={"READ_SUFFIX": suffix}, args=(user, PROJECT), timeout=300,
                   cwd=tmp_path_factory.mktemp("read-edit"))


# -- projects and runs ------------------------------------------------------------------------
def test_projects_and_project(reads, reader, sdk_version):
    assert reads["version"] == sdk_version
    assert reads["projects"] == [PROJECT]
    assert reads["project"]["name"] == PROJECT and reads["project"]["entity"] == reader[0]
    assert reads["project"]["created_at"].startswith("20")


def test_runs_come_in_pages_with_their_length(reads, reader):
    suffix = reader[2]
    assert reads["paged"] == {"len": COUNT, "ids": ids(*range(COUNT), suffix=suffix)}
    assert reads["default_order"] == ids(*range(COUNT), suffix=suffix)


FILTERED = {
    "none": [], "one": [2], "all": [0, 1, 2, 3, 4], "value_suffix": [2, 3, 4], "nested": [1, 3],
    "regex_name": [1, 3], "tags": [1, 3], "or": [0, 1, 2, 3, 4], "nor": [1, 3],
    "summary": [2, 3, 4], "summary_nested_key": [0, 1, 2, 3, 4], "exists": [0, 1, 2, 3, 4],
    "names": [], "created": [0, 1, 2, 3, 4],
}


@pytest.mark.parametrize("label", sorted(FILTERED))
def test_filters_match_none_one_and_all(reads, reader, label):
    expected = ids(*FILTERED[label], suffix=reader[2])
    assert reads[f"filter_{label}"] == {"len": len(expected), "ids": expected}


ORDERED = {
    "+created_at": [0, 1, 2, 3, 4], "-created_at": [4, 3, 2, 1, 0],
    "-heartbeat_at": [4, 3, 2, 1, 0], "+config.lr.value": [0, 1, 2, 3, 4],
    "-summary_metrics.best": [4, 3, 2, 1, 0], "+summary_metrics.best": [0, 1, 2, 3, 4],
}


@pytest.mark.parametrize("order", sorted(ORDERED))
def test_orders_across_pages(reads, reader, order):
    assert reads[f"order_{order}"] == ids(*ORDERED[order], suffix=reader[2])


@pytest.mark.parametrize("label,message", [
    ("bad_filter", "unknown filter operator '$near' on 'config.lr'"),
    ("bad_field", "unknown run field 'colour'"),
    ("bad_order", "unknown order '-favourite'"),
])
def test_what_the_server_does_not_understand_is_an_error_naming_it(reads, label, message):
    assert "error" in reads[label], f"{label} returned {reads[label]!r} instead of an error"
    assert message in reads[label]["error"]


# -- one run ----------------------------------------------------------------------------------
def test_run_fields(reads, reader):
    user, _, suffix = reader
    run = reads["run"]
    assert run["id"] == f"r0-{suffix}" and run["name"] == "run-0"
    assert run["state"] == "finished"
    assert run["config"] == {"lr": 0, "opt": {"beta": 0}, "arch": "cnn"}
    assert run["tags"] == ["even", "t0"]
    assert (run["notes"], run["group"], run["job_type"]) == ("note 0", "g-even", "train")
    assert run["user"] == [user, user]
    assert run["created_at"].startswith("20") and run["heartbeat_at"] >= run["created_at"]
    assert run["summary"]["best"] == 0 and run["summary"]["_step"] == STEPS - 1
    assert math.isnan(run["summary"]["weird"])  # as logged
    assert any(key.startswith("system.") for key in run["system_metric_keys"])
    assert run["history_keys"]["lastStep"] == STEPS - 1 == run["last_history_step"]
    assert {"loss", "acc", "eval/loss", "label", "weird"} <= set(run["history_keys"]["keys"])
    assert base64.b64decode(run["storage_id"]).startswith(b"Run:")


def test_sampled_history_of_keys(reads):
    assert reads["sampled"] == [{"_step": s, "loss": loss(0, s)} for s in range(STEPS)]
    few = reads["sampled_few"]
    steps = [row["_step"] for row in few]
    assert len(few) <= 10 and {0, 7, STEPS - 1} <= set(steps), "ends and the spike survive"
    assert all(row["loss"] == loss(0, row["_step"]) for row in few)
    # Raw JSON cannot carry NaN: it comes as W&B sends it, the string "NaN".
    assert reads["sampled_nan"] == [{"_step": 5, "weird": "NaN"}]


def test_full_history_and_system_metrics(reads):
    full = reads["full"]
    assert [row["_step"] for row in full] == list(range(STEPS))
    assert full[3]["label"] == "three" and math.isnan(full[5]["weird"])
    assert [row["loss"] for row in full] == [loss(0, s) for s in range(STEPS)]
    few = [row["_step"] for row in reads["full_few"]]
    assert len(few) == 5 and few[0] == 0 and few[-1] == STEPS - 1
    assert reads["system"] and all(any(k.startswith("system.") for k in row)
                                   for row in reads["system"])


def test_scan_history_pages(reads):
    scan = reads["scan"]
    assert [row["_step"] for row in scan] == list(range(STEPS)), "every step once, in order"
    assert scan[7]["loss"] == 1000.0 and math.isnan(scan[5]["weird"])
    # With keys both clients page through sampledHistory (0.31: inclusive maxStep).
    assert [(row.get("_step", s), row["loss"]) for s, row in enumerate(reads["scan_keys"])] == [
        (s, loss(0, s)) for s in range(STEPS)]
    assert reads["scan_range"] == list(range(3, 9))
    assert [row["acc"] for row in reads["scan_range_keys"]] == [s / STEPS for s in range(3, 9)]
    assert [row["eval/loss"] for row in reads["scan_sparse"]] == [0.0, 0.1, 0.2]


def test_files_download_and_console(reads, sdk_version):
    assert {"notes.txt", "output.log", "wandb-summary.json", "config.yaml"} <= set(reads["files"])
    assert reads["files_paged"] == reads["files"]
    assert reads["download"] == "notes of run 0\n"
    if sdk_version.startswith("0.31"):
        assert any(line.endswith("console line of run 0") for line in reads["console"])
        assert len(reads["console_last"]) == 1
    assert reads["wait"] == "finished"


# -- edits --------------------------------------------------------------------------------------
def test_update_changes_what_is_read_and_filtered(edits, reader):
    updated = edits["updated"]
    assert updated["config"] == {"lr": 0.55, "opt": {"beta": 1}, "arch": "mlp",
                                 "added": {"x": 1}}
    assert (updated["summary_best"], updated["summary_extra"]) == (99, "yes")
    assert updated["tags"] == ["odd", "t1", "edited"]
    assert (updated["notes"], updated["name"]) == ("edited notes", "renamed")
    assert (updated["group"], updated["job_type"]) == ("g-edited", "jt-edited")
    assert edits["found_by_new_values"] == [f"r1-{reader[2]}"]


def test_upload_file(edits):
    assert edits["uploaded"] == {"name": "uploaded.txt", "size": 32}
    assert "uploaded.txt" in edits["updated"]["files"]


def test_create_run(edits):
    created = edits["created"]
    assert created["found"] == created["id"] and created["state"] == "running"


def test_delete_removes_the_run_its_rows_and_its_bytes(roost_server, edits, reader):
    user, _, suffix = reader
    assert f"r2-{suffix}" not in edits["after_delete"]
    assert f"r0-{suffix}" in edits["after_delete"]
    assert "Could not find run" in edits["deleted_lookup"]
    run_id = int(base64.b64decode(edits["victim_storage_id"]).decode().split(":")[1])
    assert roost_server.run_record(user, PROJECT, f"r2-{suffix}") is None
    for table in ("history_line", "event_line", "console_line", "history_rollup",
                  "history_key"):
        assert roost_server.query(f"SELECT COUNT(*) AS n FROM {table} WHERE run = ?",
                                  (run_id,))[0]["n"] == 0, table
    assert roost_server.query("SELECT COUNT(*) AS n FROM run_file WHERE run_id = ?",
                              (run_id,))[0]["n"] == 0
    media = roost_server.data_dir / "media" / "runs" / str(run_id)
    assert not media.exists() or not any(media.iterdir()), "stored bytes remain"


# -- dr-wandb -------------------------------------------------------------------------------------
def dr_wandb_export() -> str | None:
    """dr-wandb's ``wandb-export``: ROOST_TEST_DR_WANDB, else .venv-dr-wandb at the repository
    root (``python3.12 -m venv .venv-dr-wandb && .venv-dr-wandb/bin/pip install dr-wandb``;
    dr-wandb needs Python 3.12)."""
    path = os.environ.get("ROOST_TEST_DR_WANDB") or str(REPO / ".venv-dr-wandb" / "bin"
                                                       / "wandb-export")
    return path if Path(path).exists() else None


def export(server, key: str, user: str, data_root: Path, home: Path) -> dict:
    completed = run_in_own_group(
        [dr_wandb_export(), user, "dr-export", "--name", "nightly", "--data-root",
         str(data_root), "--mode", "history", "--runs-per-page", "2"],
        home, sdk_env(server, key, home, {"DR_WANDB_LOG_LEVEL": "WARNING"}), 300)
    if completed.returncode != 0:
        raise SdkError(f"wandb-export exited {completed.returncode}:\n{completed.stdout[-5000:]}"
                       f"\n{completed.stderr[-5000:]}")
    folder = data_root / "nightly"
    read = lambda name: [json.loads(line) for line in (folder / name).read_text().splitlines()]
    return {"runs": read("runs.jsonl"), "history": read("history.jsonl"),
            "state": json.loads((folder / "state.json").read_text())}


def test_dr_wandb_exports_runs_and_history_incrementally(roost_server, tmp_path):
    if dr_wandb_export() is None:
        pytest.skip(dr_wandb_export.__doc__.replace("\n", " "))
    user = "dr-wandb-user"
    key = roost_server.create_user(user)
    log = lambda first, count: run_sdk(
        "0.31.0", "read_log_runs", roost_server, api_key=key, args=("dr-export", str(count), "6"),
        env={"READ_SUFFIX": "dr", "READ_NO_NAN": "1", "READ_FIRST": str(first)},
        timeout=300, cwd=tmp_path / "log")
    log(0, 3)
    first = export(roost_server, key, user, tmp_path / "data", tmp_path / "home")
    assert sorted(r["run"]["run_id"] for r in first["runs"]) == ["r0-dr", "r1-dr", "r2-dr"]
    by_run = {r["run"]["run_id"]: r["run"] for r in first["runs"]}
    assert by_run["r1-dr"]["config"] == {"lr": 0.1, "opt": {"beta": 1}, "arch": "mlp"}
    assert by_run["r1-dr"]["history_keys"]["lastStep"] == 5
    assert sorted((h["run_id"], h["step"]) for h in first["history"]) == [
        (f"r{i}-dr", s) for i in range(3) for s in range(6)]
    row = next(h for h in first["history"] if (h["run_id"], h["step"]) == ("r2-dr", 4))
    assert row["metrics"]["loss"] == loss(2, 4) and row["metrics"]["acc"] == 4 / 6
    # The next export fetches runs created since (createdAt $gte) and merges their history.
    log(3, 1)
    second = export(roost_server, key, user, tmp_path / "data", tmp_path / "home")
    assert sorted(r["run"]["run_id"] for r in second["runs"]) == [f"r{i}-dr" for i in range(4)]
    assert len(second["history"]) == 4 * 6
    assert second["state"]["runs"]["r3-dr"]["last_history_step"] == 5
