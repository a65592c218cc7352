"""Behind a reverse proxy or under a path prefix, the URLs Roost hands the SDK must be the ones
clients can reach: `--root-path`, trusted X-Forwarded-* headers, or an explicit `--base-url`."""

from __future__ import annotations

import json

import pytest

from harness import RoostServer, run_sdk

UPSERT = """mutation($name: String, $project: String) { upsertBucket(input: {name: $name,
    modelName: $project}) { bucket { name project { name entity { name } } } } }"""
CREATE_FILES = """mutation($entity: String!, $project: String!, $run: String!) {
    createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run,
    files: ["model.txt"]}) { files { name uploadUrl } } }"""
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tracking.example.org",
             "X-Forwarded-Port": "443", "X-Forwarded-Prefix": "/lab"}


def upload_url(server: RoostServer, headers: dict) -> str:
    """Create a run and ask for an upload URL, sending ``headers`` as a proxy would."""
    def call(query, variables):
        status, body = server.request("POST", "/graphql", server.admin_key,
                                      {"query": query, "variables": variables},
                                      headers={"Content-Type": "application/json", **headers})
        assert status == 200, body
        return json.loads(body)["data"]

    bucket = call(UPSERT, {"name": "urls", "project": "deploy"})["upsertBucket"]["bucket"]
    files = call(CREATE_FILES, {"entity": bucket["project"]["entity"]["name"],
                                "project": "deploy", "run": "urls"})
    return files["createRunFiles"]["files"][0]["uploadUrl"]


@pytest.fixture
def prefixed(tmp_path):
    server = RoostServer(tmp_path / "data", extra_args=("--root-path", "/roost"))
    server.url += "/roost"  # what researchers put in WANDB_BASE_URL
    server.start()
    yield server
    server.stop()


@pytest.mark.sdk
def test_wandb_logs_through_a_path_prefix(prefixed, sdk_version, tmp_path):
    server = prefixed
    info = run_sdk(sdk_version, "small_run", server, cwd=tmp_path)
    run = server.run_record(info["entity"], info["project"], info["id"])
    assert run["state"] == "finished" and run["history_line_count"] == 100
    stored = server.run_files(run["id"])["small.txt"]
    assert stored["uploaded"] and server.media_path(stored["key"]).read_bytes() == b"small file\n"
    assert upload_url(server, {}).startswith(server.url + "/storage/")


def test_trusted_proxy_headers_shape_the_urls(tmp_path):
    with RoostServer(tmp_path / "data", extra_args=("--proxy-count", "1")) as server:
        assert upload_url(server, FORWARDED).startswith("https://tracking.example.org/lab/storage/")


def test_proxy_headers_are_ignored_unless_trusted(tmp_path):
    with RoostServer(tmp_path / "data") as server:
        assert upload_url(server, FORWARDED).startswith(server.url + "/storage/")


def test_an_explicit_base_url_wins(tmp_path):
    base = "https://roost.example.org/tracking"
    with RoostServer(tmp_path / "data", extra_args=("--base-url", base,
                                                    "--proxy-count", "1")) as server:
        assert upload_url(server, FORWARDED).startswith(base + "/storage/")
