"""compose.yaml's layout run as processes (no Docker daemon on these machines): PostgreSQL,
an S3 server (moto, for MinIO), two cores, two fronts and Debian's nginx in front of them with
deploy/nginx.conf's proxy settings, all on 127.0.0.1 (issue 16, item 5).

Both SDKs log through nginx while one core and one front are killed with SIGKILL; the runs
end with every step stored once, their artifacts' digests and bytes intact. A browser signs in
through nginx and keeps its session whichever front answers. Two cores fold one run's history
without folding a line twice.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from harness import RoostServer, free_port, run_sdk, stop_process_group
from s3_server import S3Server
from storage_fixtures import backend_marks, temporary_database
from ui_support import browser  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STEPS = 3000

pytestmark = [*backend_marks("postgresql"), pytest.mark.xdist_group("topology")]

# Logs STEPS steps at a pace that leaves time to kill processes mid-run, then an artifact.
TRAIN = f"""
import hashlib, os, sys, time
import wandb
from sdk_common import FAST, emit, run_info

run = wandb.init(project="topology", id=sys.argv[1], settings=wandb.Settings(**FAST))
for step in range({STEPS}):
    run.log({{"value": step * 0.5, "square": step * step}})
    if step % 25 == 0:
        time.sleep(0.25)
payload = hashlib.sha256(sys.argv[1].encode()).digest() * 20000
with open("weights.bin", "wb") as handle:
    handle.write(payload)
artifact = wandb.Artifact("weights-" + sys.argv[1], type="model")
artifact.add_file("weights.bin")
run.log_artifact(artifact).wait()
run.finish()
emit(run_info(run) | {{"digest": artifact.digest,
                      "md5": hashlib.md5(payload).hexdigest()}})
"""

# Reads an artifact back through the Public API: its digest and the downloaded bytes' md5.
READ_ARTIFACT = """
import hashlib, os, sys
import wandb
from sdk_common import emit

artifact = wandb.Api().artifact(sys.argv[1])
path = artifact.download(root=os.path.join(os.getcwd(), "download"))
with open(os.path.join(path, "weights.bin"), "rb") as handle:
    emit({"digest": artifact.digest, "md5": hashlib.md5(handle.read()).hexdigest()})
