"""Artifacts through the real SDK (each wandb version) on both media stores: local disk and
MinIO (S3 protocol, served by moto on loopback).

One SDK script (sdk_scripts/artifact_flow.py) logs, dedups, uses, downloads, edits, links and
deletes; the tests below read what it saw and what landed in storage, then collect garbage.
"""

from __future__ import annotations


import pytest

from artifact_support import STORES, project_blobs, start_store
from harness import run_sdk

pytestmark = pytest.mark.sdk


@pytest.fixture(scope="module", params=STORES)
def store(request, tmp_path_factory):
    started = start_store(request.param, tmp_path_factory.mktemp(f"art-{request.param}") / "data")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def flow(store, sdk_version, tmp_path_factory) -> dict:
    project = f"flow-{store.kind}-{sdk_version.replace('.', '-')}"
    work = tmp_path_factory.mktemp(project)
    result = run_sdk(sdk_version, "artifact_flow", store.server, args=[project, str(work)],
                     timeout=300)
    result["project"] = project
    return result


def test_versions_and_dedup(flow):
    assert flow["v0"]["version"] == "v0"
    # Logging identical content again gives back the same version, not a new one.
    assert flow["again"] == {"version": "v0", "id": flow["v0"]["id"]}
    assert flow["v1"]["version"] == "v1"
    assert flow["model"] == {"version": "v0", "size": 12 * 1024 * 1024}


def test_bytes_round_trip(flow):
    expected = dict(flow["source_digests"])
    downloaded = dict(flow["downloaded_v0"])
    # The file:// reference is fetched by the client from where it points, not from Roost.
    assert downloaded.pop("ref.txt")
    assert downloaded == expected
    assert flow["large_ok"] is True
    assert flow["entry_bytes"] == f"hello artifact of {flow['project']}\n"
    assert flow["latest_version"] == "v1"  # when run 2 used it
    assert flow["latest_extra"] == f"new content of {flow['project']}"
    assert flow["reference"]["ref"].startswith("file://")


def test_each_blob_uploaded_exactly_once(flow, store):
    blobs = project_blobs(store.server, flow["entity"], flow["project"])
    puts = [digest for digest in store.blob_puts() if digest in blobs]
    # 43 files of v0, the new file of v1, the large file, one file each for the draft, the
    # increment and the two shards; the identical second log, v1's unchanged files and
    # the drafts' inherited files sent no bytes at all.
    assert len(blobs) == 49
    assert sorted(puts) == sorted(blobs)
    for digest in blobs:
        assert store.blob_exists(digest)


def test_public_api_reads(flow):
    assert flow["api_candidate"] == {"version": "v1", "aliases": ["candidate"],
                                     "metadata": {"rows": 3, "source": "unit"},
                                     "description": "the first dataset", "type": "dataset",
                                     "file_count": 45}
    assert flow["api_v0"]["aliases"] == ["best"]
    assert flow["api_v0"]["digest"] == flow["v0"]["digest"]
    assert flow["api_v0"]["ttl_days"] == 30
    assert flow["api_v0"]["tags"] == ["raw"]
    assert flow["by_alias"] == "v0"
    assert flow["versions"] == ["v0", "v1", "v2", "v3"]
    assert flow["types"] == ["dataset", "model"]
    assert flow["collections"] == ["ds"]
    assert len(flow["files"]) == 44 and "ref.txt" in flow["files"]


def test_alias_and_metadata_edits(flow):
    assert flow["after_save"] == {"aliases": ["best", "golden"], "description": "edited",
                                  "metadata": {"rows": 4}}
    assert flow["after_remove"] == ["best"]


def test_lineage(flow):
    assert flow["logged_by_run1"] == ["ds:v0", "ds:v1", "weights:v0"]
    assert flow["used_by_run2"] == ["ds:v0", "ds:v1", "weights:v0"]
    assert len(flow["used_by"]) == 1
    assert flow["logged_by"]


def test_link_into_portfolio(flow):
    assert flow["portfolio"]["digest"] == flow["portfolio"]["source_digest"]


def test_incremental_and_distributed(flow):
    # new_draft(): a FULL manifest built on v1, one file added and one removed.
    assert flow["draft"] == {"has_draft": True, "has_a": False, "count": 45}
    # incremental=True sends only the new entry (INCREMENTAL); the server merges it onto v2.
    assert flow["incremental"] == {"count": 46,
                                   "inc": f"one more file in {flow['project']}\n",
                                   "draft": f"added by a draft in {flow['project']}\n"}
    # Two runs upsert/finish one artifact by distributed ID: one version with both parts.
    assert flow["distributed"] == {"version": "v0", "files": ["first.txt", "last.txt"]}


MEMBERSHIP = """query($e: String!, $p: String!, $n: String!) { project(name: $p, entityName: $e) {
  artifactCollectionMembership(name: $n) { artifact { id } } } }"""
DELETE = """mutation($id: ID!) { deleteArtifact(input: {artifactID: $id, deleteAliases: true}) {
  artifact { id state } } }"""


def test_deleted_bytes_are_gone_after_gc(flow, store):
    assert flow["deleted_gone"] is True
    assert flow["versions_after_delete"] == ["v1", "v2", "v3"]
    server, entity, project = store.server, flow["entity"], flow["project"]
    held = project_blobs(server, entity, project)
    for name in ("ds:v1", "ds:v2", "ds:v3", "sharded:v0"):
        answer = server.graphql(MEMBERSHIP, {"e": entity, "p": project, "n": name})
        version = answer["data"]["project"]["artifactCollectionMembership"]["artifact"]["id"]
        deleted = server.graphql(DELETE, {"id": version})
        assert deleted["data"]["deleteArtifact"]["artifact"]["state"] == "DELETED", deleted
    still_held = project_blobs(server, entity, project)  # the model's large file
    assert len(still_held) == 1
    freed = held - still_held
    for digest in freed:
        assert store.blob_exists(digest)  # deleting frees nothing until collection
    report = server.cli("gc").stdout
    assert "freed" in report
    for digest in freed:
        assert not store.blob_exists(digest)
    for digest in still_held:
        assert store.blob_exists(digest)
    assert server.query("SELECT COUNT(*) AS n FROM blob WHERE md5 IN (%s)" % ",".join(
        "?" * len(freed)), tuple(freed))[0]["n"] == 0
