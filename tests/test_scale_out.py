"""Roost scaled out as processes: several fronts share sessions and CSRF tokens, a front
pointed at several cores keeps answering when one of them is killed, and each front's /metrics
counts what it served (issue 16, items 2, 3 and 6)."""

from __future__ import annotations

import os
import re
import signal
import time
import uuid

import pytest
import requests

from harness import RoostServer
from storage_fixtures import backend_marks, temporary_database
from tenancy_helpers import READ_RUN, Web, gql, stream_history, upsert


@pytest.fixture(scope="module")
def two_fronts(tmp_path_factory):
    """One core, two fronts with data dirs of their own (nothing shared on disk): only the
    core secret, given in the environment as compose.yaml does, is common to them."""
    with RoostServer(tmp_path_factory.mktemp("two-fronts") / "data", fronts=2,
                     env={"ROOST_METRICS_TOKEN": METRICS_TOKEN}) as running:
        yield running


METRICS_TOKEN = "metrics-" + uuid.uuid4().hex


def test_a_session_from_one_front_is_signed_in_on_the_other(two_fronts):
    front_a, front_b = two_fronts.front_urls
    web = Web(front_a)
    assert web.login("admin", two_fronts.admin_password).url == front_a + "/"  # the home page
    web.base = front_b  # the same browser, its next request balanced onto the other front
    response = web.get("/console/", allow_redirects=False)
    assert response.status_code == 200, (response.status_code, response.headers)
    assert "admin" in response.text


def test_a_form_fetched_from_one_front_posts_to_the_other(two_fronts):
    front_a, front_b = two_fronts.front_urls
    web = Web(front_a)
    web.get("/login")  # the form and its CSRF token come from front A
    web.base = front_b
    response = web.post("/login", {"username": "admin", "password": two_fronts.admin_password})
    assert response.status_code == 200 and response.url == front_b + "/", \
        response.text[:500]
    assert "CSRF" not in response.text


def test_a_front_with_another_core_secret_is_refused_by_the_core(two_fronts, tmp_path):
    """The session key is derived from the core secret, so a front that could sign sessions
    differently is a front that cannot reach the core at all: it never starts serving."""
    from roost.protos.clients import CoreClient

    client = CoreClient(",".join(two_fronts.core_addresses), "not-the-core-secret", timeout=10)
    try:
        with pytest.raises(Exception) as refused:
            client.health()
        assert "secret" in str(refused.value).lower() or "unauth" in str(refused.value).lower()
    finally:
        client.close()


@pytest.mark.parametrize("backend", [pytest.param("postgresql",
                                                  marks=backend_marks("postgresql"))])
def test_a_front_keeps_serving_when_one_of_two_cores_is_killed(backend, tmp_path):
    with temporary_database(backend, tmp_path) as url, \
            RoostServer(tmp_path / "data", cores=2, database_url=url) as server:
        key = server.admin_key
        core_one = server.processes[0]

        def calls(run: str, offset: int) -> None:
            status, body = upsert(server, key, "admin", "failover", run)
            assert status == 200 and "errors" not in body, body
            response = stream_history(server, key, "admin", "failover", run, offset,
                                      [offset, offset + 1])
            assert response.status_code == 200, response.text
            status, body = gql(server, key, READ_RUN, {"entity": "admin",
                                                       "project": "failover", "run": run})
            assert status == 200 and body["data"]["project"]["run"]["name"] == run, body

        for offset in range(0, 20, 2):
            calls("before", offset)
        # round_robin holds a connection to every core and sends each call to the next one.
        for address in server.core_addresses:
            assert _connected_to(int(address.rsplit(":", 1)[1])), address
        os.kill(core_one.pid, signal.SIGKILL)
        core_one.wait(timeout=10)
        started = time.monotonic()
        for offset in range(0, 40, 2):  # each call lands on the live core, first try or retried
            calls("after", offset)
        # No call waited out a timeout on the dead core (60 s each): 20 x 3 calls in seconds.
        assert time.monotonic() - started < 30
        for run in ("before", "after"):
            status, body = gql(server, key, READ_RUN, {"entity": "admin",
                                                       "project": "failover", "run": run})
            assert body["data"]["project"]["run"]["historyLineCount"] == \
                (20 if run == "before" else 40), body
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200


