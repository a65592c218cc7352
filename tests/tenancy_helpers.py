"""HTTP helpers for the tenancy tests: a browser-like session for the console's forms (with
their CSRF token), GraphQL calls that return the status instead of raising, and building
users, teams and projects through the console as an admin would."""

from __future__ import annotations

import html
import re

import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECRET = re.compile(r'id="secret">([^<]+)<')
FLASH = re.compile(r'class="flash (ok|error)"[^>]*>([^<]*)<')


class Web:
    """A person in a browser: cookies, and the CSRF token every form carries."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.session = requests.Session()
        self._token = ""

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.session.get(self.base + path, timeout=30, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self._token = found.group(1)
        return response

    def token(self) -> str:
        if not self._token:
            self.get("/login")
        return self._token

    def post(self, path: str, data: dict | None = None, csrf: bool = True,
             **kwargs) -> requests.Response:
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token())
        response = self.session.post(self.base + path, data=data, timeout=30, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self._token = found.group(1)
        return response

    def login(self, username: str, password: str) -> requests.Response:
        self.session.cookies.clear()
        self._token = ""
        return self.post("/login", {"username": username, "password": password})

    @staticmethod
    def flashes(response: requests.Response) -> list[tuple[str, str]]:
        return [(kind, html.unescape(text)) for kind, text in FLASH.findall(response.text)]

    @staticmethod
    def secret(response: requests.Response) -> str:
        found = SECRET.search(response.text)
        assert found, f"no secret on the page:\n{response.text[-3000:]}"
        return html.unescape(found.group(1))


class Admin(Web):
    """The server admin, signed in to the console."""

    def __init__(self, server):
        super().__init__(server.url)
        response = self.login("admin", server.admin_password)
        assert response.url == server.url + "/", response.text[-2000:]  # a plain sign-in lands home

    def ok(self, response: requests.Response) -> requests.Response:
        errors = [text for kind, text in self.flashes(response) if kind == "error"]
        assert response.status_code == 200 and not errors, (response.status_code, errors)
        return response

    def add_user(self, username: str, password: str = "", email: str = "",
                 admin: bool = False) -> None:
        data = {"username": username, "password": password, "email": email}
        if admin:
            data["admin"] = "1"
        self.ok(self.post("/console/users", data))

    def create_key(self, username: str) -> str:
        return self.secret(self.ok(self.post(f"/console/users/{username}/keys",
                                             {"description": "test"})))

    def user_with_key(self, username: str, password: str = "") -> str:
        self.add_user(username, password)
        return self.create_key(username)

    def create_team(self, name: str, owner: str) -> None:
        self.ok(self.post("/console/teams", {"name": name, "owner": owner}))

    def set_member(self, team: str, username: str, role: str) -> None:
        self.ok(self.post(f"/console/teams/{team}/members", {"username": username,
                                                              "role": role}))

    def set_visibility(self, entity: str, project: str, visibility: str) -> None:
        self.ok(self.post(f"/console/projects/{entity}/{project}/visibility",
                          {"visibility": visibility}))

    def share(self, entity: str, project: str, run: str = "", days: int = 0) -> str:
        """A share link's URL path (``/share/<token>``)."""
        response = self.ok(self.post(f"/console/projects/{entity}/{project}/share",
                                     {"run": run, "days": str(days)}))
        url = self.secret(response)
        return url[url.index("/share/"):]


def gql(server, api_key: str | None, query: str, variables: dict | None = None,
        path: str = "/graphql") -> tuple[int, dict]:
    headers = {}
    auth = ("api", api_key) if api_key else None
    response = requests.post(server.url + path, json={"query": query,
                                                      "variables": variables or {}},
                             auth=auth, headers=headers, timeout=30)
    try:
        body = response.json()
    except ValueError:
        body = {"raw": response.text}
    return response.status_code, body


def error_text(body: dict) -> str:
    return " ".join(e.get("message", "") for e in body.get("errors", [])) or body.get("error", "")


UPSERT = """mutation Up($entity: String, $project: String, $name: String, $notes: String) {
  upsertBucket(input: {entityName: $entity, modelName: $project, name: $name, notes: $notes}) {
    bucket { id name notes } inserted } }"""

READ_RUN = """query Read($entity: String!, $project: String!, $run: String!) {
  project(entityName: $entity, name: $project) { run(name: $run) { id name notes
    historyLineCount } } }"""


def upsert(server, key, entity, project, name, notes=None):
    return gql(server, key, UPSERT, {"entity": entity, "project": project, "name": name,
                                     "notes": notes})


def stream_history(server, key, entity, project, run, offset, rows):
    lines = [f'{{"_step": {offset + i}, "loss": {row}}}' for i, row in enumerate(rows)]
    auth = ("api", key) if key else None
    return requests.post(f"{server.url}/files/{entity}/{project}/{run}/file_stream",
                         json={"files": {"wandb-history.jsonl": {"offset": offset,
                                                                 "content": lines}}},
                         auth=auth, timeout=30)
