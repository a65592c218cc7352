"""SCIM 2.0 (/scim/v2) with a real HTTP client, as identity providers call it: discovery,
bearer tokens made on the console, users created, found by filter, paged, patched the Okta
and the Azure AD way, replaced, deactivated and deleted; groups as teams with members added,
removed and replaced; RFC 7644 error bodies. The effect is checked through the real wandb SDK
(0.31.0 and 0.21.3): a deactivated user's API key stops working, team membership shows."""

from __future__ import annotations

import pytest
import requests

from harness import RoostServer, run_sdk, sdk_problem
from tenancy_helpers import Admin, gql

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"

VIEWER_SCRIPT = """
import json, sys, wandb
try:
    api = wandb.Api()
    viewer = api.viewer
    teams = sorted(wandb.Api().viewer.teams)
    members = sorted(m.username for m in api.team(sys.argv[1]).members) if sys.argv[1] else []
    print("RESULT " + json.dumps({"ok": True, "user": viewer.username, "teams": teams,
                                  "members": members}))
except Exception as exc:
    print("RESULT " + json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
"""


class Scim:
    def __init__(self, server, token: str):
        self.base = server.url + "/scim/v2"
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}",
                                     "Content-Type": "application/scim+json"})

    def __call__(self, method: str, path: str, body=None, **params) -> requests.Response:
        return self.session.request(method, self.base + path, json=body, params=params,
                                    timeout=30)

    def ok(self, method: str, path: str, body=None, status: int = 200, **params) -> dict:
        response = self(method, path, body, **params)
        assert response.status_code == status, (response.status_code, response.text)
        return response.json() if response.content else {}


@pytest.fixture(scope="module")
def server():
    with RoostServer() as running:
        yield running


@pytest.fixture(scope="module")
def admin(server):
    return Admin(server)


@pytest.fixture(scope="module")
def scim(server, admin):
    created = admin.post("/console/scim-tokens", {"description": "Okta"})
    token = admin.secret(created)
    assert token.startswith("scim-")
    return Scim(server, token)


def okta_user(user_name: str, given: str, family: str, email: str, **extra) -> dict:
    return {"schemas": [USER], "userName": user_name, "name": {"givenName": given,
                                                                "familyName": family},
            "emails": [{"primary": True, "value": email, "type": "work"}],
            "active": True, **extra}


def test_discovery_documents(scim):
    config = scim.ok("GET", "/ServiceProviderConfig")
    assert config["patch"]["supported"] and config["filter"]["supported"]
    assert not config["bulk"]["supported"]
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.ok("GET", "/ResourceTypes")
    assert {r["id"]: r["endpoint"] for r in types["Resources"]} == {"User": "/Users",
                                                                    "Group": "/Groups"}
    assert scim.ok("GET", "/ResourceTypes/User")["schema"] == USER
    schemas = scim.ok("GET", "/Schemas")
    assert {s["id"] for s in schemas["Resources"]} == {USER, GROUP}
    user_schema = scim.ok("GET", f"/Schemas/{USER}")
    assert "userName" in {a["name"] for a in user_schema["attributes"]}


def test_tokens_are_required_and_revocable(server, admin, scim):
    for headers in ({}, {"Authorization": "Bearer not-a-token"},
                    {"Authorization": "Basic YWRtaW46eA=="}):
        response = requests.get(server.url + "/scim/v2/Users", headers=headers, timeout=30)
        assert response.status_code == 401
        assert response.headers["Content-Type"] == "application/scim+json"
        body = response.json()
        assert body["schemas"] == [ERROR] and body["status"] == "401"
        assert "SCIM bearer token" in body["detail"]
    # A revoked token stops at once; the console lists tokens without their secret.
    token = admin.secret(admin.post("/console/scim-tokens", {"description": "short-lived"}))
    assert Scim(server, token)("GET", "/Users").status_code == 200
    page = admin.get("/console/sign-in").text
    assert "short-lived" in page and token not in page
    token_id = [r["id"] for r in server.query(
        "SELECT id FROM scim_token WHERE description = 'short-lived'")][0]
    admin.ok(admin.post(f"/console/scim-tokens/{token_id}/revoke"))
    assert Scim(server, token)("GET", "/Users").status_code == 401


