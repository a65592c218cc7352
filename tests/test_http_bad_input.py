"""Bad input over plain HTTP against a running Roost: each answer is the right 4xx with a clear
message, and storage is unchanged afterwards. A wrong or missing key never acts as anyone."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import requests

from harness import RoostServer

# The upload limit is above the request limit, as by default (64 MiB and 5 GiB), so the
# app, not the WSGI server's cap (the larger of the two), answers an oversized GraphQL body.
MAX_REQUEST = 16 * 1024
MAX_UPLOAD = 64 * 1024
UPSERT = ("mutation UpsertBucket($name: String, $project: String, $entity: String) {"
          " upsertBucket(input: {name: $name, modelName: $project, entityName: $entity}) {"
          " bucket { id name } inserted } }")
CREATE_RUN_FILES = (
    "mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, "
    "$files: [String!]!) { createRunFiles(input: {entityName: $entity, projectName: $project, "
    "runName: $run, files: $files}) { runID uploadHeaders files { name uploadUrl } } }")
STATE_TABLES = {
    "entity": "id, name", '"user"': "id, username, admin, password_hash",
    "api_key": "id, user_id, key_hash, revoked_at", "project": "id, entity_id, name",
    "run": "*", "history_line": "*", "event_line": "*", "console_line": "*", "run_file": "*"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with RoostServer(tmp_path_factory.mktemp("bad-input") / "data",
                     extra_args=["--max-request-bytes", str(MAX_REQUEST),
                                 "--max-upload-bytes", str(MAX_UPLOAD)]) as running:
        yield running


@pytest.fixture(scope="module")
def owner(server) -> tuple[str, str]:
    return "owner", server.create_user("owner")


@pytest.fixture(scope="module")
def run_path(server, owner) -> str:
    """A run with three history lines, made the way the SDK makes one."""
    name, key = owner
    answer = gql(server, key, UPSERT, {"name": "target", "project": "proj", "entity": name})
    assert answer.json()["data"]["upsertBucket"]["inserted"] is True
    path = f"{name}/proj/target"
    assert stream(server, key, path, history(0, 3)).status_code == 200
    return path


def gql(server, key, query, variables=None, **extra) -> requests.Response:
    auth = ("api", key) if key is not None else None
    return requests.post(server.url + "/graphql", auth=auth, timeout=30,
                         json={"query": query, "variables": variables or {}, **extra})


def stream(server, key, path, body) -> requests.Response:
    auth = ("api", key) if key is not None else None
    return requests.post(f"{server.url}/files/{path}/file_stream", json=body, auth=auth,
                         timeout=30)


def history(offset: int, count: int, tag: str = "a") -> dict:
    lines = [json.dumps({"_step": i, "value": i, "tag": tag}) for i in range(offset, offset + count)]
    return {"files": {"wandb-history.jsonl": {"offset": offset, "content": lines}}}


def stored_state(server) -> dict:
    """Everything the requests under test could change, plus the media files."""
    server.wait_for_rollups()  # the folding thread catching up is not a change a test made
    state = {table: server.query(f"SELECT {columns} FROM {table} ORDER BY 1")
             for table, columns in STATE_TABLES.items()}
    media = server.data_dir / "media"
    state["media"] = sorted((str(p.relative_to(server.data_dir)), p.read_bytes())
                            for p in server.data_dir.rglob("*")
                            if p.is_file() and p.is_relative_to(media))
    state["outside"] = sorted(str(p) for p in server.data_dir.parent.rglob("*escape*"))
    return state


def error_of(response: requests.Response) -> str:
    assert response.headers["Content-Type"].startswith("application/json"), response.text
    return response.json()["error"]


@pytest.fixture
def unchanged(server, run_path):
    """Asserts, after the test, that storage is exactly as it was before."""
    before = stored_state(server)
    yield
    assert stored_state(server) == before


# -- malformed requests ------------------------------------------------------------------------
def test_graphql_malformed_json_is_400(server, owner, unchanged):
    response = requests.post(server.url + "/graphql", data=b'{"query": "{viewer{id}"',
                             headers={"Content-Type": "application/json"},
                             auth=("api", owner[1]), timeout=30)
    assert response.status_code == 400
    assert "JSON" in error_of(response)


@pytest.mark.parametrize("body", [b"[1, 2]", b'"a string"', b"null"])
def test_graphql_body_that_is_not_an_object_is_400(server, owner, body, unchanged):
    response = requests.post(server.url + "/graphql", data=body, auth=("api", owner[1]),
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400
    assert "JSON object" in error_of(response)


def test_graphql_variables_not_an_object_is_400(server, owner, unchanged):
    response = requests.post(server.url + "/graphql", auth=("api", owner[1]), timeout=30,
                             json={"query": "{ viewer { id } }", "variables": [1]})
    assert response.status_code == 400
    assert "Variables" in error_of(response)


def test_graphql_empty_operation_name_is_treated_as_absent(server, owner):
    response = gql(server, owner[1], "query Viewer { viewer { username } }", operationName="")
    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": {"username": "owner"}}}


@pytest.mark.parametrize("body, message", [
    (b"{not json", "not valid JSON"),
    (b"[]", "JSON object"),
    (b'{"files": ["wandb-history.jsonl"]}', "'files' must be an object"),
    (b'{"files": {"wandb-history.jsonl": {"offset": "0", "content": []}}}', "offset"),
    (b'{"files": {"wandb-history.jsonl": {"offset": 3, "content": "x"}}}', "list of strings"),
    (b'{"files": {"wandb-history.jsonl": {"offset": 3, "content": ["not json"]}}}',
     "line 3 is not valid JSON"),
    (b'{"files": {"wandb-history.jsonl": {"offset": -1, "content": ["{}"]}}}', ">= 0"),
    (b'{"files": {"notes.txt": {"offset": 0, "content": ["x"]}}}', "unknown file_stream file"),
    (b'{"exitcode": "zero", "complete": true}', "exitcode"),
    (b'{"exitcode": 4294967296, "complete": true}', "exitcode"),
    (b'{"exitcode": true, "complete": true}', "exitcode"),
    (b'{"complete": "yes"}', "'complete' must be true or false"),
    (b'{"preempting": 1}', "'preempting' must be true or false"),
    (b'{"uploaded": "model.pt"}', "'uploaded' must be a list"),
    (b'{"files": {"wandb-history.jsonl": {"offset": 3, "content": ["{}", 7]}}}',
     "list of strings"),
    (b'{"files": {"wandb-history.jsonl": {"offset": 3, "content": ["{\\"_step\\": NaN}"]}}}',
     "line 3 has a non-numeric _step"),
])
def test_file_stream_malformed_body_is_400(server, owner, run_path, body, message, unchanged):
    response = requests.post(f"{server.url}/files/{run_path}/file_stream", data=body,
                             auth=("api", owner[1]), timeout=30)
    assert response.status_code == 400
    assert message in error_of(response)


def test_file_stream_for_unknown_run_is_404_naming_it(server, owner, unchanged):
    response = stream(server, owner[1], "owner/proj/nosuchrun", history(0, 1))
    assert response.status_code == 404
    assert "owner/proj/nosuchrun" in error_of(response)


# -- credentials -------------------------------------------------------------------------------
def test_file_stream_checks_the_key_before_reading_the_body(server, run_path, unchanged):
    # The core authenticates and parses in one call: a wrong key learns nothing of its body.
    response = requests.post(f"{server.url}/files/{run_path}/file_stream", data=b"{not json",
                             auth=("api", "z" * 40), timeout=30)
    assert response.status_code == 401
    assert "invalid API key" in error_of(response)


BAD_AUTH = {
    "no key": {},
    "wrong key": {"auth": ("api", "x" * 40)},
    "empty key": {"auth": ("api", "")},
    "wrong password": {"auth": ("owner", "not-the-password")},
    "bearer wrong key": {"headers": {"Authorization": "Bearer " + "y" * 40}},
    "malformed basic": {"headers": {"Authorization": "Basic !!!not-base64"}},
    "unknown scheme": {"headers": {"Authorization": "Digest abc"}},
}


@pytest.mark.parametrize("how", sorted(BAD_AUTH))
def test_wrong_or_missing_key_is_401_and_acts_as_no_one(server, owner, run_path, how, unchanged):
    options = BAD_AUTH[how]
    # Writes into the owner's (private) project: refused with 401 whatever the credentials.
    writes = [
        ("/graphql", {"query": UPSERT, "variables": {"name": "intruder", "project": "proj",
                                                      "entity": "owner"}}),
        ("/graphql", {"query": CREATE_RUN_FILES, "variables": {
            "entity": "owner", "project": "proj", "run": "target", "files": ["x.txt"]}}),
        (f"/files/{run_path}/file_stream", history(3, 2) | {"complete": True, "exitcode": 1}),
    ]
    for path, body in writes:
        response = requests.post(server.url + path, json=body, timeout=30, **options)
        assert response.status_code == 401, (path, response.text)
        assert response.headers.get("WWW-Authenticate", "").startswith("Basic")
        answer = response.json()
        assert answer.get("error") or answer["errors"][0]["message"]
        assert not (answer.get("data") or {}).get("upsertBucket")
    download = requests.get(f"{server.url}/files/{run_path}/wandb-summary.json", timeout=30,
                            **options)
    assert download.status_code == 401

    # A run without an entity would land in the caller's own: there is none to land in.
    response = requests.post(server.url + "/graphql", timeout=30, **options, json={
        "query": UPSERT, "variables": {"name": "intruder", "project": "proj"}})
    assert response.status_code == 401
    assert (response.json().get("data") or {}).get("upsertBucket") is None
    if how == "no key":
        assert "needs an API key" in json.dumps(response.json())

    viewer = requests.post(server.url + "/graphql", json={"query": "{ viewer { username } }"},
                           timeout=30, **options)
    if how == "no key":
        # No credentials at all is the anonymous visitor (public projects only): nobody.
        assert viewer.status_code == 200
        assert viewer.json()["data"]["viewer"] is None
    else:
        # Credentials that do not check out are refused, never downgraded to anonymous.
        assert viewer.status_code == 401
        assert error_of(viewer)


# -- sizes -------------------------------------------------------------------------------------
def test_oversized_graphql_and_file_stream_bodies_are_413(server, owner, run_path, unchanged):
    big = "v" * (MAX_REQUEST + 1)
    response = gql(server, owner[1], UPSERT, {"name": big, "project": "proj"})
    assert response.status_code == 413
    assert "larger than" in error_of(response)
    body = {"files": {"wandb-history.jsonl": {"offset": 3, "content": [
        json.dumps({"_step": 3, "blob": big})]}}}
    response = stream(server, owner[1], run_path, body)
    assert response.status_code == 413
    assert "larger than" in error_of(response)
    # Without a Content-Length (chunked), the limit still holds.
    payload = json.dumps(body).encode()
    response = requests.post(f"{server.url}/files/{run_path}/file_stream", timeout=30,
                             auth=("api", owner[1]),
                             data=(payload[i:i + 8192] for i in range(0, len(payload), 8192)))
    assert response.status_code == 413


def upload_url(server, key, path, name) -> str:
    entity, project, run = path.split("/")
    answer = gql(server, key, CREATE_RUN_FILES,
                 {"entity": entity, "project": project, "run": run, "files": [name]}).json()
    assert "errors" not in answer, answer
    return answer["data"]["createRunFiles"]["files"][0]["uploadUrl"]


def test_upload_over_the_upload_limit_is_413_and_stores_nothing(server, owner, run_path):
    url = upload_url(server, owner[1], run_path, "too-big.bin")
    before = stored_state(server)
    # The WSGI server (waitress) enforces this cap before the app sees the body; its answer
    # is plain text, which is as far as a body that size gets.
    response = requests.put(url, data=b"z" * (MAX_UPLOAD + 1), timeout=30)
    assert response.status_code == 413
    assert str(MAX_UPLOAD) in response.text
    chunked = requests.put(url, data=(b"z" * 4096 for _ in range(MAX_UPLOAD // 4096 + 1)),
                           timeout=30)
    assert chunked.status_code == 413
    assert stored_state(server) == before
    record = server.query("SELECT uploaded FROM run_file WHERE name = ?", ("too-big.bin",))
    assert record == [{"uploaded": 0}]


# -- path tricks -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a/../../b", "a\\b", "..\\..\\x", "..",
                                  ".", "./a", "a//b", "a/", "", "a\x00b"])
def test_path_tricks_in_run_file_names_are_refused(server, owner, run_path, name, unchanged):
    entity, project, run = run_path.split("/")
    answer = gql(server, owner[1], CREATE_RUN_FILES,
                 {"entity": entity, "project": project, "run": run, "files": ["fine.txt", name]})
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"]["createRunFiles"] is None
    assert "invalid file name" in body["errors"][0]["message"]
    response = stream(server, owner[1], run_path, {"uploaded": [name]})
    assert response.status_code == 400
    assert "invalid file name" in error_of(response)


def signer(server):
    from roost.core.media import UrlSigner

    return UrlSigner((server.data_dir / "signing.key").read_text().strip())


def split_signed(url: str) -> tuple[str, str, str]:
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    return parsed.path, query["exp"][0], query["sig"][0]


def flip(char: str) -> str:
    return "B" if char == "A" else "A"


def test_signed_upload_urls_refuse_any_alteration(server, owner, run_path):
    url = upload_url(server, owner[1], run_path, "signed.txt")
    path, exp, sig = split_signed(url)
    other_path = path.replace("signed.txt", "other.txt")
    before = stored_state(server)
    tampered = {
        "unsigned": f"{server.url}{path}",
        "signature altered": f"{server.url}{path}?exp={exp}&sig={flip(sig[0])}{sig[1:]}",
        "signature of another file": f"{server.url}{other_path}?exp={exp}&sig={sig}",
        "expiry extended": f"{server.url}{path}?exp={int(exp) + 3600}&sig={sig}",
    }
    key = path.removeprefix("/storage/")
    expired = int(time.time()) - 10
    tampered["expired (validly signed)"] = (
        f"{server.url}{path}?exp={expired}&sig={signer(server).signature('PUT', key, expired)}")
    for what, bad_url in tampered.items():
        response = requests.put(bad_url, data=b"intruder", timeout=30)
        assert response.status_code == 403, what
        assert error_of(response), what
    assert "expired" in error_of(requests.put(tampered["expired (validly signed)"], data=b"x"))
    # A download signature does not allow an upload, nor the other way round.
    download = requests.get(url, timeout=30)
    assert download.status_code == 403
    assert stored_state(server) == before

    assert requests.put(url, data=b"the real bytes", timeout=30).status_code == 200
    record = server.run_files(server.run_record(*run_path.split("/"))["id"])["signed.txt"]
    assert record["uploaded"] and record["size"] == len(b"the real bytes")
    assert server.media_path(record["key"]).read_bytes() == b"the real bytes"


@pytest.mark.parametrize("raw_key", ["runs/1/../../../escape.txt", "runs/%2e%2e/%2e%2e/escape.txt",
                                     "..%2Fescape.txt", "runs/1/..%5C..%5Cescape.txt"])
def test_dot_dot_in_storage_paths_is_refused(server, run_path, raw_key, unchanged):
    # Sent raw (no client-side normalisation), and validly signed for the decoded key, so only
    # the server's path check stands between the request and a file outside the store.
    key = unquote(raw_key)
    expires = int(time.time()) + 600
    query = f"exp={expires}&sig={signer(server).signature('PUT', key, expires)}"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("PUT", f"/storage/{raw_key}?{query}", body=b"escaped",
                           headers={"Content-Length": "7"})
        response = connection.getresponse()
        status, body = response.status, response.read()
    finally:
        connection.close()
    assert status == 400, body
    assert "invalid storage path" in json.loads(body)["error"]


# -- file_stream offsets -----------------------------------------------------------------------
def history_rows(server, run_path):
    run = server.run_record(*run_path.split("/"))
    return run, server.lines("history_line", run["id"])


def test_file_stream_gap_overlap_and_retry(server, owner):
    name, key = owner
    gql(server, key, UPSERT, {"name": "offsets", "project": "proj", "entity": name})
    path = f"{name}/proj/offsets"
    assert stream(server, key, path, history(0, 3)).status_code == 200
    run, rows = history_rows(server, path)
    before = stored_state(server)

    gap = stream(server, key, path, history(5, 2))
    assert gap.status_code == 400
    assert "lines 3-4 were never sent" in error_of(gap)

    conflict = stream(server, key, path, history(2, 2, tag="different"))
    assert conflict.status_code == 409
    assert "line 2 is already stored with different content" in error_of(conflict)

    # A rejected request stores nothing, not even its valid parts.
    mixed = history(3, 1) | {"files": {**history(3, 1)["files"], "output.log": {
        "offset": 0, "content": ["console"]}, "wandb-events.jsonl": {
        "offset": 4, "content": ["{}"]}}}
    assert stream(server, key, path, mixed).status_code == 400
    assert stored_state(server) == before

    # The SDK retrying the same chunk (and a chunk overlapping stored lines) changes nothing
    # twice: each line is stored once.
    for body in (history(0, 3), history(0, 3), history(2, 3), history(2, 3)):
        assert stream(server, key, path, body).status_code == 200
    run, rows = history_rows(server, path)
    assert [row["line"] for row in rows] == [0, 1, 2, 3, 4]
    assert [row["step"] for row in rows] == [0, 1, 2, 3, 4]
    assert run["history_line_count"] == 5


def test_console_lines_are_rewritten_by_offset_not_duplicated(server, owner):
    name, key = owner
    gql(server, key, UPSERT, {"name": "console", "project": "proj", "entity": name})
    path = f"{name}/proj/console"

    def console(offset, *lines):
        return {"files": {"output.log": {"offset": offset, "content": list(lines)}}}

    for body in (console(0, "a", "b 10%"), console(1, "b 60%"), console(1, "b 100%", "c"),
                 console(1, "b 100%", "c")):
        assert stream(server, key, path, body).status_code == 200
    gap = stream(server, key, path, console(5, "late"))
    assert gap.status_code == 400
    assert "output.log" in error_of(gap)
    run = server.run_record(*path.split("/"))
    lines = server.lines("console_line", run["id"])
    assert [(row["line"], row["data"]) for row in lines] == [(0, "a"), (1, "b 100%"), (2, "c")]
    assert run["log_line_count"] == 3
