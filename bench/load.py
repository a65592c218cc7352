"""Load curve: how many concurrent SDK runs one Roost deployment carries (issue 16).

Each simulated run behaves as wandb-core does on the wire: ``upsertBucket``, ``createRunFiles``
and a PUT for its first files (config.yaml, wandb-metadata.json, requirements.txt), then one
file_stream request per transmit interval (15 s, the SDK's default) holding every history
line logged since the last one (``--steps-per-second`` x interval lines of ``--keys`` keys),
its full summary, a system-metrics events line and console lines; a run that has logged
nothing still sends its heartbeat at that cadence. Beside them, UI readers poll the project's
runs table and a run's sampled history every 5 s.

For each N of a ramp the runs stream for ``--window`` seconds (after a start spread over one
interval); the figures are file_stream p50/p99 latency, requests and lines per second, and
errors. The largest N with p99 < ``--p99-ms`` and no error is the answer.

    python bench/load.py --setup sqlite               # `roost serve`, SQLite
    python bench/load.py --setup pg1 --database-url postgresql://postgres@127.0.0.1/test
    python bench/load.py --setup pg2 --database-url ...  # two cores + two fronts
    python bench/load.py --setup sqlite --ramp 50,100 --window 30   # a quick look
    python bench/load.py --plot docs/load-curve.png results-*.json  # the curve (matplotlib)

The load generator runs on the same machine as the server (asyncio + httpx, one process), so
its own CPU counts against the server's: the figures are a lower bound of what a separate
client machine would see.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import BenchServer, free_port, roost_executable  # noqa: E402

UPSERT = """mutation UpsertBucket($name: String, $project: String) {
  upsertBucket(input: {name: $name, modelName: $project}) {
    bucket { id name project { name entity { name } } } inserted } }"""
CREATE_FILES = """mutation CreateRunFiles($entity: String!, $project: String!, $run: String!,
  $files: [String!]!) { createRunFiles(input: {entityName: $entity, projectName: $project,
  runName: $run, files: $files}) { runID uploadHeaders files { name uploadUrl } } }"""
RUNS_TABLE = """query Runs($project: String!, $entity: String!) {
  project(name: $project, entityName: $entity) { runs(first: 50, order: "-created_at") {
    edges { node { name state summaryMetrics historyLineCount } } } } }"""
SAMPLED = """query S($project: String!, $entity: String!, $run: String!, $spec: JSONString!) {
  project(name: $project, entityName: $entity) { run(name: $run) {
    sampledHistory(specs: [$spec]) } } }"""
FIRST_FILES = {"config.yaml": b"lr:\n  value: 0.001\nbatch:\n  value: 64\n",
               "wandb-metadata.json": b'{"os": "Linux", "python": "3.11", "gpu_count": 0}',
               "requirements.txt": b"torch==2.13.0\nnumpy==2.1.0\nwandb==0.31.0\n"}


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.lines = 0
        self.reads = 0
        self.read_latencies: list[float] = []

    def summary(self, n: int, window: float) -> dict:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1) \
                if ordered else float("nan")

        reads = sorted(self.read_latencies)
        return {"runs": n, "requests": len(ordered), "p50_ms": pct(0.50), "p99_ms": pct(0.99),
                "max_ms": pct(1.0), "requests_per_s": round(len(ordered) / window, 1),
                "lines_per_s": round(self.lines / window), "errors": len(self.errors),
                "first_errors": self.errors[:3], "ui_reads": self.reads,
                "ui_p99_ms": round(1000 * reads[int(0.99 * (len(reads) - 1))], 1)
                if reads else None}


class SimulatedRun:
    def __init__(self, client: httpx.AsyncClient, base: str, project: str, keys: int,
                 steps_per_second: float, interval: float):
        self.client, self.base, self.project = client, base, project
        self.name = uuid.uuid4().hex[:12]
        self.keys = [f"metric_{k}" for k in range(keys)]
        self.steps_per_second, self.interval = steps_per_second, interval
        self.step = self.events = self.console = 0
        self.url = ""

    async def start(self, stats: Stats) -> None:
        reply = await self.client.post(self.base + "/graphql", json={
            "query": UPSERT, "variables": {"name": self.name, "project": self.project}})
        reply.raise_for_status()
        entity = reply.json()["data"]["upsertBucket"]["bucket"]["project"]["entity"]["name"]
        self.entity = entity
        self.url = f"{self.base}/files/{entity}/{self.project}/{self.name}/file_stream"
        reply = await self.client.post(self.base + "/graphql", json={
            "query": CREATE_FILES, "variables": {"entity": entity, "project": self.project,
                                                 "run": self.name,
                                                 "files": list(FIRST_FILES)}})
        reply.raise_for_status()
        headers = dict(h.split(":", 1) for h in reply.json()["data"]["createRunFiles"]
                       ["uploadHeaders"])
        for item in reply.json()["data"]["createRunFiles"]["files"]:
            put = await self.client.put(item["uploadUrl"], content=FIRST_FILES[item["name"]],
                                        headers=headers, auth=None)
            if put.status_code >= 300:
                stats.errors.append(f"upload {item['name']}: {put.status_code}")

    def body(self, lines: int) -> dict:
        now = time.time()
        history = []
        for _ in range(lines):
            values = {key: random.random() for key in self.keys}
            history.append(json.dumps({"_step": self.step, "_runtime": 1.0 * self.step,
                                       "_timestamp": now, **values}))
            self.step += 1
        files = {"wandb-summary.json": {"offset": 0, "content": [json.dumps(
            {"_step": self.step - 1, **{key: 0.5 for key in self.keys}})]}}
        if history:
            files["wandb-history.jsonl"] = {"offset": self.step - lines, "content": history}
        files["wandb-events.jsonl"] = {"offset": self.events, "content": [json.dumps(
            {"system.cpu": 12.5, "system.memory": 40.1, "_timestamp": now})]}
        self.events += 1
        files["output.log"] = {"offset": self.console, "content": [
            f"ERROR {time.strftime('%Y-%m-%dT%H:%M:%S')} step {self.step}"]}
        self.console += 1
        return {"files": files}

    async def stream(self, stats: Stats, until: float, measure_from: float) -> None:
        await asyncio.sleep(random.random() * self.interval)  # runs do not start in lockstep
        while time.monotonic() < until:
            lines = int(self.steps_per_second * self.interval)
            body = self.body(lines)
            started = time.monotonic()
            try:
                reply = await self.client.post(self.url, json=body)
                ok = reply.status_code == 200
                problem = f"file_stream {reply.status_code}: {reply.text[:100]}"
            except httpx.HTTPError as exc:
                ok, problem = False, f"file_stream {type(exc).__name__}: {exc}"
            if started >= measure_from:
                stats.latencies.append(time.monotonic() - started)
                stats.lines += lines + 3
                if not ok:
                    stats.errors.append(problem)
            await asyncio.sleep(max(0.0, self.interval - (time.monotonic() - started)))


async def read_ui(client: httpx.AsyncClient, base: str, project: str, runs: list[SimulatedRun],
                  keys: list[str], stats: Stats, until: float) -> None:
    while time.monotonic() < until:
        run = random.choice(runs)
        spec = json.dumps({"keys": ["_step", keys[0]], "samples": 500})
        for query, variables in ((RUNS_TABLE, {"project": project, "entity": run.entity}),
                                 (SAMPLED, {"project": project, "entity": run.entity,
                                            "run": run.name, "spec": spec})):
            started = time.monotonic()
            try:
                reply = await client.post(base + "/graphql", json={"query": query,
                                                                   "variables": variables})
                if reply.status_code != 200 or "errors" in reply.json():
                    stats.errors.append(f"ui read {reply.status_code}: {reply.text[:100]}")
            except httpx.HTTPError as exc:
                stats.errors.append(f"ui read {type(exc).__name__}")
            stats.reads += 1
            stats.read_latencies.append(time.monotonic() - started)
        await asyncio.sleep(5)


async def one_level(bases: list[str], api_key: str, n: int, args) -> dict:
    limits = httpx.Limits(max_connections=n + args.readers + 10, max_keepalive_connections=n)
    async with httpx.AsyncClient(auth=("api", api_key), timeout=60, limits=limits) as client:
        project = f"load-{n}-{uuid.uuid4().hex[:6]}"
        runs = [SimulatedRun(client, bases[i % len(bases)], project, args.keys,
                             args.steps_per_second, args.interval) for i in range(n)]
        stats = Stats()
        for batch in range(0, n, 50):  # create the runs 50 at a time, as a lab's jobs start
            await asyncio.gather(*(run.start(stats) for run in runs[batch:batch + 50]))
        measure_from = time.monotonic() + args.interval  # after every run has sent once
        until = measure_from + args.window
        readers = [read_ui(client, bases[i % len(bases)], project, runs, runs[0].keys, stats,
                           until) for i in range(args.readers)]
        await asyncio.gather(*(run.stream(stats, until, measure_from) for run in runs),
                             *readers)
        return stats.summary(n, args.window)


# -- deployments ---------------------------------------------------------------------------
class Deployment:
    """``pg1``/``pg2``: cores and fronts as separate processes on a fresh PostgreSQL database,
    stopped by their PIDs."""

    def __init__(self, database_url: str, cores: int, fronts: int):
        import psycopg2

        self.admin_url = database_url
        self.name = f"roost_load_{uuid.uuid4().hex[:10]}"
        self._psycopg2 = psycopg2
        self._admin(f"CREATE DATABASE {self.name}")
        self.url = urlunparse(urlparse(database_url)._replace(path=f"/{self.name}"))
        self.data_dir = tempfile.mkdtemp(prefix="roost-load-")
        self.processes: list[subprocess.Popen] = []
        env = {**os.environ, "ROOST_CORE_SECRET": uuid.uuid4().hex}
        common = ["--data-dir", self.data_dir, "--database-url", self.url,
                  "--log-level", "warning"]
        addresses = [f"127.0.0.1:{free_port()}" for _ in range(cores)]
        for number, address in enumerate(addresses):
            self._spawn(["core", "--core-listen", address, *common], env)
            if number == 0:
                self._wait_port(address)
        self.bases = []
        for _ in range(fronts):
            port = free_port()
            self._spawn(["front", "--host", "127.0.0.1", "--port", str(port), "--core-address",
                         ",".join(addresses), *common], env)
            self.bases.append(f"http://127.0.0.1:{port}")
        for base in self.bases:
            self._wait_http(base)
        out = subprocess.run([roost_executable(), "key", "create", "admin", *common[:4]],
                             capture_output=True, text=True, check=True, env=env)
        self.api_key = out.stdout.strip().splitlines()[-1]

    def _admin(self, sql: str) -> None:
        connection = self._psycopg2.connect(self.admin_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
        connection.close()

    def _spawn(self, argv, env) -> None:
        self.processes.append(subprocess.Popen([roost_executable(), *argv], env=env,
                                               stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL,
                                               start_new_session=True))

    @staticmethod
    def _wait_port(address: str) -> None:
        import socket

        host, port = address.rsplit(":", 1)
        for _ in range(600):
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the core at {address} never listened")

    @staticmethod
    def _wait_http(base: str) -> None:
        for _ in range(600):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{base} never became healthy")

    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes and their children so far."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / tick
    return total


def measure(args) -> list[dict]:
    ramp = [int(n) for n in args.ramp.split(",")]
    if args.setup == "sqlite":
        server = BenchServer()
        bases, api_key, pids, stop = [server.url], server.api_key, server.pids, server.stop
    else:
        deployment = Deployment(args.database_url, *((1, 1) if args.setup == "pg1" else (2, 2)))
        bases, api_key, stop = deployment.bases, deployment.api_key, deployment.stop
        pids = deployment.pids
    results = []
    try:
        for n in ramp:
            cpu_before = cpu_seconds(pids())
            result = asyncio.run(one_level(bases, api_key, n, args))
            result["server_cpu_s"] = round(cpu_seconds(pids()) - cpu_before, 1)
            result["ok"] = result["errors"] == 0 and result["p99_ms"] < args.p99_ms
            results.append(result)
            print(json.dumps(result), flush=True)
            if not result["ok"] and not args.keep_going:
                break
    finally:
        stop()
    passing = [r["runs"] for r in results if r["ok"]]
    print(f"{args.setup}: largest N with p99 < {args.p99_ms:.0f} ms and no error: "
          f"{max(passing) if passing else 'none of ' + args.ramp}", flush=True)
    return results


def plot(output: str, files: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.2))
    for path in files:
        data = json.loads(Path(path).read_text())
        points = [r for r in data["results"] if r["requests"]]
        axes.plot([r["runs"] for r in points], [r["p99_ms"] for r in points], marker="o",
                  label=data["setup"])
    axes.axhline(250, color="grey", linestyle="--", linewidth=1, label="p99 target 250 ms")
    axes.set_xlabel("concurrent SDK runs (file_stream every 15 s)")
    axes.set_ylabel("file_stream p99 latency (ms)")
    axes.set_yscale("log")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(output, dpi=110)
    print(f"wrote {output}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup", choices=["sqlite", "pg1", "pg2"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get(
        "ROOST_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--ramp", default="50,100,200,300,500,700,1000")
    parser.add_argument("--window", type=float, default=60.0,
                        help="seconds measured per level (after one interval of warm-up)")
    parser.add_argument("--interval", type=float, default=15.0,
                        help="file_stream transmit interval (the SDK's default: 15 s)")
    parser.add_argument("--steps-per-second", type=float, default=2.0)
    parser.add_argument("--keys", type=int, default=10)
    parser.add_argument("--readers", type=int, default=5, help="UI readers polling")
    parser.add_argument("--p99-ms", type=float, default=250.0)
    parser.add_argument("--keep-going", action="store_true", help="measure the whole ramp")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--plot", help="write a PNG of the curves in the given result files")
    parser.add_argument("files", nargs="*", help="result files for --plot")
    args = parser.parse_args()
    if args.plot:
        plot(args.plot, args.files)
        return 0
    results = measure(args)
    if args.json:
        Path(args.json).write_text(json.dumps({"setup": args.setup, "args": vars(args),
                                               "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
