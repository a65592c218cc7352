"""The ldap_auth plugin against a real OpenLDAP slapd (tests/ldap_server.py): good and bad
passwords, direct bind and search-then-bind, StartTLS and LDAPS, the group filter, groups
mapped to teams and roles, the directory going down (a clear error; API keys keep working),
and an LDAP person signing in to the console and using an API key for the SDK."""

from __future__ import annotations

import json

import pytest

from harness import RoostServer
from ldap_server import (GROUPS, PEOPLE, READER_DN, READER_PASSWORD, Slapd, group, person,
                         slapd_problem)
from tenancy_helpers import Admin, Web, gql

pytestmark = [pytest.mark.skipif(slapd_problem() is not None, reason=slapd_problem() or ""),
              pytest.mark.xdist_group("ldap")]  # one slapd for the module

DIRECTORY = "\n".join([
    person("alice", "alice-pass-1", "Alice Liddell", "alice@example.org"),
    person("bob", "bob-pass-1", "Bob Builder", "bob@example.org"),
    person("carol", "carol-pass-1", "Carol Outsider", "carol@example.org"),
    person("dora", "dora-pass-1", "Dora Explorer", "dora@example.org"),
    group("roost-users", ["alice", "bob", "dora"]),
    group("ml", ["alice"]),
    group("ml-admins", ["bob"]),
])
GROUP_MAP = {f"cn=ml,{GROUPS}": "ml:member", f"cn=ml-admins,{GROUPS}": "ml:admin"}


@pytest.fixture(scope="module")
def slapd():
    server = Slapd().start(DIRECTORY)
    yield server
    server.cleanup()


def settings(slapd, **overrides) -> dict:
    values = {
        "ldap_url": slapd.url,
        "ldap_user_dn_template": f"uid={{username}},{PEOPLE}",
        "ldap_group_search_base": GROUPS,
        "ldap_required_group": f"cn=roost-users,{GROUPS}",
        "ldap_group_map": json.dumps(GROUP_MAP),
        "ldap_timeout": 3,
    }
    values.update(overrides)
    return values


@pytest.fixture
def make_core(tmp_path):
    from roost.core.cli import option_registry
    from roost.core.config import load_config
    from roost.core.pluginmanager import make_plugin_manager
    from roost.core.service import Core

    cores = []

    def make(values: dict):
        pm = make_plugin_manager(block=set(), load_entrypoints=False)
        config = load_config(option_registry(pm), {"data_dir": str(tmp_path / "data"),
                                                   **values}, env={})
        core = Core(config, pm)
        cores.append(core)
        return core

    yield make
    for core in cores:
        core.close()


def password(username: str, secret: str):
    from roost.core.auth import Credentials

    return Credentials("password", username, secret, "127.0.0.1")


def test_good_password_creates_the_account_and_maps_groups(slapd, make_core):
    core = make_core(settings(slapd))
    principal = core.accounts.authenticate(password("alice", "alice-pass-1"))
    assert principal.username == "alice" and principal.kind == "user"
    user = core.storage.get_user("alice")
    assert user["email"] == "alice@example.org" and user["name"] == "Alice Liddell"
    assert user["password_hash"] is None  # the directory keeps the password, not Roost
    assert {m["username"]: m["role"] for m in core.storage.team_members("ml")} == \
        {"alice": "member"}
    core.accounts.authenticate(password("bob", "bob-pass-1"))
    assert {m["username"]: m["role"] for m in core.storage.team_members("ml")} == \
        {"alice": "member", "bob": "admin"}
    actions = [e["action"] for e in core.tenancy.audit_log(None)]
    assert "team.member.set" in actions and "user.create" in actions
    # A web sign-in is recorded as an LDAP one; the console lists LDAP among the methods.
    assert core.identity.sign_in(password("alice", "alice-pass-1")).method == "ldap"
    assert [(r["method"], r["username"]) for r in core.storage.last_sign_ins(3)] == [
        ("ldap", "alice")]
    assert "ldap" in {m["id"] for m in core.identity.sign_in_methods()}


def test_bad_password_and_unknown_user(slapd, make_core):
    from roost.core.errors import Unauthenticated

    core = make_core(settings(slapd))
    with pytest.raises(Unauthenticated, match="invalid username or password"):
        core.accounts.authenticate(password("alice", "wrong-password"))
    with pytest.raises(Unauthenticated):  # an empty password would be an anonymous bind
        core.accounts.authenticate(password("alice", ""))
    from roost.core.auth import REJECT
    from roost.plugins import ldap_auth
    assert ldap_auth.roost_authenticate(password("alice", ""), core.storage) is REJECT
    with pytest.raises(Unauthenticated, match="invalid username or password"):
        core.accounts.authenticate(password("nobody", "whatever-1"))
    with pytest.raises(Unauthenticated):
        core.accounts.authenticate(password("alice)(uid=*", "alice-pass-1"))  # filter injection
    assert core.storage.get_user("alice") is None
    assert core.storage.get_user("nobody") is None


