"""Runs filters and orders compiled to SQL: the same runs, in the same order, on SQLite,
PostgreSQL and MySQL/MariaDB (ROOST_TEST_POSTGRES_URL / ROOST_TEST_MYSQL_URL), and a clear
error for anything not understood."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from roost.core.errors import InvalidArgument
from roost.core.storage import FileStreamUpdate
from roost.plugins.sql.models import Run
from roost.plugins.sql.store import SqlStorage
from storage_fixtures import backend_params, temporary_database

BASE = 1_700_000_000  # created_at of run i is BASE + 10 i + 0.5
NOW = time.time()
STALE = NOW - 300


def wrap(config: dict) -> str:
    return json.dumps({k: {"value": v, "desc": None} for k, v in config.items()}
                      | {"_wandb": {"value": {"t": {"1": [1]}}}})


# name: (config, summary text, tags, fields, state, heartbeat)
RUNS = {
    "r0": ({"lr": 0.1, "opt": {"beta": 1, "name": "adam"}, "arch": "cnn", "layers": [64, 64]},
           '{"loss": 0.5, "acc": 0.9, "eval": {"loss": 0.4}, "_wandb": {"runtime": 10}}',
           ["a", "b"], {"display_name": "alpha", "group": "g1", "job_type": "train",
                        "host": "h1", "sweep": "sw1"}, "finished", NOW),
    "r1": ({"lr": 0.01, "opt": {"beta": 2, "name": "sgd"}, "arch": "mlp"},
           '{"loss": NaN, "acc": 0.8, "_wandb": {"runtime": 20}}',
           ["b"], {"display_name": "beta", "group": "g1", "job_type": "eval"}, "failed", NOW),
    "r2": ({"lr": 1, "arch": "Cnn"},
           '{"loss": 2.0, "acc": "n/a", "_wandb": {"runtime": 30}}',
           [], {}, "running", NOW - 3600),
    "r3": ({"lr": "0.1", "arch": "rnn"}, '{"acc": null}', ["a.b", 'x"y'],
           {"display_name": "gamma-3"}, "running", NOW),
    "r4": ({}, '{"loss": -Infinity}', ["A"], {}, "finished", NOW),
}


def iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture(scope="module", params=backend_params())
def store(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        storage = SqlStorage(url)
        user = storage.create_user("alice", "", None, admin=False)
        for index, (name, (config, summary, tags, fields, state, heartbeat)) in enumerate(
                RUNS.items()):
            run, _ = storage.upsert_run("alice", "proj", name, None,
                                        {"config": wrap(config), "tags": tags, **fields},
                                        user["id"])
            storage.apply_file_stream(run["id"], FileStreamUpdate(summary=summary))
            storage.upsert_run("alice", "proj", name, None, {"state": state}, user["id"])
            with storage.db.connection_context():
                Run.update(created_at=BASE + 10 * index + 0.5, heartbeat_at=heartbeat).where(
                    Run.id == int(run["id"])).execute()
        # Another project's runs never show up.
        storage.upsert_run("alice", "other", "elsewhere", None, {"config": wrap({"lr": 0.1})},
                           user["id"])
        try:
            yield storage
        finally:
            storage.close()


def names(store, filters, order="") -> list[str]:
    runs, _, more = store.list_runs("alice", "proj", json.dumps(filters), order, "", 100, STALE)
    assert not more
    found = [run["name"] for run in runs]
    assert store.count_runs("alice", "proj", json.dumps(filters), STALE) == len(found)
    return found


CASES = [
    ({}, ["r0", "r1", "r2", "r3", "r4"]),
    ({"config.lr": 0.1}, ["r0"]),
    ({"config.lr.value": 0.1}, ["r0"]),
    ({"config.lr": {"$gt": 0.05}}, ["r0", "r2"]),  # the string "0.1" is not a number
    ({"config.lr": {"$gte": 1}}, ["r2"]),
    ({"config.lr": "0.1"}, ["r3"]),
    ({"config.lr": {"$ne": 0.1}}, ["r1", "r2", "r3", "r4"]),  # $ne matches runs without it
    ({"config.lr": {"$exists": False}}, ["r4"]),
    ({"config.lr": {"$exists": True}}, ["r0", "r1", "r2", "r3"]),
    ({"config.lr": {"$in": [0.01, 1]}}, ["r1", "r2"]),
    ({"config.lr": {"$nin": [0.01, 1]}}, ["r0", "r3", "r4"]),
    ({"config.lr": {"$gt": 0.001, "$lt": 0.5}}, ["r0", "r1"]),
    ({"config.opt.beta": 2}, ["r1"]),
    ({"config.opt.value.beta": {"$lt": 2}}, ["r0"]),
    ({"config.opt.name": {"$regex": "^a"}}, ["r0"]),
    ({"config.arch": {"$regex": "cnn"}}, ["r0"]),
    ({"config.arch": {"$regex": "cnn", "$options": "i"}}, ["r0", "r2"]),
    ({"config.arch": {"$gt": "m"}}, ["r1", "r3"]),
    ({"summary_metrics.loss": {"$lt": 1}}, ["r0"]),  # NaN and -Infinity are not numbers
    ({"summary_metrics.loss": "NaN"}, ["r1"]),
    ({"summary_metrics.loss": "-Infinity"}, ["r4"]),
    ({"summary_metrics.eval.loss": 0.4}, ["r0"]),
    ({"summary_metrics.acc": {"$gte": 0.8}}, ["r0", "r1"]),
    ({"summary_metrics.acc": "n/a"}, ["r2"]),
    ({"summary_metrics.acc": None}, ["r3", "r4"]),  # null or missing, as MongoDB
    ({"summary_metrics.acc": {"$ne": None}}, ["r0", "r1", "r2"]),
    ({"duration": {"$gt": 15}}, ["r1", "r2"]),
    ({"tags": "a"}, ["r0"]),
    ({"tags": {"$in": ["a", "A"]}}, ["r0", "r4"]),
    ({"tags": {"$nin": ["b"]}}, ["r2", "r3", "r4"]),
    ({"tags": {"$ne": "b"}}, ["r2", "r3", "r4"]),
    ({"tags": {"$regex": "^a"}}, ["r0", "r3"]),
    ({"tags": 'x"y'}, ["r3"]),
    ({"tags": {"$exists": False}}, ["r2"]),
    ({"state": "crashed"}, ["r2"]),  # running, but no heartbeat for an hour
    ({"state": "running"}, ["r3"]),
    ({"state": {"$in": ["finished", "failed"]}}, ["r0", "r1", "r4"]),
    ({"displayName": "alpha"}, ["r0"]),
    ({"display_name": "r2"}, ["r2"]),  # no display name: the run's name
    ({"display_name": {"$regex": "^(alpha|gamma)"}}, ["r0", "r3"]),
    ({"name": {"$in": ["r1", "r4", "nope"]}}, ["r1", "r4"]),
    ({"group": "g1"}, ["r0", "r1"]),
    ({"group": {"$exists": False}}, ["r2", "r3", "r4"]),
    ({"jobType": "eval"}, ["r1"]),
    ({"job_type": {"$ne": "eval"}}, ["r0", "r2", "r3", "r4"]),
    ({"host": "h1"}, ["r0"]),
    ({"sweep": "sw1"}, ["r0"]),
    ({"username": "alice"}, ["r0", "r1", "r2", "r3", "r4"]),
    ({"username": "bob"}, []),
    ({"$or": [{"config.lr": 0.1}, {"tags": "A"}]}, ["r0", "r4"]),
    ({"$and": [{"group": "g1"}, {"summary_metrics.acc": {"$gt": 0.85}}]}, ["r0"]),
    ({"$nor": [{"group": "g1"}, {"tags": "A"}]}, ["r2", "r3"]),
    ({"$or": [{"$and": [{"config.lr": {"$lt": 0.05}}]}, {"state": "crashed"}]}, ["r1", "r2"]),
    ({"createdAt": {"$gte": iso(BASE + 20)}}, ["r2", "r3", "r4"]),
    ({"createdAt": iso(BASE + 20)}, ["r2"]),  # a whole-second time covers its second
    ({"createdAt": {"$lt": iso(BASE + 20)}}, ["r0", "r1"]),
    ({"createdAt": {"$lte": iso(BASE + 20)}}, ["r0", "r1", "r2"]),
    ({"created_at": {"$gt": iso(BASE + 20) + "Z"}}, ["r3", "r4"]),
    ({"createdAt": {"$gt": BASE + 20.5}}, ["r3", "r4"]),  # epoch seconds are exact
    ({"createdAt": {"$in": [iso(BASE), iso(BASE + 40)]}}, ["r0", "r4"]),
]


@pytest.mark.parametrize("filters,expected", CASES, ids=[json.dumps(c[0]) for c in CASES])
def test_filter(store, filters, expected):
    assert names(store, filters) == expected


ORDERS = [
    ("", ["r0", "r1", "r2", "r3", "r4"]),
    ("+created_at", ["r0", "r1", "r2", "r3", "r4"]),
    ("-created_at", ["r4", "r3", "r2", "r1", "r0"]),
    ("createdAt", ["r0", "r1", "r2", "r3", "r4"]),
    ("-heartbeat_at", ["r4", "r3", "r1", "r0", "r2"]),  # equal heartbeats: by id, descending
    # Numbers (by value), then strings, then runs without the key.
    ("+config.lr.value", ["r1", "r0", "r2", "r3", "r4"]),
    ("-config.lr", ["r2", "r0", "r1", "r3", "r4"]),
    ("+summary_metrics.loss", ["r0", "r2", "r4", "r1", "r3"]),
    ("-summary_metrics.loss", ["r2", "r0", "r1", "r4", "r3"]),
    ("+config.arch", ["r2", "r0", "r1", "r3", "r4"]),  # code point order: "Cnn" < "cnn"
    ("-display_name", ["r4", "r2", "r3", "r1", "r0"]),  # no display name: the run's name
    ("+state", ["r2", "r1", "r0", "r4", "r3"]),
]


@pytest.mark.parametrize("order,expected", ORDERS, ids=[o or "default" for o, _ in ORDERS])
def test_order(store, order, expected):
    assert names(store, {}, order) == expected


@pytest.mark.parametrize("order", ["+created_at", "-summary_metrics.loss", "+config.arch",
                                   "-name"])
def test_cursor_pages_cover_every_run_once(store, order):
    everything = names(store, {}, order)
    seen, after = [], ""
    while True:
        runs, cursors, more = store.list_runs("alice", "proj", "{}", order, after, 2, STALE)
        seen += [run["name"] for run in runs]
        assert len(runs) == len(cursors) <= 2
        if not more:
            break
        after = cursors[-1]
    assert seen == everything


def test_filtered_pages(store):
    filters = json.dumps({"state": {"$ne": "crashed"}})
    runs, cursors, more = store.list_runs("alice", "proj", filters, "-created_at", "", 3, STALE)
    assert [r["name"] for r in runs] == ["r4", "r3", "r1"] and more
    runs, _, more = store.list_runs("alice", "proj", filters, "-created_at", cursors[-1], 3,
                                    STALE)
    assert [r["name"] for r in runs] == ["r0"] and not more


def test_unknown_project_has_no_runs(store):
    assert store.list_runs("alice", "nope", "{}", "", "", 10, STALE) == ([], [], False)
    assert store.count_runs("alice", "nope", "{}", STALE) == 0


ERRORS = [
    ({"$foo": 1}, "unknown filter operator '$foo'"),
    ({"config.lr": {"$bar": 1}}, "unknown filter operator '$bar' on 'config.lr'"),
    ({"bogus": 1}, "unknown run field 'bogus'"),
    ({"config.lr": {"$in": 1}}, "$in on 'config.lr' needs a list"),
    ({"config.lr": {"$regex": "("}}, "invalid $regex '('"),
    ({"config.lr": {"$regex": "a", "$options": "q"}}, "$options must be letters among"),
    ({"config.lr": [1]}, "cannot be compared with a list"),
    ({"$or": []}, "$or needs a non-empty list"),
    ({"config.lr": {"$gt": True}}, "$gt True is not supported on 'config.lr'"),
    ({"tags": {"$gt": "a"}}, "$gt 'a' is not supported on 'tags'"),
    ({"config.lr": {"a": 1, "$gt": 1}}, "mixes operators with keys"),
    ({"createdAt": {"$gt": "yesterday"}}, "is not an ISO 8601 time"),
    ({"config.": 1}, "unknown run field 'config.'"),
    ({"config.a..b": 1}, "invalid key ''"),
    ([1], "filters must be a JSON object"),
]


@pytest.mark.parametrize("filters,message", ERRORS, ids=[json.dumps(e[0]) for e in ERRORS])
def test_filter_not_understood_is_an_error_naming_it(store, filters, message):
    with pytest.raises(InvalidArgument) as raised:
        store.count_runs("alice", "proj", json.dumps(filters), STALE)
    assert message in raised.value.message
    with pytest.raises(InvalidArgument):
        store.list_runs("alice", "proj", json.dumps(filters), "", "", 10, STALE)


def test_invalid_json_filters(store):
    with pytest.raises(InvalidArgument, match="filters are not valid JSON"):
        store.count_runs("alice", "proj", "{nope", STALE)


@pytest.mark.parametrize("order", ["bogus", "-summary", "+config", "duration.x", "tags"])
def test_unknown_order_is_an_error_naming_it(store, order):
    with pytest.raises(InvalidArgument, match="unknown order"):
        store.list_runs("alice", "proj", "{}", order, "", 10, STALE)


def test_cursor_of_another_order_or_garbage_is_refused(store):
    _, cursors, _ = store.list_runs("alice", "proj", "{}", "+created_at", "", 1, STALE)
    with pytest.raises(InvalidArgument, match="belongs to order"):
        store.list_runs("alice", "proj", "{}", "-created_at", cursors[0], 1, STALE)
    with pytest.raises(InvalidArgument, match="malformed runs cursor"):
        store.list_runs("alice", "proj", "{}", "", "!!!", 1, STALE)


def test_summary_update_is_searchable_at_once(store):
    run = store.get_run("alice", "proj", "r3")
    store.apply_file_stream(run["id"], FileStreamUpdate(summary='{"acc": 0.99}'))
    try:
        assert names(store, {"summary_metrics.acc": {"$gt": 0.95}}) == ["r3"]
    finally:
        store.apply_file_stream(run["id"], FileStreamUpdate(summary='{"acc": null}'))
        with store.db.connection_context():
            Run.update(heartbeat_at=NOW).where(Run.id == int(run["id"])).execute()


def test_filters_of_hundreds_of_alternatives(store):
    # Nested one inside the next, 100 alternatives overflowed SQLite's parser; they are
    # combined as a balanced tree (plugins/sql/conditions.py).
    wanted = [f"r{i}" for i in range(0, 5, 2)] + [f"missing-{i}" for i in range(400)]
    assert names(store, {"$or": [{"name": name} for name in wanted]}) == ["r0", "r2", "r4"]
    assert names(store, {"name": {"$in": wanted}}) == ["r0", "r2", "r4"]
    assert names(store, {"$and": [{"name": {"$ne": f"missing-{i}"}} for i in range(400)]
                         + [{"name": {"$nin": ["r1", "r3"]}}]}) == ["r0", "r2", "r4"]