def _connected_to(port: int) -> bool:
    """Whether some socket here has an established TCP connection to 127.0.0.1:``port``
    (the cores' ports are free ports: only the front connects to them). gRPC's sockets are
    dual-stack, so they are listed in tcp6 as ::ffff:127.0.0.1."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[2].split(":")[1], 16) == port:
                return True
    return False


def test_core_addresses_are_parsed_into_one_balanced_target():
    from roost.protos.clients.balancing import channel_target, parse_addresses, service_config

    assert channel_target("core:50051") == "dns:///core:50051"
    assert channel_target("127.0.0.1:1, 127.0.0.2:2") == "ipv4:127.0.0.1:1,127.0.0.2:2"
    assert channel_target("localhost:7,127.0.0.1:7").startswith(("ipv4:127.0.0.1:7", "ipv6:"))
    for bad in ("", "core", "core:port", ":50051", "core:70000"):
        with pytest.raises(ValueError):
            parse_addresses(bad)
    assert '"round_robin"' in service_config() and "WriteFileStream" in service_config()
    assert "UpsertRun" not in service_config()  # a second attempt could create a second run


def _sample(text: str, name: str, **labels) -> float:
    """The value of one series in Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_routes_core_calls_and_file_stream(two_fronts):
    front = two_fronts.front_urls[1]
    key = two_fronts.admin_key
    upsert(two_fronts, key, "admin", "metrics", "counted")
    response = requests.post(f"{front}/files/admin/metrics/counted/file_stream", auth=("api", key),
                             json={"files": {"wandb-history.jsonl": {"offset": 0, "content": [
                                 '{"_step": 0, "a": 1}', '{"_step": 1, "a": 2}']}}}, timeout=30)
    assert response.status_code == 200, response.text
    streamed = len(response.request.body)

    response = requests.get(front + "/metrics", timeout=30,
                            headers={"Authorization": "Bearer " + METRICS_TOKEN})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(
        "text/plain"), response.text
    text = response.text
    route = "/files/<entity>/<project>/<run>/file_stream"
    assert _sample(text, "roost_http_requests_total", method="POST", route=route,
                   status="200") == 1
    assert _sample(text, "roost_http_request_seconds_count", method="POST", route=route) == 1
    assert "/files/admin/metrics" not in text  # routes, never raw paths
    assert _sample(text, "roost_core_calls_total", method="StorageService/WriteFileStream",
                   code="OK") == 1
    assert _sample(text, "roost_core_call_seconds_count",
                   method="StorageService/WriteFileStream") == 1
    assert _sample(text, "roost_file_stream_lines_total") == 2
    assert _sample(text, "roost_file_stream_bytes_total") == streamed
    assert _sample(text, "process_resident_memory_bytes") > 0


def test_metrics_are_for_admins_and_the_metrics_token_only(two_fronts):
    front = two_fronts.front_urls[0]
    anonymous = requests.get(front + "/metrics", timeout=30)
    assert anonymous.status_code == 401 and "metrics_token" in anonymous.text
    wrong = requests.get(front + "/metrics", headers={"Authorization": "Bearer nope"}, timeout=30)
    assert wrong.status_code == 401
    user_key = two_fronts.create_user("metrics-reader-" + uuid.uuid4().hex[:6])
    assert requests.get(front + "/metrics", auth=("api", user_key), timeout=30
                        ).status_code == 403
    admin = requests.get(front + "/metrics", auth=("api", two_fronts.admin_key), timeout=30)
    assert admin.status_code == 200 and "roost_http_requests_total" in admin.text
    web = Web(front)
    web.login("admin", two_fronts.admin_password)
    assert web.get("/metrics").status_code == 200


def test_a_malformed_core_address_stops_the_front_with_what_is_wrong(tmp_path):
    import subprocess

    from harness import roost_executable

    result = subprocess.run([roost_executable(), "front", "--data-dir", str(tmp_path),
                             "--port", "0", "--core-address", "127.0.0.1:50051,core"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    assert "--core-address: core address 'core' is not host:port" in result.stderr


def test_calls_are_spread_over_the_cores_and_moved_off_a_stopped_one():
    """CoreClient's channel against two stand-in StorageServices: round_robin alternates
    between them; once one stops, every call goes to the other and none fails."""
    from concurrent import futures

    import grpc

    from roost.protos import storage_pb2, storage_pb2_grpc
    from roost.protos.clients import CoreClient

    served = {0: 0, 1: 0}

    class StandIn(storage_pb2_grpc.StorageServiceServicer):
        def __init__(self, number):
            self.number = number

        def Health(self, request, context):
            served[self.number] += 1
            return storage_pb2.HealthReply(ok=True)

    servers, ports = [], []
    for number in (0, 1):
        server = grpc.server(futures.ThreadPoolExecutor(2))
        storage_pb2_grpc.add_StorageServiceServicer_to_server(StandIn(number), server)
        ports.append(server.add_insecure_port("127.0.0.1:0"))
        server.start()
        servers.append(server)
    client = CoreClient(",".join(f"127.0.0.1:{port}" for port in ports), "secret", timeout=10)
    try:
        deadline = time.monotonic() + 10  # until both connections are up, then alternating
        while not all(served.values()) and time.monotonic() < deadline:
            assert client.health().ok
        before = dict(served)
        for _ in range(10):
            assert client.health().ok
        assert served == {0: before[0] + 5, 1: before[1] + 5}
        servers[0].stop(None).wait()
        for _ in range(10):
            assert client.health().ok
        assert served[1] == before[1] + 15
    finally:
        client.close()
        servers[1].stop(None)
