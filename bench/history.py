"""Read-path benchmark: history of a long run and a large runs table, through the front.

Starts its own `roost serve` (SQLite, temporary data dir), streams a run of STEPS steps x 10
numeric keys through file_stream in 1,000-line chunks (as the SDK does), creates RUNS runs
with config and summary (batched upsertBucket mutations), then times what wandb.Api() asks:

- a sampled read of one key (sampledHistory) with 1,500 samples (500 buckets of min/max/last)
  and with 4,500 samples (1,500 buckets);
- a 1,000-row scan page in the middle of the run (HistoryPage: history(minStep, maxStep));
- the full historyKeys;
- api.runs on the RUNS-run project, filtered by a config value and sorted by a summary value,
  first page of 50 with runCount (the Runs query wandb 0.31 sends).

Also times the rollup maintenance alone, in process, per 1,000-line chunk. Prints figures;
targets on a 2-core machine with SQLite: sampled read < 200 ms, page < 50 ms, runs page
< 200 ms, server memory bounded.

    python bench/history.py [--steps 1000000] [--runs 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import BenchServer, create_run  # noqa: E402

KEYS = [f"metric_{i}" for i in range(10)]
CHUNK = 1000
RUNS_PER_REQUEST = 50

SAMPLED = """query SampledHistoryPage($entity: String!, $project: String!, $run: String!,
  $spec: JSONString!) { project(name: $project, entityName: $entity) {
    run(name: $run) { sampledHistory(specs: [$spec]) } } }"""
PAGE = """query HistoryPage($entity: String!, $project: String!, $run: String!, $minStep: Int64!,
  $maxStep: Int64!, $pageSize: Int!) { project(name: $project, entityName: $entity) {
    run(name: $run) { history(minStep: $minStep, maxStep: $maxStep, samples: $pageSize) } } }"""
KEYS_QUERY = """query RunHistoryKeys($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) { run(name: $name) { historyKeys } } }"""
RUNS = """query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50,
  $order: String, $filters: JSONString) {
  project(name: $project, entityName: $entity) { internalId runCount(filters: $filters) readOnly
    runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
      edges { node { projectId id tags name displayName sweepName state group jobType commit
                     readOnly createdAt heartbeatAt description notes historyLineCount
                     user { name username } } cursor }
      pageInfo { endCursor hasNextPage } } } }"""


def history_bodies(steps: int, seed: int = 0):
    """Pre-encoded file_stream bodies, one per 1,000-line chunk (made lazily: 1M lines)."""
    rng = random.Random(seed)
    for offset in range(0, steps, CHUNK):
        lines = []
        for step in range(offset, min(offset + CHUNK, steps)):
            row = {key: rng.random() for key in KEYS}
            row.update({"_step": step, "_runtime": step * 0.01, "_timestamp": 1.7e9 + step})
            lines.append(json.dumps(row))
        yield json.dumps({"files": {"wandb-history.jsonl": {"offset": offset,
                                                            "content": lines}}}).encode()


def graphql(session, url: str, query: str, variables: dict) -> dict:
    reply = session.post(url + "/graphql", json={"query": query, "variables": variables},
                         timeout=300)
    reply.raise_for_status()
    body = reply.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return body["data"]


def timed(call, repeat: int) -> tuple[float, float, object]:
    """(first call ms, median of the next `repeat` calls ms, last result)."""
    start = time.perf_counter()
    result = call()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(times), result


def stream_run(server: BenchServer, session, steps: int) -> tuple[str, str, float]:
    name = f"long-{time.time_ns()}"
    url = create_run(session, server.url, "bench-history", name)
    entity = url.split("/files/")[1].split("/")[0]
    start = time.perf_counter()
    for body in history_bodies(steps):
        reply = session.post(url, data=body, headers={"Content-Type": "application/json"},
                             timeout=300)
        reply.raise_for_status()
    return entity, name, time.perf_counter() - start


def create_runs(server: BenchServer, session, count: int) -> float:
    """RUNS runs with config {lr, batch, arch} and summary {loss, acc}: batched mutations."""
    rng = random.Random(1)
    start = time.perf_counter()
    for first in range(0, count, RUNS_PER_REQUEST):
        fields = []
        for i in range(first, min(first + RUNS_PER_REQUEST, count)):
            config = {"lr": {"value": [0.1, 0.01, 0.001, 0.0001][i % 4]},
                      "batch": {"value": 32 * (1 + i % 8)}, "arch": {"value": f"net{i % 10}"},
                      "_wandb": {"value": {"t": {"1": [1, 5]}, "python_version": "3.11"}}}
            summary = {"loss": rng.random(), "acc": rng.random(), "_step": 100,
                       "_wandb": {"runtime": rng.randint(10, 1000)}}
            fields.append(f'r{i}: upsertBucket(input: {{name: "run-{i}", modelName: '
                          f'"bench-runs", config: {json.dumps(json.dumps(config))}, '
                          f'summaryMetrics: {json.dumps(json.dumps(summary))}}}) '
                          "{ bucket { id } }")
        graphql(session, server.url, "mutation {" + "\n".join(fields) + "}", {})
    return time.perf_counter() - start


def rollup_cost(chunks: int = 200) -> tuple[float, float]:
    """(rollup ms, whole apply_file_stream ms) per 1,000-line chunk of 10 keys, in process."""
    from roost.core import history
    from roost.plugins.sql.store import SqlStorage

    with tempfile.TemporaryDirectory() as directory:
        # Rollups folded in the request (as they are on a thread in a server), to time them.
        storage = SqlStorage(f"sqlite:///{directory}/bench.db", background_rollups=False)
        user = storage.create_user("bench", "", None, admin=False)
        run, _ = storage.upsert_run("bench", "p", "r", None, {}, user["id"])
        updates = []
        for body in history_bodies(chunks * CHUNK, seed=2):
            chunk = json.loads(body)["files"]["wandb-history.jsonl"]
            updates.append(history.build_update(
                {"wandb-history.jsonl": (chunk["offset"], chunk["content"])}, [], False, None,
                False))
        spent = [0.0]
        fold = storage.ingest.fold_history

        def timed_fold(*args, **kwargs):
            start = time.process_time()
            fold(*args, **kwargs)
            spent[0] += time.process_time() - start

        storage.ingest.fold_history = timed_fold
        start = time.process_time()
        for update in updates:
            storage.apply_file_stream(run["id"], update)
        total = time.process_time() - start
        storage.close()
    return spent[0] / chunks * 1000, total / chunks * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats after a first call")
    options = parser.parse_args()

    rollup_ms, apply_ms = rollup_cost()
    print(f"rollup maintenance (in process, CPU): {rollup_ms:.2f} ms of {apply_ms:.2f} ms per "
          f"1,000-line chunk of 10 keys ({rollup_ms / apply_ms:.0%} of apply_file_stream)")
    with BenchServer() as server:
        session = server.session()
        entity, name, elapsed = stream_run(server, session, options.steps)
        print(f"streamed {options.steps:,} steps x {len(KEYS)} keys in {elapsed:.1f} s "
              f"({options.steps / elapsed:,.0f} lines/s over HTTP, rollups included)")
        elapsed = create_runs(server, session, options.runs)
        print(f"created {options.runs:,} runs with config and summary in {elapsed:.1f} s")
        print(f"latency in ms: first call, then median of {options.repeat}")
        ref = {"entity": entity, "project": "bench-history", "run": name}
        for samples in (1500, 4500):
            spec = json.dumps({"keys": ["_step", "metric_3"], "samples": samples})
            first, median, data = timed(lambda: graphql(session, server.url, SAMPLED,
                                                        ref | {"spec": spec}), options.repeat)
            rows = data["project"]["run"]["sampledHistory"][0]
            print(f"  sampled read of one key, samples={samples} ({samples // 3:,} buckets of "
                  f"min/max/last): {first:.0f} / {median:.0f}  ({len(rows):,} points)")
        middle = options.steps // 2
        first, median, data = timed(lambda: graphql(session, server.url, PAGE, ref | {
            "minStep": middle, "maxStep": middle + 1000, "pageSize": 1000}), options.repeat)
        rows = data["project"]["run"]["history"]
        print(f"  1,000-row scan page at step {middle:,}: {first:.0f} / {median:.0f}  "
              f"({len(rows):,} rows)")
        first, median, data = timed(lambda: graphql(session, server.url, KEYS_QUERY, {
            "entity": entity, "project": "bench-history", "name": name}), options.repeat)
        keys = data["project"]["run"]["historyKeys"]
        print(f"  full historyKeys: {first:.0f} / {median:.0f}  ({len(keys['keys'])} keys, "
              f"lastStep {keys['lastStep']:,})")
        filters = json.dumps({"config.lr": 0.01})
        first, median, data = timed(lambda: graphql(session, server.url, RUNS, {
            "entity": entity, "project": "bench-runs", "perPage": 50,
            "order": "-summary_metrics.loss", "filters": filters}), options.repeat)
        project = data["project"]
        print(f"  api.runs of {options.runs:,} runs, config.lr = 0.01 by -summary_metrics.loss, "
              f"first page of 50 and runCount: {first:.0f} / {median:.0f}  "
              f"({len(project['runs']['edges'])} runs of {project['runCount']:,})")
        peaks = server.peak_rss_mb()
        print("peak RSS (MiB): " + ", ".join(f"pid {pid}: {mb:.0f}" for pid, mb in peaks.items())
              + "  (front and core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
