"""The core's own Prometheus metrics (issue 16, item 6): the gRPC calls it served by method
and status, its database pool, the folding backlog and garbage collection, on the address
``core_metrics_listen`` names and only for the metrics token."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
import requests

from harness import RoostServer, free_port, roost_executable
from tenancy_helpers import stream_history, upsert

TOKEN = "core-metrics-token-7f3a"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    with RoostServer(tmp_path_factory.mktemp("core-metrics") / "data", split=True,
                     extra_args=["--gc-interval", "1"],
                     env={"ROOST_CORE_METRICS_LISTEN": f"127.0.0.1:{port}",
                          "ROOST_METRICS_TOKEN": TOKEN}) as running:
        running.metrics_url = f"http://127.0.0.1:{port}/metrics"
        yield running


def sample(text: str, name: str, **labels) -> float | None:
    for line in text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            head = line.split(" ")[0]
            if head == name or head.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
    return None


def scrape(server) -> str:
    response = requests.get(server.metrics_url, headers={"Authorization": f"Bearer {TOKEN}"},
                            timeout=10)
    assert response.status_code == 200, response.text
    return response.text


def test_served_calls_pool_backlog_and_process_are_counted(server):
    key = server.admin_key
    status, body = upsert(server, key, "admin", "metrics", "counted")
    assert status == 200, body
    for offset in range(0, 30, 10):
        response = stream_history(server, key, "admin", "metrics", "counted", offset,
                                  list(range(offset, offset + 10)))
        assert response.status_code == 200
    text = scrape(server)
    assert sample(text, "roost_core_requests_total", method="StorageService/WriteFileStream",
                  code="OK") >= 3
    assert sample(text, "roost_core_request_seconds_count",
                  method="StorageService/WriteFileStream") >= 3
    assert sample(text, "roost_db_connections_in_use", engine="sqlite") is not None
    assert sample(text, "roost_db_connections_idle", engine="sqlite") is not None
    assert sample(text, "roost_history_fold_backlog_lines") is not None
    assert sample(text, "process_resident_memory_bytes") > 0


def test_garbage_collection_rounds_are_counted(server):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rounds = sample(scrape(server), "roost_gc_rounds_total") or 0
        if rounds >= 1:
            break
        time.sleep(0.5)
    text = scrape(server)
    assert sample(text, "roost_gc_rounds_total") >= 1
    assert sample(text, "roost_gc_last_round_timestamp_seconds") > time.time() - 60
    assert sample(text, "roost_gc_blobs_deleted_total") is not None


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": f"Basic {TOKEN}"}])
def test_metrics_need_the_token(server, headers):
    response = requests.get(server.metrics_url, headers=headers, timeout=10)
    assert response.status_code == 401 and "metrics_token" in response.text
    assert "roost_core_requests_total" not in response.text


def test_a_core_asked_for_metrics_without_a_token_says_so(tmp_path):
    result = subprocess.run(
        [roost_executable(), "core", "--data-dir", str(tmp_path / "data"),
         "--core-listen", f"127.0.0.1:{free_port()}",
         "--core-metrics-listen", f"127.0.0.1:{free_port()}"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "ROOST_METRICS_TOKEN": ""})
    assert result.returncode == 1
    assert "core_metrics_listen needs metrics_token" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sample_dashboard_reads_only_metrics_roost_exports():
    """deploy/grafana/roost-dashboard.json queries the fronts' and the cores' metrics by
    name: each name it uses is one of theirs (a renamed metric would leave a panel empty)."""
    import json
    import re
    from pathlib import Path

    from roost.admin import metrics as front_metrics
    from roost.core import metrics as core_metrics

    root = Path(__file__).resolve().parent.parent
    dashboard = json.loads((root / "deploy" / "grafana" / "roost-dashboard.json").read_text())
    exported = set()
    for registry in (front_metrics.REGISTRY, core_metrics.REGISTRY):
        for family in registry.collect():  # labelled families may have no samples yet
            suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"]}
            exported |= {family.name + suffix
                         for suffix in suffixes.get(family.type, [""])}
    exported |= {"roost_db_connections_in_use", "roost_db_connections_idle",
                 "roost_history_fold_backlog_lines"}  # the sql plugin's, at scrape time
    used = {name for panel in dashboard["panels"] for target in panel["targets"]
            for name in re.findall(r"\b((?:roost|process)_[a-z_]+)", target["expr"])}
    assert used and used <= exported, sorted(used - exported)
