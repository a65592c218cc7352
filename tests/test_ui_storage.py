"""The web UI's own storage reads (core/ui_storage.py) give the same answers on SQLite,
PostgreSQL and MySQL/MariaDB: projects with activity, recent runs, search, the column
chooser's keys and group-by counts filtered with the Public API's language."""

from __future__ import annotations

import json

import pytest

from roost.core.errors import InvalidArgument
from roost.core.history import build_update
from storage_fixtures import backend_params, temporary_database

pytestmark = [pytest.mark.xdist_group("ui-storage")]


@pytest.fixture(scope="module", params=backend_params())
def storage(request, tmp_path_factory):
    from roost.plugins.sql.store import SqlStorage

    with temporary_database(request.param, tmp_path_factory.mktemp("ui-store")) as url:
        store = SqlStorage(url)
        user = store.create_user("alice", "", None, False)
        configs = [({"lr": {"value": 0.1, "desc": None}, "model": {"depth": 2, "act": "relu"},
                     "amp": True, "_wandb": {"x": 1}}, {"loss": 0.5, "img": {"_type": "image-file"}}),
                   ({"lr": {"value": 0.1, "desc": None}, "model": {"depth": 3}, "amp": False},
                    {"loss": 0.25, "acc": 0.9}),
                   ({"lr": {"value": 0.01, "desc": None}, "model": {"depth": "deep"},
                     "layers": [1, 2]}, {"loss": 0.75}),
                   ({"model": {"act": "tanh"}}, {})]
        for i, (config, summary) in enumerate(configs):
            run, _ = store.upsert_run("alice", "vision", f"run-{i}", None, {
                "display_name": f"Run Number {i}", "config": json.dumps(config),
                "summary_metrics": json.dumps(summary)}, user["id"])
        store.upsert_run("alice", "nlp", "other", None, {"display_name": "Translate"},
                         user["id"])
        store.apply_file_stream(run["id"], build_update({}, [], True, 1, False))
        yield store
        store.close()


def ids(storage, entity="alice"):
    return {p["name"]: p["id"] for p in storage.entity_projects(entity)}


def test_entity_projects_with_run_counts_and_activity(storage):
    projects = {p["name"]: p for p in storage.entity_projects("alice")}
    assert set(projects) == {"nlp", "vision"}
    assert projects["vision"]["run_count"] == 4 and projects["nlp"]["run_count"] == 1
    assert projects["vision"]["last_run_at"] >= projects["vision"]["created_at"] > 0
    assert projects["vision"]["entity_kind"] == "user" and projects["vision"]["visibility"] == ""
    assert storage.entity_projects("nobody") == []


def test_recent_runs_latest_heartbeat_first(storage):
    recent = storage.recent_runs(list(ids(storage).values()), 3)
    assert len(recent) == 3
    beats = [r["heartbeat_at"] for r in recent]
    assert beats == sorted(beats, reverse=True)
    assert recent[0]["name"] == "run-3"  # finished last
    assert storage.recent_runs([], 3) == []


def test_search_by_name_or_display_name_in_any_case(storage):
    every = list(ids(storage).values())
    assert {r["name"] for r in storage.search_runs(every, "number", 10)} == {
        "run-0", "run-1", "run-2", "run-3"}
    assert [r["name"] for r in storage.search_runs(every, "TRANS", 10)] == ["other"]
    assert [r["name"] for r in storage.search_runs(every, "run-2", 10)] == ["run-2"]
    assert storage.search_runs(every, "%", 10) == []  # LIKE wildcards are literal
    assert storage.search_runs([ids(storage)["nlp"]], "number", 10) == []


def test_project_keys_unwrap_config_and_skip_media(storage):
    keys = storage.project_keys(ids(storage)["vision"], 100)
    assert keys["config"] == ["amp", "layers", "lr", "model.act", "model.depth"]
    assert keys["summary"] == ["acc", "loss"]
    assert keys["varying"] == ["amp", "lr", "model.act", "model.depth"]


def test_group_runs_counts_values_in_the_database(storage):
    groups = storage.group_runs("alice", "vision", "config.model.depth", "", 0)
    assert groups == [{"kind": "number", "value": 2, "count": 1},
                      {"kind": "number", "value": 3, "count": 1},
                      {"kind": "string", "value": "deep", "count": 1},
                      {"kind": "missing", "value": None, "count": 1}]
    lr = storage.group_runs("alice", "vision", "config.lr", "", 0)
    assert [(g["value"], g["count"]) for g in lr] == [(0.01, 1), (0.1, 2), (None, 1)]
    amp = storage.group_runs("alice", "vision", "config.amp", "", 0)
    assert [(g["kind"], g["value"], g["count"]) for g in amp] == [
        ("boolean", True, 1), ("boolean", False, 1), ("missing", None, 2)]
    layers = storage.group_runs("alice", "vision", "config.layers", "", 0)
    assert [(g["kind"], g["count"]) for g in layers] == [("other", 1), ("missing", 3)]
    filtered = storage.group_runs("alice", "vision", "config.lr",
                                  json.dumps({"summary_metrics.loss": {"$lt": 0.6}}), 0)
    assert [(g["value"], g["count"]) for g in filtered] == [(0.1, 2)]
    assert storage.group_runs("alice", "vision", "summary_metrics.acc", "", 0)[0]["value"] == 0.9
    assert storage.group_runs("alice", "nowhere", "config.lr", "", 0) == []


def test_group_runs_refuses_what_it_cannot_group_by(storage):
    with pytest.raises(InvalidArgument, match="config"):
        storage.group_runs("alice", "vision", "state", "", 0)
    with pytest.raises(InvalidArgument, match="operator"):
        storage.group_runs("alice", "vision", "config.lr", '{"config.lr": {"$near": 1}}', 0)
