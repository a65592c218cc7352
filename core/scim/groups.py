"""SCIM Groups: Roost teams. Members a provider adds join as ``member`` (people already in
the team keep their role); service accounts are the team's own and are never touched."""

from __future__ import annotations

from roost.core.errors import AlreadyExists
from roost.core.provisioning import unique_username
from roost.core.scim import resources
from roost.core.scim.errors import ScimError
from roost.core.scim.patch import member_ids, member_value, operations

ACTOR = "scim"
ROLE = "member"


class Groups:
    def __init__(self, storage, users):
        self.storage = storage
        self.users = users

    def _links(self) -> dict:
        return self.storage.scim_links("group")

    def _members(self, team: dict) -> list[dict]:
        hidden = {uid for uid, link in self.storage.scim_links("user").items() if link["deleted"]}
        return [m for m in self.storage.team_members(team["name"])
                if m["kind"] != "service" and m["user_id"] not in hidden]

    def resource(self, team: dict, base_url: str, links: dict | None = None) -> dict:
        links = self._links() if links is None else links
        return resources.group_resource(team, self._members(team), links.get(team["id"]),
                                        base_url)

    def _teams(self) -> list[dict]:
        links = self._links()
        return [t for t in self.storage.list_teams()
                if not links.get(t["id"], {}).get("deleted")]

    def all(self, base_url: str) -> list[dict]:
        links = self._links()
        return [self.resource(t, base_url, links) for t in self._teams()]

    def load(self, ident: str) -> dict:
        for team in self._teams():
            if team["id"] == ident:
                return team
        raise ScimError(404, f"group {ident!r} does not exist")

    def get(self, ident: str, base_url: str) -> dict:
        return self.resource(self.load(ident), base_url)

    # -- create ------------------------------------------------------------------------------
    def create(self, document: dict, base_url: str) -> dict:
        display = str(document.get("displayName") or "").strip()
        if not display:
            raise ScimError(400, "displayName is required", "invalidValue")
        links = self._links()
        team = None
        for candidate in self.storage.list_teams():
            link = links.get(candidate["id"])
            known = (link or {}).get("name") or candidate["name"]
            if known.lower() != display.lower():
                continue
            if link and not link["deleted"]:
                raise ScimError(409, f"a group named {display!r} exists (id {candidate['id']})",
                                "uniqueness")
            team = candidate  # a team made on the console, or one SCIM deleted: take it over
        if team is None:
            name = unique_username(self.storage, display)
            try:
                team = self.storage.create_team(name, "")
            except AlreadyExists as exc:
                raise ScimError(409, exc.message, "uniqueness") from None
            self.storage.add_audit_entry(ACTOR, "team.create", name,
                                         {"source": "scim", "displayName": display})
        self.storage.set_scim_link("group", team["id"], deleted=False, name=display,
                                   external_id=str(document.get("externalId") or ""))
        if "members" in document:
            self._set_members(team, member_ids(document["members"]))
        return self.resource(team, base_url)

    # -- members -----------------------------------------------------------------------------
    def _user(self, user_id: str) -> dict:
        try:
            return self.users.load(user_id)
        except ScimError:
            raise ScimError(400, f"member {user_id!r} is not a user", "invalidValue") from None

    def _add(self, team: dict, user_ids: list[str]) -> None:
        current = {m["user_id"] for m in self.storage.team_members(team["name"])}
        for user in [self._user(uid) for uid in user_ids]:  # all checked before any change
            if user["id"] in current:
                continue
            self.storage.set_membership(team["name"], user["id"], ROLE)
            current.add(user["id"])
            self.storage.add_audit_entry(ACTOR, "team.member.set",
                                         f"{team['name']}/{user['username']}",
                                         {"role": ROLE, "previous": "", "source": "scim"})

    def _remove(self, team: dict, user_ids: list[str]) -> None:
        members = {m["user_id"]: m for m in self._members(team)}
        for user_id in user_ids:
            member = members.get(user_id)
            if member is None:
                continue
            previous = self.storage.remove_membership(team["name"], user_id)
            self.storage.add_audit_entry(ACTOR, "team.member.remove",
                                         f"{team['name']}/{member['username']}",
                                         {"previous": previous or "", "source": "scim"})

    def _set_members(self, team: dict, user_ids: list[str]) -> None:
        self._add(team, user_ids)
        wanted = set(user_ids)
        self._remove(team, [m["user_id"] for m in self._members(team)
                            if m["user_id"] not in wanted])

    # -- change ------------------------------------------------------------------------------
    def _rename(self, team: dict, value) -> None:
        display = str(value or "").strip()
        if not display:
            raise ScimError(400, "displayName cannot be empty", "invalidValue")
        self.storage.set_scim_link("group", team["id"], name=display)

    def replace(self, ident: str, document: dict, base_url: str) -> dict:
        team = self.load(ident)
        if document.get("displayName"):
            self._rename(team, document["displayName"])
        if "externalId" in document:
            self.storage.set_scim_link("group", team["id"],
                                       external_id=str(document["externalId"] or ""))
        self._set_members(team, member_ids(document.get("members") or []))
        return self.resource(team, base_url)

    def patch(self, ident: str, document: dict, base_url: str) -> dict:
        team = self.load(ident)
        for op, path, value in operations(document):
            lowered = path.strip().lower()
            if not path and isinstance(value, dict):
                if value.get("displayName"):
                    self._rename(team, value["displayName"])
                if "members" in value:
                    change = {"add": self._add, "replace": self._set_members}[op]
                    change(team, member_ids(value["members"]))
            elif lowered == "displayname":
                self._rename(team, value)
            elif lowered == "externalid":
                self.storage.set_scim_link("group", team["id"], external_id=str(value or ""))
            elif lowered.startswith("members"):
                one = member_value(path)
                if op == "add":
                    self._add(team, member_ids(value))
                elif op == "replace":
                    self._set_members(team, member_ids(value))
                elif one is not None:
                    self._remove(team, [one])
                elif value:
                    self._remove(team, member_ids(value))  # Azure AD: path "members" + value
                else:
                    self._set_members(team, [])
            else:
                raise ScimError(400, f"cannot PATCH {path!r} of a group", "invalidPath")
        return self.resource(team, base_url)

    def delete(self, ident: str) -> None:
        team = self.load(ident)
        self._set_members(team, [])
        self.storage.set_scim_link("group", team["id"], deleted=True)
        self.storage.add_audit_entry(ACTOR, "team.scim_delete", team["name"], {"source": "scim"})