def test_create_find_and_page_users(server, scim):
    dana = scim.ok("POST", "/Users", okta_user("dana@example.org", "Dana", "Scully",
                                               "dana@example.org", externalId="00u1"),
                   status=201)
    assert dana["userName"] == "dana@example.org" and dana["active"] is True
    assert dana["name"]["formatted"] == "Dana Scully" and dana["externalId"] == "00u1"
    assert dana["meta"]["location"] == f"{server.url}/scim/v2/Users/{dana['id']}"
    row = server.query("SELECT username, email, name FROM user WHERE id = ?", (dana["id"],))[0]
    assert row == {"username": "dana", "email": "dana@example.org", "name": "Dana Scully"}
    assert scim.ok("GET", f"/Users/{dana['id']}")["userName"] == "dana@example.org"
    # The filters IdPs send before creating or linking someone.
    for expression in ('userName eq "dana@example.org"', 'userName eq "DANA@example.org"',
                       'externalId eq "00u1"', 'emails[type eq "work"].value eq '
                       '"dana@example.org"', 'userName sw "dana" and active eq true'):
        found = scim.ok("GET", "/Users", filter=expression)
        assert [r["id"] for r in found["Resources"]] == [dana["id"]], expression
    assert scim.ok("GET", "/Users", filter='userName eq "nobody"')["totalResults"] == 0
    bad = scim("GET", "/Users", filter='userName eq')
    assert bad.status_code == 400 and bad.json()["scimType"] == "invalidFilter"
    again = scim("POST", "/Users", okta_user("dana@example.org", "D", "S", "d@example.org"))
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"
    missing = scim("POST", "/Users", {"schemas": [USER], "name": {"givenName": "x"}})
    assert missing.status_code == 400 and "userName is required" in missing.json()["detail"]
    # Paging: startIndex is 1-based, count caps the page, totalResults counts all matches.
    for name in ("page-a", "page-b", "page-c"):
        scim.ok("POST", "/Users", okta_user(name, name, "P", f"{name}@example.org"),
                status=201)
    everyone = scim.ok("GET", "/Users", filter='userName sw "page-"')
    assert everyone["totalResults"] == 3
    page = scim.ok("GET", "/Users", filter='userName sw "page-"', startIndex=2, count=2)
    assert (page["startIndex"], page["itemsPerPage"], page["totalResults"]) == (2, 2, 3)
    assert [r["userName"] for r in page["Resources"]] == ["page-b", "page-c"]
    assert scim.ok("GET", "/Users", count=0)["Resources"] == []
    assert scim("GET", "/Users/999999").json()["status"] == "404"


