"""Artifacts at the protocol level, on both media stores: every document the clients send is
valid here, and bad input is refused (content never uploaded, URLs expired, altered or for
other content, uploads over the limit). Multipart uploads and references, which the SDK only
uses for files of 2 GiB and more or with cloud credentials, are driven here as it sends them.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
import requests
from graphql import parse, validate

from artifact_support import STORES, start_store
from harness import SDK_VERSIONS, basic_auth, sdk_problem, sdk_python

LIMIT = 8 * 1024 * 1024
CORE_DOCUMENTS = Path(__file__).with_name("data") / "wandb_core_artifact_operations.graphql"
# Operation constants of wandb's generated artifact client that Roost does not serve
# (W&B's registries and organizations).
NOT_SERVED = ("REGISTR", "ORG", "ORGANIZATION")


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


# -- every document the clients send is valid against Roost's schema ---------------------------
def _operations_file(version: str) -> Path:
    code = "import wandb.sdk.artifacts._generated.operations as o; print(o.__file__)"
    out = subprocess.run([sdk_python(version), "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    return Path(out.stdout.strip())


def _documents(path: Path) -> dict[str, str]:
    tree = ast.parse(path.read_text())
    return {node.targets[0].id: node.value.value for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str) and node.targets[0].id.endswith("_GQL")
            and not any(word in node.targets[0].id for word in NOT_SERVED)}


@pytest.fixture(scope="module")
def schema():
    from roost.admin.graphql import registry

    return registry.build()


@pytest.mark.parametrize("version", SDK_VERSIONS)
def test_generated_client_documents_are_valid(schema, version):
    problem = sdk_problem(version)
    if problem:
        pytest.skip(problem)
    documents = _documents(_operations_file(version))
    assert len(documents) > 25
    for name, text in documents.items():
        errors = validate(schema, parse(text))
        assert not errors, f"wandb {version} {name}: {[e.message for e in errors]}"


def test_wandb_core_documents_are_valid(schema):
    blocks = CORE_DOCUMENTS.read_text().split("##### ")[1:]
    assert len(blocks) > 20
    for block in blocks:
        name, _, text = block.partition("\n")
        errors = validate(schema, parse(text))
        assert not errors, f"{name}: {[e.message for e in errors]}"


# -- a Roost per store, and logging by hand ----------------------------------------------------
@pytest.fixture
def unique(request) -> str:
    """A project name no other test of the module uses."""
    return request.node.name.split("[")[0].replace("_", "-")[-40:].strip("-")


@pytest.fixture(scope="module", params=STORES)
def store(request, tmp_path_factory):
    started = start_store(request.param, tmp_path_factory.mktemp(f"proto-{request.param}") / "data",
                          extra_args=["--max-upload-bytes", str(LIMIT)])
    yield started
    started.stop()


class Logger:
    """Sends what wandb-core sends to log one artifact version, step by step."""

    def __init__(self, server, project: str):
        self.server, self.project = server, project
        self.run = "r-" + project
        self.gql("""mutation($p: String!, $r: String!) { upsertBucket(input: {name: $r,
                    modelName: $p, entityName: "admin"}) { bucket { id } } }""",
                 {"p": project, "r": self.run})

    def gql(self, query: str, variables: dict) -> dict:
        return self.server.graphql(query, variables)

    def create(self, name: str, digest: str) -> str:
        answer = self.gql("""mutation($input: CreateArtifactInput!) { createArtifact(input: $input) {
            artifact { id state } } }""", {"input": {
            "entityName": "admin", "projectName": self.project, "artifactTypeName": "dataset",
            "artifactCollectionName": name, "runName": self.run, "digest": digest,
            "digestAlgorithm": "MANIFEST_MD5", "aliases": [{"artifactCollectionName": name,
                                                            "alias": "latest"}],
            "enableDigestDeduplication": True}})
        return answer["data"]["createArtifact"]["artifact"]["id"]

    def manifest(self, artifact_id: str, digest: str = "", manifest_id: str = "") -> dict:
        if manifest_id:
            answer = self.gql("""mutation($id: ID!, $d: String) { updateArtifactManifest(input: {
                artifactManifestID: $id, digest: $d}) { artifactManifest { id file {
                uploadUrl uploadHeaders } } } }""", {"id": manifest_id, "d": digest})
            return answer["data"]["updateArtifactManifest"]["artifactManifest"]
        answer = self.gql("""mutation($a: ID!, $d: String!, $p: String!, $r: String!) {
            createArtifactManifest(input: {artifactID: $a, name: "wandb_manifest.json", digest: $d,
              entityName: "admin", projectName: $p, runName: $r, type: FULL}) {
              artifactManifest { id file { uploadUrl uploadHeaders } } } }""",
                          {"a": artifact_id, "d": digest, "p": self.project, "r": self.run})
        return answer["data"]["createArtifactManifest"]["artifactManifest"]

    def files(self, artifact_id: str, manifest_id: str, specs: list[dict]) -> list[dict]:
        answer = self.gql("""mutation($input: CreateArtifactFilesInput!) { createArtifactFiles(
            input: $input) { files { edges { node { storagePath uploadUrl uploadHeaders
            uploadMultipartUrls { uploadID uploadUrlParts { partNumber uploadUrl } }
            artifact { id } } } } } }""", {"input": {"storageLayout": "V2", "artifactFiles": [
            {"artifactID": artifact_id, "artifactManifestID": manifest_id, **spec}
            for spec in specs]}})
        return [edge["node"] for edge in answer["data"]["createArtifactFiles"]["files"]["edges"]]

    def upload_manifest(self, artifact_id: str, manifest_id: str, contents: dict) -> None:
        body = json.dumps({"version": 1, "storagePolicy": "wandb-storage-policy-v1",
                           "storagePolicyConfig": {"storageLayout": "V2"},
                           "contents": contents}).encode()
        target = self.manifest(artifact_id, md5_b64(body), manifest_id)["file"]
        put(target["uploadUrl"], body, target["uploadHeaders"])

    def commit(self, artifact_id: str) -> dict:
        return self.gql("""mutation($a: ID!) { commitArtifact(input: {artifactID: $a}) {
            artifact { id digest state } } }""", {"a": artifact_id})

    def file_urls(self, artifact_id: str) -> dict[str, str]:
        answer = self.gql("""query($a: ID!) { artifact(id: $a) { files(first: 100) { edges {
            node { name directUrl } } } } }""", {"a": artifact_id})
        return {e["node"]["name"]: e["node"]["directUrl"]
                for e in answer["data"]["artifact"]["files"]["edges"]}


def put(url: str, body: bytes, headers: list[str] | None = None) -> requests.Response:
    sent = dict(h.split(":", 1) for h in headers or [])
    return requests.put(url, data=body, headers=sent, timeout=60)


def entry(data: bytes, birth: str) -> dict:
    return {"digest": md5_b64(data), "size": len(data), "birthArtifactID": birth}


def log_file(logger: Logger, name: str, data: bytes, upload: bool = True):
    """Log a one-file artifact; returns (artifact id, commit answer)."""
    artifact_id = logger.create(name, hashlib.md5(name.encode() + data).hexdigest())
    manifest_id = logger.manifest(artifact_id)["id"]
    node, = logger.files(artifact_id, manifest_id, [{"name": "f.bin", "md5": md5_b64(data)}])
    if upload and node["uploadUrl"]:
        assert put(node["uploadUrl"], data, node["uploadHeaders"]).status_code == 200
    logger.upload_manifest(artifact_id, manifest_id, {"f.bin": entry(data, node["artifact"]["id"])})
    return artifact_id, logger.commit(artifact_id)


# -- bad input ---------------------------------------------------------------------------------
def test_commit_refuses_content_never_uploaded(store, unique):
    logger = Logger(store.server, unique)
    data = os.urandom(1000)
    artifact_id, answer = log_file(logger, "never", data, upload=False)
    assert "never uploaded" in answer["errors"][0]["message"]
    assert not store.blob_exists(hashlib.md5(data).hexdigest())
    # A digest the manifest names but nobody ever registered: refused the same way.
    other = logger.create("made-up", "0" * 32)
    manifest_id = logger.manifest(other)["id"]
    logger.upload_manifest(other, manifest_id, {"x.bin": entry(b"invented", other)})
    assert "never uploaded" in logger.commit(other)["errors"][0]["message"]
    # Uploading it afterwards makes the same version committable.
    node, = logger.files(artifact_id, logger.manifest(artifact_id)["id"],
                         [{"name": "f.bin", "md5": md5_b64(data)}])
    assert put(node["uploadUrl"], data, node["uploadHeaders"]).status_code == 200
    assert logger.commit(artifact_id)["data"]["commitArtifact"]["artifact"]["state"] == "COMMITTED"


def test_references_are_recorded_not_uploaded(store, unique):
    logger = Logger(store.server, unique)
    data = b"stored next to references\n"
    artifact_id = logger.create("refs", hashlib.md5(data).hexdigest())
    manifest_id = logger.manifest(artifact_id)["id"]
    node, = logger.files(artifact_id, manifest_id, [{"name": "local.txt", "md5": md5_b64(data)}])
    put(node["uploadUrl"], data, node["uploadHeaders"])
    logger.upload_manifest(artifact_id, manifest_id, {
        "local.txt": entry(data, artifact_id),
        "bucket.csv": {"digest": "\"9b2cf535f27731c974343645a3985328\"", "size": 123,
                       "ref": "s3://some-bucket/path/table.csv"},
        "nfs.txt": {"digest": md5_b64(b"elsewhere"), "size": 9, "ref": "file:///mnt/data/nfs.txt"},
    })
    answer = logger.commit(artifact_id)
    assert answer["data"]["commitArtifact"]["artifact"]["state"] == "COMMITTED", answer
    urls = logger.file_urls(artifact_id)
    assert urls["bucket.csv"] == "s3://some-bucket/path/table.csv"
    assert urls["nfs.txt"] == "file:///mnt/data/nfs.txt"
    assert requests.get(urls["local.txt"], timeout=30).content == data
    assert not store.blob_exists(hashlib.md5(b"elsewhere").hexdigest())


def test_multipart_upload(store, unique):
    """wandb-core's multipart protocol: part PUTs answered with ETags, then completion."""
    logger = Logger(store.server, unique)
    data = os.urandom(6 * 1024 * 1024)
    parts = [data[:5 * 1024 * 1024], data[5 * 1024 * 1024:]]
    artifact_id = logger.create("big", hashlib.md5(data).hexdigest())
    manifest_id = logger.manifest(artifact_id)["id"]
    node, = logger.files(artifact_id, manifest_id, [{
        "name": "big.bin", "md5": md5_b64(data),
        "uploadPartsInput": [{"partNumber": i + 1, "hexMD5": hashlib.md5(p).hexdigest()}
                             for i, p in enumerate(parts)]}])
    multipart = node["uploadMultipartUrls"]
    assert multipart and len(multipart["uploadUrlParts"]) == 2
    completed = []
    for part in multipart["uploadUrlParts"]:
        response = put(part["uploadUrl"], parts[part["partNumber"] - 1])
        assert response.status_code == 200
        assert response.headers.get("ETag"), "every part PUT must answer with an ETag"
        completed.append({"partNumber": part["partNumber"], "hexMD5": response.headers["ETag"]})
    answer = logger.gql("""mutation($input: CompleteMultipartUploadArtifactInput!) {
        completeMultipartUploadArtifact(input: $input) { digest } }""", {"input": {
        "completeMultipartAction": "Complete", "completedParts": completed,
        "artifactID": node["artifact"]["id"], "storagePath": node["storagePath"],
        "uploadID": multipart["uploadID"]}})
    assert answer["data"]["completeMultipartUploadArtifact"]["digest"], answer
    logger.upload_manifest(artifact_id, manifest_id, {"big.bin": entry(data, artifact_id)})
    assert logger.commit(artifact_id)["data"]["commitArtifact"]["artifact"]["state"] == "COMMITTED"
    assert requests.get(logger.file_urls(artifact_id)["big.bin"], timeout=60).content == data
    assert store.blob_bytes(hashlib.md5(data).hexdigest()) == data


