"""The storage contract's ``artifacts`` area (roost.core.artifacts.storage) on SQLite,
PostgreSQL and MariaDB. Part of the contract suite: test_storage_contract.py checks every
contract method has a test."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest

from roost.core.errors import AlreadyExists, InvalidArgument, NotFound
from test_storage_contract import on_every_engine


def md5s(text: str) -> tuple[str, str]:
    """(base64, hex) MD5 of ``text``."""
    digest = hashlib.md5(text.encode()).digest()
    return base64.b64encode(digest).decode(), digest.hex()


def fields(digest: str, **more) -> dict:
    return {"digest": digest, "description": "", "metadata": "{}", "aliases": [], "tags": []} | more


class ArtifactContract:
    @pytest.fixture
    def alice(self, storage):
        return storage.create_user("alice", "", None, admin=False)

    @pytest.fixture
    def run(self, storage, alice):
        return storage.upsert_run("alice", "p", "r1", None, {}, alice["id"])[0]

    def log(self, storage, run, digest, text="hello", collection="data", **more):
        """Create, upload and commit one version holding ``a.txt`` = ``text``."""
        artifact, _ = storage.create_artifact("alice", "p", "dataset", collection, run["id"],
                                              fields(digest, **more), False, "", "")
        b64, hexed = md5s(text)
        storage.register_blobs(artifact["id"], [("a.txt", b64)])
        storage.mark_blob_stored(hexed, len(text))
        return storage.commit_artifact(artifact["id"], [
            {"path": "a.txt", "digest": b64, "size": len(text), "ref": None,
             "blob_md5": hexed, "birth_artifact_id": artifact["id"], "extra": "",
             "mimetype": "text/plain"}], digest, f"manifests/{artifact['id']}.json")

    # -- logging a version -------------------------------------------------------------------
    def test_create_is_pending_and_found_again(self, storage, run):
        artifact, created = storage.create_artifact(
            "alice", "p", "dataset", "data", run["id"], fields("d1", aliases=["best"]),
            False, "client-1", "seq-client-1")
        assert created and artifact["state"] == "PENDING" and artifact["version_index"] == -1
        assert artifact["collection"] == "data" and artifact["type"] == "dataset"
        assert artifact["created_by"]["name"] == "r1"
        again, created = storage.create_artifact("alice", "p", "dataset", "data", None,
                                                 fields("other"), False, "client-1", "")
        assert not created and again["id"] == artifact["id"]
        assert storage.resolve_client_id("client-1") == artifact["id"]
        assert storage.resolve_client_id("seq-client-1") == artifact["collection_id"]
        assert storage.resolve_client_id("unknown") is None
        assert storage.get_artifact(artifact["id"])["id"] == artifact["id"]
        assert storage.get_artifact("999999") is None
        with pytest.raises(InvalidArgument):
            storage.create_artifact("alice", "p", "model", "data", None, fields("d2"),
                                    False, "", "")

    def test_manifests(self, storage, run):
        artifact, _ = storage.create_artifact("alice", "p", "dataset", "data", None,
                                              fields("d1"), False, "", "")
        first = storage.create_manifest(artifact["id"], "wandb_manifest.json", "FULL", "",
                                        None)
        assert first["key"] and first["artifact_id"] == artifact["id"]
        second = storage.create_manifest(artifact["id"], "patch.json", "PATCH", "x", None)
        assert storage.get_manifest(first["id"])["name"] == "wandb_manifest.json"
        assert storage.get_manifest("999999") is None
        updated = storage.update_manifest(first["id"], "abc", artifact["id"])
        assert updated["digest"] == "abc" and updated["base_artifact_id"] == artifact["id"]
        assert storage.update_manifest(first["id"], None, None)["digest"] == "abc"
        assert [m["id"] for m in storage.list_manifests(artifact["id"])] == [first["id"],
                                                                           second["id"]]
        with pytest.raises(NotFound):
            storage.update_manifest("999999", "x", None)
        with pytest.raises(NotFound):
            storage.create_manifest("999999", "m.json", "FULL", "", None)

    def test_blobs_and_commit(self, storage, run):
        artifact, _ = storage.create_artifact("alice", "p", "dataset", "data", None,
                                              fields("d1", aliases=["best"]), False, "", "")
        b64, hexed = md5s("hello")
        [blob] = storage.register_blobs(artifact["id"], [("a.txt", b64)])
        assert blob == {"md5": hexed, "size": 0, "stored": False,
                        "birth_artifact_id": artifact["id"]}
        with pytest.raises(InvalidArgument):
            storage.register_blobs(artifact["id"], [("b.txt", "not base64")])
        storage.mark_blob_stored(hexed, 5)
        assert storage.get_blobs([hexed, "0" * 32]) == {hexed: blob | {"size": 5,
                                                                       "stored": True}}
        assert storage.garbage_blobs(10) == []  # held by the pending version
        committed = self.log(storage, run, "d2")  # a second version, committed
        assert committed["state"] == "COMMITTED" and committed["version_index"] == 0
        assert [a["alias"] for a in committed["aliases"]] == ["latest"]
        first = storage.commit_artifact(artifact["id"], [], "d1", "m.json")
        assert first["version_index"] == 1
        assert {a["alias"] for a in first["aliases"]} == {"latest", "best"}
        assert storage.commit_artifact(artifact["id"], [], "d1", "m.json") == first
        files, more, total = storage.artifact_files(committed["id"], [], "", 10)
        assert [f["name"] for f in files] == ["a.txt"] and not more and total == 1
        assert files[0]["blob_md5"] == hexed and files[0]["size"] == 5
        assert storage.artifact_files(committed["id"], ["nope"], "", 10) == ([], False, 0)
        found = storage.find_file_by_blob([committed["id"]], None, hexed)
        assert found["artifact_id"] == committed["id"] and found["project"] == "p"
        assert storage.find_file_by_blob(None, "alice", hexed)["name"] == "a.txt"
        assert storage.find_file_by_blob(None, "alice", "0" * 32) is None
        with pytest.raises(NotFound):
            storage.commit_artifact("999999", [], "d", "m")

    def test_dedup_returns_the_committed_version_and_applies_aliases(self, storage, run):
        committed = self.log(storage, run, "same")
        again, created = storage.create_artifact("alice", "p", "dataset", "data", None,
                                                 fields("same", aliases=["prod"]), True, "", "")
        assert not created and again["id"] == committed["id"]
        assert {a["alias"] for a in again["aliases"]} == {"latest", "prod"}

    # -- reading -----------------------------------------------------------------------------
    def test_memberships_collections_and_types(self, storage, run):
        v0 = self.log(storage, run, "d0", "zero")
        v1 = self.log(storage, run, "d1", "one")
        by_alias = storage.get_membership("alice", "p", "data", "latest")
        assert by_alias["artifact"]["id"] == v1["id"] and by_alias["version_index"] == 1
        assert storage.get_membership("alice", "p", "data", "v0")["artifact"]["id"] == v0["id"]
        digest = "0123456789abcdef0123456789abcdef"
        v2 = self.log(storage, run, digest, "two")
        assert storage.get_membership("alice", "p", "data", digest)["artifact"]["id"] == v2["id"]
        assert storage.get_membership("alice", "p", "data", "v9") is None
        assert storage.get_membership("alice", "p", "nope", "latest") is None
        [membership] = storage.list_memberships(v0["id"])
        assert membership["collection"]["name"] == "data" and membership["version_index"] == 0
        page, more, total = storage.list_artifacts("alice", "p", "data", None, None, "", "", 2)
        assert [a["id"] for a in page] == [v2["id"], v1["id"]] and more and total == 3
        assert page[0]["membership_version"] == 2
        page, _, _ = storage.list_artifacts("alice", "p", "data", None, None, "", "2", 2)
        assert [a["id"] for a in page] == [v0["id"]]
        assert storage.list_artifacts("alice", "p", "data", "model", None, "", "", 5) == (
            [], False, 0)
        output, _, total = storage.list_artifacts("", "", None, None, run["id"], "output", "", 0)
        assert total == 3 and [a["id"] for a in output] == [v0["id"], v1["id"], v2["id"]]
        collection = storage.get_collection(entity="alice", project="p", name="data")
        assert collection["kind"] == "sequence" and collection["latest_artifact_id"] == v2["id"]
        assert storage.get_collection(collection["id"])["name"] == "data"
        assert storage.get_collection(entity="alice", project="p", name="nope") is None
        self.log(storage, run, "m0", collection="weights")
        page, more, total = storage.list_collections("alice", "p", None, "", 1)
        assert [c["name"] for c in page] == ["data"] and more and total == 2
        assert storage.list_collections("alice", "p", "model", "", 5) == ([], False, 0)
        assert [t["name"] for t in storage.list_artifact_types("alice", "p")] == ["dataset"]

    def test_use_and_users(self, storage, alice, run):
        version = self.log(storage, run, "d0")
        reader, _ = storage.upsert_run("alice", "p", "reader", None, {}, alice["id"])
        storage.use_artifact(reader["id"], version["id"], "data:latest")
        storage.use_artifact(reader["id"], version["id"], "data:latest")  # a set: once
        assert [r["name"] for r in storage.artifact_users(version["id"])] == ["reader"]
        used, _, total = storage.list_artifacts("", "", None, None, reader["id"], "input", "", 0)
        assert total == 1 and used[0]["id"] == version["id"]

    # -- changing ----------------------------------------------------------------------------
    def test_update_aliases_link_unlink(self, storage, run):
        v0 = self.log(storage, run, "d0")
        v1 = self.log(storage, run, "d1")
        updated = storage.update_artifact(v0["id"], {"description": "first", "metadata": '{"a": 1}',
                                                     "ttl_duration_seconds": 3600,
                                                     "tags_to_add": ["x", "y"],
                                                     "tags_to_delete": ["y"]})
        assert (updated["description"], updated["metadata"], updated["ttl_duration_seconds"],
                updated["tags"]) == ("first", '{"a": 1}', 3600, ["x"])
        with pytest.raises(NotFound):
            storage.update_artifact("999999", {"description": "x"})
        sequence = v0["collection_id"]
        storage.set_aliases(v0["id"], [(sequence, "best")], [])
        storage.set_aliases(v1["id"], [(sequence, "best")], [])  # moves from v0
        assert "best" not in {a["alias"] for a in storage.get_artifact(v0["id"])["aliases"]}
        storage.set_aliases(v1["id"], [(sequence, "prod")], [(sequence, "best")])
        assert {a["alias"] for a in storage.get_artifact(v1["id"])["aliases"]} == {
            "latest", "prod"}
        storage.set_aliases(v1["id"], [(sequence, "only")], [], replace_in=[sequence])
        assert {a["alias"] for a in storage.get_artifact(v1["id"])["aliases"]} == {"only"}
        linked = storage.link_artifact(v0["id"], "alice", "registry", "models", ["staging"])
        assert linked["collection"]["kind"] == "portfolio" and linked["version_index"] == 0
        assert {a["alias"] for a in linked["aliases"]} == {"latest", "staging"}
        assert len(storage.list_memberships(v0["id"])) == 2
        self.log(storage, run, "w0", collection="weights")
        with pytest.raises(InvalidArgument):  # another version's sequence, not a portfolio
            storage.link_artifact(v0["id"], "alice", "p", "weights", [])
        storage.unlink_artifact(v0["id"], linked["collection"]["id"])
        assert len(storage.list_memberships(v0["id"])) == 1
        with pytest.raises(NotFound):
            storage.unlink_artifact(v0["id"], linked["collection"]["id"])
        with pytest.raises(NotFound):
            storage.unlink_artifact(v0["id"], sequence)  # not a portfolio

    def test_update_and_delete_collections(self, storage, run):
        v0 = self.log(storage, run, "d0")
        other = self.log(storage, run, "x0", collection="other")
        changed = storage.update_collection(v0["collection_id"], {
            "name": "renamed", "description": "about", "tags_to_add": ["t"]})
        assert (changed["name"], changed["description"], changed["tags"]) == (
            "renamed", "about", ["t"])
        with pytest.raises(AlreadyExists):
            storage.update_collection(v0["collection_id"], {"name": "other"})
        with pytest.raises(NotFound):
            storage.update_collection("999999", {"description": "x"})
        keys = storage.delete_collection(v0["collection_id"])
        assert keys == [] or all(isinstance(k, str) for k in keys)
        assert storage.get_collection(v0["collection_id"]) is None
        gone = storage.get_artifact(v0["id"])  # deleted with its sequence (or marked so)
        assert gone is None or gone["state"] == "DELETED"
        assert storage.get_artifact(other["id"])["state"] == "COMMITTED"
        with pytest.raises(NotFound):
            storage.delete_collection(v0["collection_id"])

    def test_delete_and_garbage(self, storage, run):
        version = self.log(storage, run, "d0", "only here")
        manifest = storage.create_manifest(version["id"], "wandb_manifest.json", "FULL", "",
                                           None)
        assert storage.delete_artifact(version["id"]) == [manifest["key"]]
        deleted = storage.get_artifact(version["id"])
        assert deleted["state"] == "DELETED" and deleted["aliases"] == []
        assert storage.artifact_files(version["id"], [], "", 0) == ([], False, 0)
        _, hexed = md5s("only here")
        assert [b["md5"] for b in storage.garbage_blobs(10)] == [hexed]
        assert storage.forget_blob(hexed) is True
        assert storage.get_blobs([hexed]) == {}
        held = self.log(storage, run, "d1", "kept")
        assert storage.forget_blob(md5s("kept")[1]) is False  # still referenced
        assert storage.get_artifact(held["id"])["state"] == "COMMITTED"

    def test_expired_artifacts(self, storage, run):
        kept = self.log(storage, run, "d0")
        expiring = self.log(storage, run, "d1", ttl_duration_seconds=60)
        pending, _ = storage.create_artifact("alice", "p", "dataset", "data", None,
                                             fields("d2"), False, "", "")
        now = time.time()
        assert storage.expired_artifacts(now, now - 3600) == []
        expired = storage.expired_artifacts(now + 120, now + 1)
        assert set(expired) == {expiring["id"], pending["id"]} and kept["id"] not in expired
        assert json.loads(storage.get_artifact(kept["id"])["metadata"]) == {}


TestSqliteArtifacts, TestPostgresArtifacts, TestMysqlArtifacts = on_every_engine(ArtifactContract)
