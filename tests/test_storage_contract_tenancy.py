"""The storage contract's ``accounts`` administration and ``tenancy`` areas
(roost.core.storage.accounts, roost.core.storage.tenancy) on SQLite, PostgreSQL and MariaDB.
Part of the contract suite: test_storage_contract.py checks every contract method has a test."""

from __future__ import annotations

import json
import time

import pytest

from roost.core.errors import AlreadyExists, NotFound
from test_storage_contract import on_every_engine


class TenancyContract:
    @pytest.fixture
    def alice(self, storage):
        return storage.create_user("alice", "Alice@Example.org", "hash", admin=False)

    @pytest.fixture
    def team(self, storage, alice):
        return storage.create_team("lab", alice["id"])

    # -- accounts administration -------------------------------------------------------------
    def test_list_find_and_update_users(self, storage, alice):
        storage.create_user("bob", "bob@example.org", None, admin=False)
        assert [u["username"] for u in storage.list_users("", 10)] == ["alice", "bob"]
        assert [u["username"] for u in storage.list_users("example.org", 1)] == ["alice"]
        assert [u["username"] for u in storage.list_users("bo", 10)] == ["bob"]
        assert storage.find_user_by_email("alice@example.ORG")["id"] == alice["id"]
        assert storage.find_user_by_email("nobody@example.org") is None
        changed = storage.update_user(alice["id"], {"disabled": True, "name": "Al",
                                                    "username": "ignored"})
        assert changed["disabled"] is True and changed["name"] == "Al"
        assert changed["username"] == "alice"

    def test_account_kind_and_get_api_key(self, storage, alice, team):
        assert storage.account_kind(alice["id"]) == "user"
        service = storage.create_service_account("lab", "lab-bot", "the lab's bot")
        assert service["kind"] == storage.account_kind(service["id"]) == "service"
        assert service["password_hash"] is None and service["teams"] == ["lab"]
        key = storage.create_api_key(alice["id"], "h" * 64, "abcd", "laptop")
        found = storage.get_api_key(key["id"])
        assert found["username"] == "alice" and found["hint"] == "abcd"
        storage.revoke_api_key(key["id"])
        assert storage.get_api_key(key["id"])["revoked"] is True
        assert storage.get_api_key("999999") is None
        with pytest.raises(NotFound):
            storage.get_api_key("not-an-id")

    # -- teams -------------------------------------------------------------------------------
    def test_teams_and_memberships(self, storage, alice, team):
        assert team["name"] == "lab" and team["kind"] == "team"
        with pytest.raises(AlreadyExists):
            storage.create_team("alice", alice["id"])
        with pytest.raises(AlreadyExists):
            storage.create_team("lab", "")
        bob = storage.create_user("bob", "", None, admin=False)
        assert storage.set_membership("lab", bob["id"], "member") is None
        assert storage.set_membership("lab", bob["id"], "admin") == "member"
        members = storage.team_members("lab")
        assert [(m["username"], m["role"], m["kind"]) for m in members] == [
            ("alice", "owner", "user"), ("bob", "admin", "user")]
        assert storage.count_owners("lab") == 1
        assert [(t["name"], t["member_count"]) for t in storage.list_teams()] == [("lab", 2)]
        assert storage.remove_membership("lab", bob["id"]) == "admin"
        assert storage.remove_membership("lab", bob["id"]) is None
        with pytest.raises(NotFound):
            storage.team_members("alice")  # a user, not a team
        with pytest.raises(NotFound):
            storage.count_owners("nowhere")

    def test_entity_access(self, storage, alice, team):
        bob = storage.create_user("bob", "", None, admin=False)
        storage.upsert_run("lab", "p", "r", None, {}, alice["id"])
        assert storage.entity_access("nowhere", "p", alice["id"]) is None
        own = storage.entity_access("alice", "x", alice["id"])
        assert own["kind"] == "user" and own["role"] == "owner"
        assert own["project_exists"] is False and own["admin"] is False
        lab = storage.entity_access("lab", "p", alice["id"])
        assert (lab["kind"], lab["role"], lab["project_exists"]) == ("team", "owner", True)
        assert storage.entity_access("lab", "p", bob["id"])["role"] is None
        assert storage.entity_access("lab", "p", "")["role"] is None
        storage.set_project_visibility("lab", "p", "public")
        assert storage.entity_access("lab", "p", bob["id"])["visibility"] == "public"

    # -- projects ----------------------------------------------------------------------------
    def test_projects_administration(self, storage, alice, team):
        run, _ = storage.upsert_run("alice", "p", "r", None, {}, alice["id"])
        [record] = storage.register_run_files(run["id"], ["a.txt"])
        storage.mark_run_file_uploaded(record["key"], 7, "md5")
        [project] = storage.list_projects("alice")
        assert (project["name"], project["run_count"], project["bytes"],
                project["file_count"], project["artifact_bytes"]) == ("p", 1, 7, 1, 0)
        assert project["visibility"] == "" and project["entity_kind"] == "user"
        assert storage.set_project_visibility("alice", "p", "private") == ""
        assert storage.set_project_visibility("alice", "p", "public") == "private"
        with pytest.raises(NotFound):
            storage.set_project_visibility("alice", "nope", "public")
        storage.upsert_run("lab", "p", "other", None, {}, alice["id"])
        with pytest.raises(AlreadyExists):
            storage.move_project("alice", "p", "lab")
        storage.upsert_run("alice", "q", "r", None, {}, alice["id"])
        storage.move_project("alice", "q", "lab")
        assert [p["name"] for p in storage.list_projects("lab")] == ["p", "q"]
        assert storage.delete_project("alice", "p") == [record["key"]]
        assert storage.get_run_by_id(run["id"]) is None
        assert storage.list_projects("alice") == []
        with pytest.raises(NotFound):
            storage.delete_project("alice", "p")

    # -- share links and invites -------------------------------------------------------------
    def test_share_links(self, storage, alice):
        storage.upsert_run("alice", "p", "r", None, {}, alice["id"])
        link = storage.create_share_link("t" * 64, "alice", "p", "r", alice["id"],
                                         time.time() + 60, "for a reviewer")
        assert (link["entity"], link["project"], link["run"], link["created_by"]) == (
            "alice", "p", "r", "alice")
        assert link["revoked"] is False and link["description"] == "for a reviewer"
        assert storage.get_share_link(link["id"]) == link
        assert storage.find_share_link("t" * 64)["id"] == link["id"]
        assert storage.find_share_link("u" * 64) is None
        second = storage.create_share_link("v" * 64, "alice", "p", "", "", 0, "")
        assert second["expires_at"] == 0.0 and second["created_by"] == ""
        assert [x["id"] for x in storage.list_share_links("alice", "p")] == [second["id"],
                                                                           link["id"]]
        assert storage.list_share_links("alice", "other") == []
        revoked = storage.revoke_share_link(link["id"])
        assert revoked["revoked"] is True
        assert storage.revoke_share_link("999999") is None
        with pytest.raises(NotFound):
            storage.create_share_link("w" * 64, "alice", "nope", "", "", 0, "")

    def test_invites(self, storage, alice, team):
        bob = storage.create_user("bob", "", None, admin=False)
        invite = storage.create_invite("i" * 64, "lab", "member", "bob@example.org",
                                       alice["id"], time.time() + 60)
        assert (invite["team"], invite["role"], invite["email"], invite["created_by"]) == (
            "lab", "member", "bob@example.org", "alice")
        assert invite["accepted_by"] == "" and invite["revoked"] is False
        assert storage.find_invite("i" * 64)["token_hash"] == "i" * 64
        assert storage.find_invite("j" * 64) is None
        assert storage.get_invite(invite["id"])["id"] == invite["id"]
        server_wide = storage.create_invite("k" * 64, "", "member", "", "", 0)
        assert server_wide["team"] == ""
        assert [i["id"] for i in storage.list_invites("lab")] == [invite["id"]]
        assert len(storage.list_invites("")) == 2
        assert storage.accept_invite(invite["id"], bob["id"]) is True
        assert storage.accept_invite(invite["id"], bob["id"]) is False  # used once only
        assert storage.get_invite(invite["id"])["accepted_by"] == "bob"
        assert storage.revoke_invite(server_wide["id"])["revoked"] is True
        assert storage.accept_invite(server_wide["id"], bob["id"]) is False
        assert storage.revoke_invite("999999") is None
        with pytest.raises(NotFound):
            storage.create_invite("l" * 64, "nowhere", "member", "", "", 0)

    # -- audit log and settings --------------------------------------------------------------
    def test_audit_log_and_settings(self, storage):
        first = storage.add_audit_entry("alice", "team.create", "lab", {"b": 1, "a": 2})
        second = storage.add_audit_entry("bob", "key.revoke", "k1", {})
        entries = storage.list_audit_entries(10, "", "")
        assert [e["id"] for e in entries] == [second, first]
        assert json.loads(entries[1]["detail"]) == {"a": 2, "b": 1}
        assert [e["id"] for e in storage.list_audit_entries(10, second, "")] == [first]
        assert [e["id"] for e in storage.list_audit_entries(10, "", "team.create")] == [first]
        assert storage.list_audit_entries(1, "", "")[0]["actor"] == "bob"
        assert storage.get_setting("signup") is None
        storage.set_setting("signup", "invite")
        storage.set_setting("signup", "open")
        assert storage.get_setting("signup") == "open"


TestSqliteTenancy, TestPostgresTenancy, TestMysqlTenancy = on_every_engine(TenancyContract)