def test_upload_over_the_limit_is_refused(store, unique):
    logger = Logger(store.server, unique)
    data = os.urandom(LIMIT + 1)
    artifact_id, answer = log_file(logger, "huge", data, upload=False)
    node, = logger.files(artifact_id, logger.manifest(artifact_id)["id"],
                         [{"name": "f.bin", "md5": md5_b64(data)}])
    response = put(node["uploadUrl"], data, node["uploadHeaders"])
    if store.kind == "files":
        # Through Roost: refused before anything is stored.
        assert response.status_code == 413
        assert "limit" in response.json()["error"]
    answer = logger.commit(artifact_id)
    assert "errors" in answer and ("limit" in answer["errors"][0]["message"]
                                   or "never uploaded" in answer["errors"][0]["message"])
    # A presigned PUT to a bucket cannot be capped: the bucket takes it, and the commit that
    # finds it too large deletes it.
    assert not store.blob_exists(hashlib.md5(data).hexdigest())


def _with_query(url: str, **changes) -> str:
    parts = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return urlunparse(parts._replace(query=urlencode(query)))


# Presigned bucket URLs are checked by the S3 server itself (moto does not check signatures);
# the URLs Roost signs are checked here.
@pytest.mark.parametrize("store", ["files"], indirect=True)
def test_download_urls_that_are_expired_altered_or_for_other_content_are_refused(store, unique):
    logger = Logger(store.server, unique)
    first, second = b"first content\n", b"second content\n"
    one, _ = log_file(logger, "one", first)
    two, _ = log_file(logger, "two", second)
    url = logger.file_urls(one)["f.bin"]
    other = logger.file_urls(two)["f.bin"]
    assert requests.get(url, timeout=30).content == first
    # Byte ranges, as wandb 0.31 fetches files of 2 GiB and more in parallel parts.
    part = requests.get(url, headers={"Range": "bytes=2-6"}, timeout=30)
    assert part.status_code == 206 and part.content == first[2:7]
    assert part.headers["Content-Range"] == f"bytes 2-6/{len(first)}"
    tail = requests.get(url, headers={"Range": "bytes=-3"}, timeout=30)
    assert tail.status_code == 206 and tail.content == first[-3:]
    signature = parse_qs(urlparse(url).query)["sig"][0]
    altered_sig = _with_query(url, sig=("A" if signature[0] != "A" else "B") + signature[1:])
    later = _with_query(url, exp=str(int(parse_qs(urlparse(url).query)["exp"][0]) + 3600))
    # The signature of one blob on the path of another.
    swapped = urlunparse(urlparse(other)._replace(query=urlparse(url).query))
    from roost.core.media import UrlSigner

    signer = UrlSigner((store.server.data_dir / "signing.key").read_text().strip())
    key = urlparse(url).path.split("/storage/", 1)[1]
    expired = signer.sign("GET", key, store.server.url, ttl=-10)
    for bad in (altered_sig, later, swapped, expired):
        response = requests.get(bad, timeout=30)
        assert response.status_code == 403, bad
        assert response.json()["error"]
    # The authenticated fallback route: without credentials nothing is found; with them, a
    # redirect to a fresh signed URL.
    md5_hex = hashlib.md5(first).hexdigest()
    path = f"/artifacts/admin/{md5_hex}"
    assert store.server.request("GET", path)[0] in (401, 404)  # anonymous: nothing to see
    response = requests.get(store.server.url + path, timeout=30,
                            headers={"Authorization": basic_auth(store.server.admin_key)})
    assert response.status_code == 200 and response.content == first
    for v2 in (f"/artifactsV2/default/admin/{one}/{md5_hex}",
               f"/artifactsV2/default/admin/{unique}/one/{one}/{md5_hex}/f.bin",
               f"/artifactsV2/default/admin/{unique}/one/{one}/{one}/{md5_hex}/f.bin"):
        response = requests.get(store.server.url + v2, timeout=30,
                                headers={"Authorization": basic_auth(store.server.admin_key)})
        assert response.status_code == 200 and response.content == first, v2
    missing = requests.get(store.server.url + f"/artifacts/admin/{'0' * 32}", timeout=30,
                           headers={"Authorization": basic_auth(store.server.admin_key)})
    assert missing.status_code == 404
    # Another user cannot fetch admin's content by digest.
    stranger = store.server.create_user("stranger-" + unique[-20:].strip("-"))
    refused = requests.get(store.server.url + path, timeout=30,
                           headers={"Authorization": basic_auth(stranger)})
    assert refused.status_code in (403, 404)
