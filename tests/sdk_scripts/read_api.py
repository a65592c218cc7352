"""Read runs back through wandb.Api(), every call the Public API tests check (either version).

    read_api.py ENTITY PROJECT

Prints RESULT with what each call returned, for the tests to compare with what was logged
(read_log_runs.py). Calls that raise record the error text instead.
"""

import os
import sys
import tempfile

import wandb
from sdk_common import emit

entity, project = sys.argv[1], sys.argv[2]
path = f"{entity}/{project}"
api = wandb.Api(timeout=60)
out: dict = {"version": wandb.__version__}


def attempt(name, call):
    try:
        out[name] = call()
    except Exception as exc:  # the test asserts on the message
        out[name] = {"error": f"{type(exc).__name__}: {exc}"}


def ids(runs):
    return [run.id for run in runs]


# -- projects --------------------------------------------------------------------------------
attempt("projects", lambda: sorted(p.name for p in api.projects(entity, per_page=1)))
attempt("project", lambda: (lambda p: {"name": p.name, "entity": p.entity,
                                       "created_at": p.created_at})(api.project(project, entity)))

# -- runs: pages, filters, orders ------------------------------------------------------------
paged = api.runs(path, per_page=2)
out["paged"] = {"len": len(paged), "ids": ids(paged)}
attempt("default_order", lambda: ids(api.runs(path)))
FILTERS = {
    "none": {"config.lr": {"$gt": 100}},
    "one": {"config.lr": 0.2},
    "all": {"state": "finished"},
    "value_suffix": {"config.lr.value": {"$gte": 0.2}},
    "nested": {"config.opt.beta": {"$in": [1, 3]}},
    "regex_name": {"display_name": {"$regex": "run-[13]"}},
    "tags": {"tags": {"$in": ["odd"]}},
    "or": {"$or": [{"group": "g-even"}, {"jobType": "eval"}]},
    "nor": {"$nor": [{"config.arch": "cnn"}]},
    "summary": {"summary_metrics.best": {"$gte": 4}},
    "summary_nested_key": {"summary_metrics.eval/loss": {"$lt": 1}},
    "exists": {"config.nothere": {"$exists": False}},
    "names": {"name": {"$in": []}},
    "created": {"createdAt": {"$gte": "2000-01-01T00:00:00Z"}},
}
for label, query in FILTERS.items():
    attempt(f"filter_{label}", lambda q=query: (lambda rs: {"len": len(rs), "ids": sorted(ids(rs))})(
        api.runs(path, filters=q, per_page=2)))
for order in ("+created_at", "-created_at", "-heartbeat_at", "+config.lr.value",
              "-summary_metrics.best", "+summary_metrics.best"):
    attempt(f"order_{order}", lambda o=order: ids(api.runs(path, order=o, per_page=2)))
attempt("bad_filter", lambda: len(api.runs(path, filters={"config.lr": {"$near": 1}})))
attempt("bad_field", lambda: len(api.runs(path, filters={"colour": "red"})))
attempt("bad_order", lambda: ids(api.runs(path, order="-favourite")))

# -- one run ---------------------------------------------------------------------------------
run = api.run(f"{path}/r0-{os.environ['READ_SUFFIX']}")
out["run"] = {
    "id": run.id, "name": run.name, "state": run.state, "config": run.config,
    "summary": run.summary_metrics, "tags": run.tags, "notes": run.notes, "group": run.group,
    "job_type": run.job_type, "created_at": run.created_at, "heartbeat_at": run.heartbeat_at,
    "user": [run.user.name, run.user.username], "system_metric_keys": sorted(run.system_metrics),
    "history_keys": run.history_keys, "last_history_step": run.lastHistoryStep,
    "storage_id": run.storage_id,
}
attempt("sampled", lambda: run.history(keys=["loss"], samples=500, pandas=False))
attempt("sampled_few", lambda: run.history(keys=["loss"], samples=10, pandas=False))
attempt("sampled_nan", lambda: run.history(keys=["weird"], pandas=False))
attempt("full", lambda: run.history(pandas=False))
attempt("full_few", lambda: run.history(samples=5, pandas=False))
attempt("system", lambda: run.history(stream="system", pandas=False))
attempt("scan", lambda: list(run.scan_history(page_size=7)))
attempt("scan_keys", lambda: list(run.scan_history(keys=["loss"], page_size=7)))
attempt("scan_range", lambda: [r["_step"] for r in run.scan_history(min_step=3, max_step=9)])
attempt("scan_range_keys", lambda: list(run.scan_history(keys=["acc"], min_step=3, max_step=9,
                                                          page_size=4)))
attempt("scan_sparse", lambda: list(run.scan_history(keys=["eval/loss"])))
attempt("files", lambda: sorted(f.name for f in run.files()))
attempt("files_paged", lambda: sorted(f.name for f in run.files(per_page=2)))


def download():
    directory = tempfile.mkdtemp()
    run.file("notes.txt").download(root=directory, replace=True)
    with open(os.path.join(directory, "notes.txt")) as handle:
        return handle.read()


attempt("download", download)
if hasattr(run, "console_logs"):
    attempt("console", lambda: [line.content for line in run.console_logs()])
    attempt("console_last", lambda: [line.content for line in run.console_logs(last=1)])


def wait():
    run.wait_until_finished()
    return run.state


attempt("wait", wait)
emit(out)