def test_replace_and_patch_users(server, scim):
    erin = scim.ok("POST", "/Users", okta_user("erin", "Erin", "Old", "erin@example.org"),
                   status=201)
    replaced = scim.ok("PUT", f"/Users/{erin['id']}",
                       okta_user("erin", "Erin", "New", "erin.new@example.org"))
    assert replaced["name"]["formatted"] == "Erin New"
    assert replaced["emails"][0]["value"] == "erin.new@example.org"
    azure = {"schemas": [PATCH], "Operations": [
        {"op": "Replace", "path": "displayName", "value": "Erin Azure"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "erin@azure.example"},
        {"op": "Add", "path": "externalId", "value": "aad-7"}]}
    patched = scim.ok("PATCH", f"/Users/{erin['id']}", azure)
    assert patched["displayName"] == "Erin Azure" and patched["externalId"] == "aad-7"
    assert patched["emails"][0]["value"] == "erin@azure.example"
    bad = scim("PATCH", f"/Users/{erin['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "replace", "path": "active", "value": "maybe"}]})
    assert bad.status_code == 400 and bad.json()["scimType"] == "invalidValue"
    assert scim.ok("GET", f"/Users/{erin['id']}")["active"] is True  # nothing half-applied
    actions = {(r["action"], r["target"]) for r in server.query(
        "SELECT action, target FROM audit_entry WHERE actor = 'scim'")}
    assert ("user.update", "erin") in actions and ("user.create", "erin") in actions


def _sdk(version, server, key, team=""):
    return run_sdk(version, VIEWER_SCRIPT, server, api_key=key, args=[team])


@pytest.mark.sdk
def test_deactivation_and_teams_through_the_sdk(server, scim, sdk_version):
    if sdk_problem(sdk_version):
        pytest.skip(sdk_problem(sdk_version))
    tag = sdk_version.replace(".", "")
    frank = scim.ok("POST", "/Users", okta_user(f"frank{tag}@example.org", "Frank", "F",
                                                f"frank{tag}@example.org"), status=201)
    username = f"frank{tag}"
    key = server.create_key(username)
    team = scim.ok("POST", "/Groups", {"schemas": [GROUP], "displayName": f"Vision {tag}",
                                       "members": [{"value": frank["id"]}]}, status=201)
    team_name = server.query("SELECT name FROM entity WHERE id = ?", (team["id"],))[0]["name"]
    assert team["displayName"] == f"Vision {tag}" and team_name == f"Vision-{tag}"
    seen = _sdk(sdk_version, server, key, team_name)
    assert seen == {"ok": True, "user": username, "teams": [team_name],
                    "members": [username]}, seen
    # Okta deactivates with a value object, Azure AD with a path and the string "False"
    # (the second checked over GraphQL, as the SDK would send it, to keep the test short).
    for operation, check in (({"op": "replace", "value": {"active": False}}, "sdk"),
                             ({"op": "Replace", "path": "active", "value": "False"}, "gql")):
        off = scim.ok("PATCH", f"/Users/{frank['id']}", {"schemas": [PATCH],
                                                         "Operations": [operation]})
        assert off["active"] is False
        if check == "sdk":
            refused = _sdk(sdk_version, server, key)
            assert refused["ok"] is False, refused
        else:
            assert gql(server, key, "{ viewer { username } }")[0] == 401
        scim.ok("PATCH", f"/Users/{frank['id']}", {"schemas": [PATCH], "Operations": [
            {"op": "replace", "value": {"active": True}}]})
        assert gql(server, key, "{ viewer { username } }")[1]["data"]["viewer"] == {
            "username": username}
    # Membership removed by the provider (Azure AD's shape), then the group deleted.
    scim.ok("PATCH", f"/Groups/{team['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "Remove", "path": "members", "value": [{"value": frank["id"]}]}]})
    assert _sdk(sdk_version, server, key)["teams"] == []  # no longer a member
    scim.ok("DELETE", f"/Users/{frank['id']}", status=204)
    assert scim("GET", f"/Users/{frank['id']}").status_code == 404
    assert _sdk(sdk_version, server, key)["ok"] is False  # deleted: disabled, key refused


def test_groups_add_remove_replace_and_delete(server, scim):
    people = [scim.ok("POST", "/Users", okta_user(f"g{i}", "G", str(i), f"g{i}@example.org"),
                      status=201) for i in range(3)]
    ids = [p["id"] for p in people]
    group = scim.ok("POST", "/Groups", {"schemas": [GROUP], "displayName": "nlp",
                                        "externalId": "grp-1"}, status=201)
    assert group["members"] == [] and group["externalId"] == "grp-1"
    assert scim("POST", "/Groups", {"schemas": [GROUP], "displayName": "NLP"}).status_code == 409
    found = scim.ok("GET", "/Groups", filter='displayName eq "nlp"')
    assert [g["id"] for g in found["Resources"]] == [group["id"]]

    def members() -> list[str]:
        return sorted(m["value"] for m in scim.ok("GET", f"/Groups/{group['id']}")["members"])

    scim.ok("PATCH", f"/Groups/{group['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": ids[0]}, {"value": ids[1]}]}]})
    assert members() == sorted(ids[:2])
    scim.ok("PATCH", f"/Groups/{group['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "remove", "path": f'members[value eq "{ids[0]}"]'}]})
    assert members() == [ids[1]]
    scim.ok("PUT", f"/Groups/{group['id']}", {"schemas": [GROUP], "displayName": "NLP lab",
                                             "members": [{"value": ids[2]}]})
    assert members() == [ids[2]]
    assert scim.ok("GET", f"/Groups/{group['id']}")["displayName"] == "NLP lab"
    unknown = scim("PATCH", f"/Groups/{group['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": "424242"}]}]})
    assert unknown.status_code == 400 and unknown.json()["scimType"] == "invalidValue"
    assert members() == [ids[2]]
    slim = scim.ok("GET", f"/Groups/{group['id']}", excludedAttributes="members")
    assert "members" not in slim and slim["displayName"] == "NLP lab"
    names = scim.ok("GET", "/Groups", attributes="displayName")["Resources"]
    assert all(set(g) == {"schemas", "id", "meta", "displayName"} for g in names)
    member_filter = scim.ok("GET", "/Groups",
                            filter=f'displayName eq "NLP lab" and members[value eq "{ids[2]}"]')
    assert member_filter["totalResults"] == 1
    # A team admin's service account is the team's own: SCIM neither shows nor removes it.
    admin_key = server.admin_key
    status = requests.post(server.url + "/graphql", auth=("api", admin_key), timeout=30, json={
        "query": "mutation($e: String!) { createServiceAccount(input: {entityName: $e, "
                 "description: \"ci\"}) { user { id } } }", "variables": {"e": "nlp"}})
    assert status.status_code == 200, status.text
    assert members() == [ids[2]]
    scim.ok("DELETE", f"/Groups/{group['id']}", status=204)
    assert scim("GET", f"/Groups/{group['id']}").status_code == 404
    left = server.query("SELECT u.username FROM team_member m JOIN user u ON u.id = m.user_id "
                        "JOIN entity e ON e.id = m.team_id WHERE e.name = 'nlp'")
    assert [r["username"] for r in left] and all("-sa-" in r["username"] for r in left)


def test_bad_requests_get_scim_errors(scim):
    for method, path, body, status in (
            ("GET", "/Nothing", None, 404), ("DELETE", "/Users", None, 405),
            ("PATCH", "/Users/1", {"schemas": [PATCH], "Operations": []}, 400),
            ("PATCH", "/Users/1", {"schemas": [PATCH], "Operations": [{"op": "explode"}]}, 400)):
        response = scim(method, path, body)
        assert response.status_code == status, (method, path, response.text)
        assert response.json()["schemas"] == [ERROR]
    raw = scim.session.post(scim.base + "/Users", data="{not json", timeout=30)
    assert raw.status_code == 400 and raw.json()["scimType"] == "invalidSyntax"
