"""SCIM Users: Roost's people (service accounts are the teams' own and are not shown)."""

from __future__ import annotations

from roost.core.errors import AlreadyExists
from roost.core.provisioning import unique_username
from roost.core.scim import resources
from roost.core.scim.errors import ScimError
from roost.core.scim.patch import VALUE_PATH, as_bool, operations

ACTOR = "scim"
ALL_USERS = 1_000_000


def _fields(document: dict) -> dict:
    """What Roost keeps of a SCIM user document."""
    fields: dict = {}
    if "userName" in document:
        fields["userName"] = str(document["userName"] or "").strip()
    name = document.get("name")
    if isinstance(name, dict):
        formatted = name.get("formatted") or " ".join(
            str(part) for part in (name.get("givenName"), name.get("familyName")) if part)
        if formatted:
            fields["name"] = str(formatted).strip()
    if not fields.get("name") and document.get("displayName"):
        fields["name"] = str(document["displayName"]).strip()
    emails = document.get("emails")
    if isinstance(emails, list) and emails:
        primary = [e for e in emails if isinstance(e, dict) and e.get("primary")]
        first = (primary or [e for e in emails if isinstance(e, dict)] or [{}])[0]
        fields["email"] = str(first.get("value") or "").strip()
    if "active" in document:
        fields["active"] = as_bool(document["active"], "active")
    if "externalId" in document:
        fields["externalId"] = str(document["externalId"] or "")
    return fields


