"""Storage area ``identity`` of the contract (core/storage/identity.py) on SQLite,
PostgreSQL and MariaDB: key expiry and every key at once, sign-in records, SCIM tokens and
links, external identities; and the migration that adds them to an older database."""

from __future__ import annotations

import time

import pytest

from roost.core.auth import api_key_hash
from test_storage_contract import on_every_engine


class IdentityContract:
    @pytest.fixture
    def alice(self, storage):
        return storage.create_user("alice", "alice@example.com", None, admin=False)

    def test_key_expiry_and_every_key(self, storage, alice):
        team = storage.create_team("ops", alice["id"])
        service = storage.create_service_account(team["name"], "ops-sa-1", "ci")
        later = time.time() + 3600
        mine = storage.create_api_key(alice["id"], api_key_hash("k1"), "k1…", "laptop", later)
        theirs = storage.create_api_key(service["id"], api_key_hash("k2"), "k2…", "", None)
        assert mine["expires_at"] == pytest.approx(later) and theirs["expires_at"] == 0.0
        assert storage.find_api_key(api_key_hash("k1"))["expires_at"] == pytest.approx(later)
        listed = storage.list_all_api_keys(False)
        assert [(k["id"], k["username"], k["kind"]) for k in listed] == [
            (theirs["id"], "ops-sa-1", "service"), (mine["id"], "alice", "user")]
        storage.revoke_api_key(theirs["id"])
        assert [k["id"] for k in storage.list_all_api_keys(False)] == [mine["id"]]
        assert len(storage.list_all_api_keys(True)) == 2

    def test_sign_ins_newest_first_per_method(self, storage, alice):
        for method in ("password", "oidc", "oidc", "oidc"):
            storage.record_sign_in(alice["id"], "alice", method, "10.0.0.1")
            time.sleep(0.01)
        found = storage.last_sign_ins(2)
        assert [(r["method"], r["username"]) for r in found] == [
            ("oidc", "alice"), ("oidc", "alice"), ("password", "alice")]
        assert found[0]["at"] >= found[1]["at"] and found[0]["remote_addr"] == "10.0.0.1"

    def test_scim_tokens(self, storage):
        token = storage.create_scim_token(api_key_hash("t"), "Okta", "admin")
        assert storage.find_scim_token(api_key_hash("t"))["id"] == token["id"]
        storage.touch_scim_token(token["id"], 1234.0)
        assert storage.list_scim_tokens()[0]["last_used_at"] == 1234.0
        assert storage.revoke_scim_token(token["id"])["revoked"] is True
        assert storage.find_scim_token(api_key_hash("t")) is None
        assert storage.revoke_scim_token("999999") is None

    def test_scim_links(self, storage, alice):
        assert storage.scim_links("user") == {}
        storage.set_scim_link("user", alice["id"], external_id="00u1", name="alice@idp")
        storage.set_scim_link("user", alice["id"], deleted=True)
        assert storage.scim_links("user") == {alice["id"]: {
            "external_id": "00u1", "name": "alice@idp", "deleted": True}}
        storage.set_scim_link("user", alice["id"], deleted=False)
        assert storage.scim_links("user")[alice["id"]]["deleted"] is False
        assert storage.scim_links("group") == {}

    def test_external_identities(self, storage, alice):
        issuer = "https://idp.example.org/realms/lab"
        assert storage.find_external_identity(issuer, "sub-1") is None
        storage.link_external_identity(issuer, "sub-1", alice["id"])
        storage.link_external_identity(issuer, "sub-1", alice["id"])  # once only
        assert storage.find_external_identity(issuer, "sub-1") == alice["id"]
        assert storage.find_external_identity("https://other", "sub-1") is None


TestSqliteIdentity, TestPostgresIdentity, TestMysqlIdentity = on_every_engine(IdentityContract)


def test_migration_adds_key_expiry_to_an_older_database(tmp_path):
    """A database made before the identity migration keeps its keys; they never expire."""
    import sqlite3

    from roost.plugins.sql import migrations
    from roost.plugins.sql.store import SqlStorage

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = SqlStorage(url)
    user = store.create_user("old", "", None, False)
    store.create_api_key(user["id"], api_key_hash("old-key"), "old…", "")
    store.close()
    connection = sqlite3.connect(tmp_path / "old.db")
    for table in ("sign_in", "scim_token", "scim_link", "external_identity", "lease",
                  "login_failure"):
        connection.execute(f"DROP TABLE {table}")
    connection.execute("ALTER TABLE api_key DROP COLUMN expires_at")
    # back to the version before the identity migration: it and every later one run again
    identity = migrations.MIGRATIONS.index(migrations._identity) + 1
    connection.execute("DELETE FROM schema_version WHERE version >= ?", (identity,))
    connection.commit()
    connection.close()
    store = SqlStorage(url)
    try:
        assert store.find_api_key(api_key_hash("old-key"))["expires_at"] == 0.0
        assert store.last_sign_ins(5) == []
    finally:
        store.close()