def test_user_outside_the_group_filter(slapd, make_core):
    from roost.core.errors import PermissionDenied

    core = make_core(settings(slapd))
    with pytest.raises(PermissionDenied, match="not in the group allowed to use Roost"):
        core.accounts.authenticate(password("carol", "carol-pass-1"))
    assert core.storage.get_user("carol") is None
    open_core = make_core(settings(slapd, ldap_required_group=""))
    assert open_core.accounts.authenticate(password("carol", "carol-pass-1")).username == "carol"


def test_search_then_bind_over_starttls(slapd, make_core):
    core = make_core(settings(slapd, ldap_user_dn_template="", ldap_bind_dn=READER_DN,
                              ldap_bind_password=READER_PASSWORD,
                              ldap_user_search_base=PEOPLE, ldap_starttls=True,
                              ldap_ca_file=slapd.ca_file))
    assert core.accounts.authenticate(password("bob", "bob-pass-1")).username == "bob"


def test_ldaps_and_certificate_checks(slapd, make_core):
    from roost.core.errors import Unavailable

    core = make_core(settings(slapd, ldap_url=slapd.ldaps_url, ldap_ca_file=slapd.ca_file))
    assert core.accounts.authenticate(password("alice", "alice-pass-1")).username == "alice"
    untrusted = make_core(settings(slapd, ldap_url=slapd.ldaps_url))
    with pytest.raises(Unavailable, match="does not answer"):
        untrusted.accounts.authenticate(password("alice", "alice-pass-1"))


def test_wrong_service_account_is_a_clear_error(slapd, make_core):
    from roost.core.errors import Unavailable

    core = make_core(settings(slapd, ldap_user_dn_template="", ldap_bind_dn=READER_DN,
                              ldap_bind_password="wrong", ldap_user_search_base=PEOPLE))
    with pytest.raises(Unavailable, match="service account"):
        core.accounts.authenticate(password("bob", "bob-pass-1"))


def test_group_membership_follows_the_directory(slapd, make_core):
    core = make_core(settings(slapd))
    core.accounts.authenticate(password("alice", "alice-pass-1"))
    assert "ml" in core.storage.get_user("alice")["teams"]
    slapd.modify(f"dn: cn=ml,{GROUPS}\nchangetype: modify\ndelete: member\n"
                 f"member: uid=alice,{PEOPLE}\n")
    try:
        core.accounts.authenticate(password("alice", "alice-pass-1"))
        assert "ml" not in core.storage.get_user("alice")["teams"]
        assert "team.member.remove" in [e["action"] for e in core.tenancy.audit_log(None)]
    finally:
        slapd.modify(f"dn: cn=ml,{GROUPS}\nchangetype: modify\nadd: member\n"
                     f"member: uid=alice,{PEOPLE}\n")


def test_directory_down_is_clear_and_api_keys_keep_working(make_core):
    from roost.core.auth import Credentials
    from roost.core.errors import Unavailable

    directory = Slapd().start(DIRECTORY)
    try:
        core = make_core(settings(directory))
        core.accounts.authenticate(password("alice", "alice-pass-1"))
        _, key = core.accounts.create_api_key(None, "alice")
        directory.stop()
        with pytest.raises(Unavailable, match="LDAP.*does not answer.*API keys keep working"):
            core.accounts.authenticate(password("alice", "alice-pass-1"))
        assert core.accounts.authenticate(Credentials("api_key", "", key)).username == "alice"
    finally:
        directory.cleanup()


def test_ldap_person_uses_the_console_and_an_api_key(slapd):
    """Dora signs in with her directory password (the account appears), an admin makes her an
    admin, she reaches the console, makes herself an API key there, and the SDK's way of
    calling (Basic api:KEY) works with it."""
    env = {"ROOST_" + k.upper(): str(v) for k, v in settings(slapd).items()}
    with RoostServer(env=env) as server:
        web = Web(server.url)
        response = web.login("dora", "dora-pass-1")
        assert response.status_code == 200 and response.url == server.url + "/", response.text
        wrong = Web(server.url).login("dora", "not-her-password")
        assert wrong.status_code == 401 and "invalid username or password" in wrong.text
        admin = Admin(server)
        admin.ok(admin.post("/console/users/dora/admin", {"admin": "true"}))
        assert web.get("/console/").status_code == 200
        key = web.secret(web.post("/console/users/dora/keys", {"description": "laptop"}))
        status, body = gql(server, key, "{ viewer { username email } }")
        assert body["data"]["viewer"] == {"username": "dora", "email": "dora@example.org"}