class Users:
    def __init__(self, storage):
        self.storage = storage

    def _links(self) -> dict:
        return self.storage.scim_links("user")

    def resource(self, user: dict, base_url: str, links: dict | None = None) -> dict:
        links = self._links() if links is None else links
        return resources.user_resource(user, links.get(user["id"]), base_url)

    def all(self, base_url: str) -> list[dict]:
        links = self._links()
        return [self.resource(u, base_url, links)
                for u in self.storage.list_users("", ALL_USERS)
                if u.get("kind") != "service" and not links.get(u["id"], {}).get("deleted")]

    def load(self, ident: str) -> dict:
        user = None
        if ident.isdigit():
            user = self.storage.get_user_by_id(ident)
        if (user is None or user.get("kind") == "service"
                or self._links().get(user["id"], {}).get("deleted")):
            raise ScimError(404, f"user {ident!r} does not exist")
        return user

    def get(self, ident: str, base_url: str) -> dict:
        return self.resource(self.load(ident), base_url)

    # -- create ------------------------------------------------------------------------------
    def create(self, document: dict, base_url: str) -> dict:
        fields = _fields(document)
        user_name = fields.get("userName")
        if not user_name:
            raise ScimError(400, "userName is required", "invalidValue")
        links = self._links()
        for existing in self.all(base_url):
            if existing["userName"].lower() == user_name.lower():
                raise ScimError(409, f"a user with userName {user_name!r} exists (id "
                                f"{existing['id']})", "uniqueness")
        user = self._adoptable(user_name, fields.get("email", ""), links)
        if user is None:
            username = unique_username(self.storage, user_name)
            try:
                user = self.storage.create_user(username, fields.get("email", ""), None, False)
            except AlreadyExists as exc:
                raise ScimError(409, exc.message, "uniqueness") from None
            self.storage.add_audit_entry(ACTOR, "user.create", username,
                                         {"source": "scim", "userName": user_name})
        self.storage.set_scim_link("user", user["id"], external_id=fields.get("externalId", ""),
                                   deleted=False, name=user_name)
        user = self._save(user, {"active": True, **fields})
        return self.resource(user, base_url)

    def _adoptable(self, user_name: str, email: str, links: dict) -> dict | None:
        """An account SCIM may take over instead of creating one: the one it deleted under
        this userName, or a person (signed in by OpenID Connect or made by an admin) with
        the e-mail the provider names."""
        for user_id, link in links.items():
            if link["deleted"] and link["name"].lower() == user_name.lower():
                return self.storage.get_user_by_id(user_id)
        for address in {user_name, email} - {""}:
            if "@" not in address:
                continue
            user = self.storage.find_user_by_email(address)
            if user and user.get("kind") != "service" and user["id"] not in links:
                return user
        return None

    # -- change ------------------------------------------------------------------------------
    def _save(self, user: dict, fields: dict) -> dict:
        changes: dict = {}
        if fields.get("email") is not None and fields.get("email") != user["email"]:
            changes["email"] = fields["email"][:254]
        if fields.get("name") and fields["name"][:128] != user.get("name"):
            changes["name"] = fields["name"][:128]
        if "active" in fields and fields["active"] == user["disabled"]:
            if not fields["active"] and user["admin"]:
                admins = [u for u in self.storage.list_users("", ALL_USERS)
                          if u["admin"] and not u["disabled"]]
                if len(admins) <= 1:
                    raise ScimError(409, f"{user['username']!r} is the last active admin of "
                                    "this Roost and cannot be deactivated", "mutability")
            changes["disabled"] = not fields["active"]
        link_changes = {}
        if "externalId" in fields:
            link_changes["external_id"] = fields["externalId"]
        if fields.get("userName"):
            link_changes["name"] = fields["userName"]
        if link_changes:
            self.storage.set_scim_link("user", user["id"], **link_changes)
        if not changes:
            return user
        self.storage.add_audit_entry(ACTOR, "user.update", user["username"],
                                     {"source": "scim", **changes})
        return self.storage.update_user(user["id"], changes)

    def replace(self, ident: str, document: dict, base_url: str) -> dict:
        user = self.load(ident)
        fields = _fields(document)
        if not fields.get("userName"):
            raise ScimError(400, "userName is required", "invalidValue")
        return self.resource(self._save(user, {"active": True, **fields}), base_url)

    def patch(self, ident: str, document: dict, base_url: str) -> dict:
        user = self.load(ident)
        fields: dict = {}
        for op, path, value in operations(document):
            if not path:
                if not isinstance(value, dict):
                    raise ScimError(400, "an operation without a path needs an object value",
                                    "invalidValue")
                for key, inner in value.items():
                    self._patch_path(fields, op, key, inner)
            else:
                self._patch_path(fields, op, path, value)
        return self.resource(self._save(user, fields), base_url)

    @staticmethod
    def _patch_path(fields: dict, op: str, path: str, value) -> None:
        key = path.strip()
        lowered = key.lower()
        match = VALUE_PATH.match(key)
        if match and match.group("attr").lower() == "emails":
            fields["email"] = "" if op == "remove" else str(value or "")
        elif lowered == "emails":
            fields["email"] = "" if op == "remove" else _fields({"emails": value if isinstance(
                value, list) else [value]}).get("email", "")
        elif lowered == "active":
            fields["active"] = False if op == "remove" else as_bool(value, "active")
        elif lowered == "username":
            fields["userName"] = str(value or "")
        elif lowered in ("displayname", "name.formatted"):
            fields["name"] = str(value or "")
        elif lowered in ("name.givenname", "name.familyname"):
            parts = fields.setdefault("_name_parts", {})
            parts[lowered] = str(value or "")
            fields["name"] = " ".join(p for p in (parts.get("name.givenname"),
                                                  parts.get("name.familyname")) if p)
        elif lowered == "name" and isinstance(value, dict):
            fields.update({k: v for k, v in _fields({"name": value}).items()})
        elif lowered == "externalid":
            fields["externalId"] = "" if op == "remove" else str(value or "")
        # Attributes Roost does not keep (title, phoneNumbers, enterprise extension...) are
        # accepted and ignored, as RFC 7644 allows for attributes a server does not store.

    def delete(self, ident: str) -> None:
        user = self._save(self.load(ident), {"active": False})
        for team in user.get("teams", []):
            previous = self.storage.remove_membership(team, user["id"])
            self.storage.add_audit_entry(ACTOR, "team.member.remove", f"{team}/{user['username']}",
                                         {"previous": previous or "", "source": "scim"})
        self.storage.set_scim_link("user", user["id"], deleted=True)
        self.storage.add_audit_entry(ACTOR, "user.delete", user["username"], {"source": "scim"})