"""


@dataclass
class Proxy:
    """What run_sdk needs of a server: its URL (nginx's) and a key."""

    url: str
    admin_key: str


def nginx_config(directory: Path, port: int, fronts: list[str]) -> Path:
    """deploy/nginx.conf as compose loads it, with the fronts as an upstream group in place of
    Docker's DNS name (what is proxied and how, deploy/nginx/proxy-front.conf, is unchanged)."""
    proxy = (ROOT / "deploy" / "nginx" / "proxy-front.conf").read_text()
    proxy = proxy.replace("http://front:8080", "http://roost_fronts")
    (directory / "proxy-front.conf").write_text(proxy)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = re.sub(r"^resolver.*\n", "", site, flags=re.M)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("/etc/nginx/roost/", f"{directory}/")
    assert "roost_fronts" in proxy and f"127.0.0.1:{port}" in site, "deploy/nginx*.conf changed"
    upstream = "upstream roost_fronts {\n" + "".join(
        f"    server {front.removeprefix('http://')} max_fails=1 fail_timeout=30s;\n"
        for front in fronts) + "}\n"
    temp = directory / "temp"
    temp.mkdir(mode=0o777)
    os.chmod(temp, 0o777)  # nginx's workers run as nobody when the tests run as root
    (directory / "site.conf").write_text(upstream + site)
    config = directory / "nginx.conf"
    config.write_text(
        f"error_log {directory / 'error.log'};\npid {directory / 'nginx.pid'};\n"
        "daemon off;\nevents {}\nhttp {\n"
        + "".join(f"  {kind}_temp_path {temp / kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  access_log {directory / 'access.log'};\n"
        f"  include {directory / 'site.conf'};\n}}\n")
    return config


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (Debian package nginx)")
    directory = tmp_path_factory.mktemp("topology")
    s3 = S3Server().start()
    try:
        with temporary_database("postgresql", directory) as url, \
                RoostServer(directory / "data", cores=2, fronts=2, database_url=url,
                            env=s3.roost_env(f"topology-{uuid.uuid4().hex[:8]}")) as server:
            port = free_port()
            config = nginx_config(directory, port, server.front_urls)
            nginx = subprocess.Popen([NGINX, "-p", str(directory), "-c", str(config)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(directory / "nginx.stderr", "wb"),
                                     start_new_session=True)
            try:
                proxy_url = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        if requests.get(proxy_url + "/healthz", timeout=2).status_code == 200:
                            break
                    except requests.ConnectionError:
                        time.sleep(0.1)
                else:
                    raise RuntimeError("nginx did not start: "
                                       + (directory / "error.log").read_text())
                yield server, Proxy(proxy_url, server.admin_key), url
            finally:
                stop_process_group(nginx)
    finally:
        s3.stop()


def history_of(proxy: Proxy, run: str) -> list[dict]:
    query = """query H($run: String!) { project(name: "topology", entityName: "admin") {
      run(name: $run) { historyLineCount history(samples: 100000) } } }"""
    response = requests.post(proxy.url + "/graphql", auth=("api", proxy.admin_key), timeout=60,
                             json={"query": query, "variables": {"run": run}})
    body = response.json()
    assert "errors" not in body, body
    found = body["data"]["project"]["run"]
    rows = [json.loads(line) for line in found["history"]]
    assert found["historyLineCount"] == len(rows)
    return rows


def steps_logged(proxy: Proxy, run: str) -> int:
    query = """query H($run: String!) { project(name: "topology", entityName: "admin") {
      run(name: $run) { historyLineCount } } }"""
    try:
        body = requests.post(proxy.url + "/graphql", auth=("api", proxy.admin_key), timeout=10,
                             json={"query": query, "variables": {"run": run}}).json()
        return ((body.get("data") or {}).get("project") or {}).get("run", {}) \
            .get("historyLineCount") or 0
    except (requests.RequestException, ValueError, AttributeError):
        return 0


def test_two_cores_fold_one_runs_history_once(topology):
    """Each front is pointed at both cores, so a run's file_stream requests land on either
    (this runs before the test that kills one); its rollups (what the charts read) equal those
    of the same lines folded by one core."""
    from roost.plugins.sql.store import SqlStorage

    from test_history_folder import counts, lines_of, rollups

    server, proxy, url = topology
    key = server.admin_key
    for name in ("folded-by-two", "reference"):
        requests.post(proxy.url + "/graphql", auth=("api", key), timeout=30, json={
            "query": """mutation U($name: String) { upsertBucket(input: {modelName: "topology",
              name: $name}) { bucket { id } } }""", "variables": {"name": name}}).raise_for_status()
    for number, start in enumerate(range(0, 2000, 100)):
        # 20 requests over both fronts, whose calls round-robin over both cores.
        front = server.front_urls[number % 2]
        response = requests.post(
            f"{front}/files/admin/topology/folded-by-two/file_stream", auth=("api", key),
            timeout=30, json={"files": {"wandb-history.jsonl": {
                "offset": start, "content": lines_of(start, start + 100)}}})
        assert response.status_code == 200, response.text
    response = requests.post(f"{server.front_urls[0]}/files/admin/topology/reference/file_stream",
                             auth=("api", key), timeout=60, json={"files": {
                                 "wandb-history.jsonl": {"offset": 0,
                                                         "content": lines_of(0, 2000)}}})
    assert response.status_code == 200
    storage = SqlStorage(url)
    try:
        ids = {name: storage.get_run("admin", "topology", name)["id"]
               for name in ("folded-by-two", "reference")}
        for run_id in ids.values():
            storage.fold_history(run_id)
        assert counts(storage, ids["folded-by-two"]) == (2000, 2000)
        assert rollups(storage, ids["folded-by-two"]) == rollups(storage, ids["reference"])
    finally:
        storage.close()



def test_a_browser_keeps_its_session_across_fronts_behind_nginx(topology, browser):
    server, proxy, _ = topology
    page = browser.new_page()
    try:
        page.goto(proxy.url + "/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", server.admin_password)
        page.click("button[type=submit]")
        page.wait_for_url(proxy.url + "/")
        # nginx spreads these over both (live) fronts; every one answers signed in.
        for _ in range(6):
            response = page.goto(proxy.url + "/console/")
            assert response.status == 200 and "/login" not in page.url
    finally:
        page.close()



def test_runs_survive_a_core_and_a_front_killed_behind_nginx(topology):
    server, proxy, _ = topology
    names = {"0.31.0": f"new-{uuid.uuid4().hex[:6]}", "0.21.3": f"old-{uuid.uuid4().hex[:6]}"}
    results, errors = {}, []

    def train(version: str) -> None:
        try:
            results[version] = run_sdk(version, TRAIN, proxy, args=[names[version]],
                                       timeout=300)
        except Exception as exc:  # reported by the assertion below
            errors.append(f"{version}: {exc}")

    threads = [threading.Thread(target=train, args=(version,)) for version in names]
    for thread in threads:
        thread.start()
    # Mid-run, when both runs have some steps stored: kill the first core and the first front.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not errors and min(
            steps_logged(proxy, name) for name in names.values()) < 150:
        time.sleep(0.2)
    first_core, first_front = server.processes[0], server.processes[server.core_count]
    for process in (first_core, first_front):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    at_kill = {name: steps_logged(proxy, name) for name in names.values()}
    assert all(0 < steps < STEPS for steps in at_kill.values()), f"not mid-run: {at_kill}"
    for thread in threads:
        thread.join(timeout=330)
    assert not errors, "\n".join(errors)

    for version, name in names.items():
        rows = history_of(proxy, name)
        assert [row["_step"] for row in rows] == list(range(STEPS)), version
        assert all(row["value"] == row["_step"] * 0.5 and row["square"] == row["_step"] ** 2
                   for row in rows), version
        artifact = f"admin/topology/weights-{name}:latest"
        read = run_sdk("0.31.0", READ_ARTIFACT, proxy, args=[artifact], timeout=120)
        assert read == {"digest": results[version]["digest"], "md5": results[version]["md5"]}
