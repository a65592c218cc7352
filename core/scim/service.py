"""Answer one SCIM request: ``Scim(core).handle(...)`` -> (HTTP status, JSON body or None).

Users are Roost's people (service accounts are not shown); Groups are teams. A deactivated
user (``active: false``) is disabled: their web sessions and API keys stop working on the next
request. DELETE of a user disables them, takes them out of their teams and hides them from
SCIM (their runs stay); a later POST of the same userName brings the account back. DELETE of
a group empties the team (its projects stay). Every change is in the audit log as ``scim``.
"""

from __future__ import annotations

import json

from roost.core.errors import AlreadyExists, RoostError
from roost.core.scim import resources
from roost.core.scim.errors import ScimError
from roost.core.scim.filters import compile_filter
from roost.core.scim.groups import Groups
from roost.core.scim.users import Users

DEFAULT_COUNT = 100


def _paging(query: dict) -> tuple[int, int]:
    try:
        start = int(query.get("startIndex") or 1)
        count = int(query.get("count") or DEFAULT_COUNT)
    except ValueError:
        raise ScimError(400, "startIndex and count must be integers", "invalidValue") from None
    return max(start, 1), max(0, min(count, resources.MAX_RESULTS))


ALWAYS_RETURNED = {"id", "schemas", "meta"}


def _projected(answer: dict | None, query: dict) -> dict | None:
    """``attributes`` / ``excludedAttributes`` (RFC 7644 §3.4.2.5), top-level names: Azure AD
    asks for groups without their members, for one."""
    wanted = {a.strip().lower() for a in query.get("attributes", "").split(",") if a.strip()}
    dropped = {a.strip().lower() for a in query.get("excludedAttributes", "").split(",")
               if a.strip()}
    if answer is None or not (wanted or dropped):
        return answer

    def keep(resource: dict) -> dict:
        return {k: v for k, v in resource.items() if k in ALWAYS_RETURNED or (
            (not wanted or k.lower() in wanted) and k.lower() not in dropped)}

    if "Resources" in answer:
        return answer | {"Resources": [keep(r) for r in answer["Resources"]]}
    return keep(answer) if "id" in answer else answer


class Scim:
    def __init__(self, storage, identity):
        self.identity = identity
        self.users = Users(storage)
        self.groups = Groups(storage, self.users)

    def handle(self, token: str, method: str, path: str, query: dict, body: str,
               base_url: str) -> tuple[int, dict | None]:
        try:
            try:
                self.identity.check_scim_token(token)
            except RoostError as exc:
                raise ScimError(401, exc.message) from None
            document = self._body(body) if method in ("POST", "PUT", "PATCH") else {}
            status, answer = self._route(method, path.rstrip("/") or "/", query, document,
                                         base_url)
            return status, _projected(answer, query)
        except ScimError as exc:
            return exc.status, exc.body()
        except AlreadyExists as exc:
            return 409, ScimError(409, exc.message, "uniqueness").body()
        except RoostError as exc:
            return exc.http_status, ScimError(exc.http_status, exc.message).body()

    @staticmethod
    def _body(body: str) -> dict:
        try:
            document = json.loads(body or "{}")
        except ValueError as exc:
            raise ScimError(400, f"the body is not JSON: {exc}", "invalidSyntax") from None
        if not isinstance(document, dict):
            raise ScimError(400, "the body must be a JSON object", "invalidSyntax")
        return document

    def _route(self, method, path, query, document, base_url):
        parts = path.strip("/").split("/")
        kind, ident = parts[0], "/".join(parts[1:])
        if kind == "ServiceProviderConfig" and method == "GET":
            return 200, resources.service_provider_config(base_url)
        if kind == "ResourceTypes" and method == "GET":
            found = resources.resource_types(base_url)
            return self._one_or_list(found, ident, lambda r: r["id"])
        if kind == "Schemas" and method == "GET":
            return self._one_or_list(resources.schemas(base_url), ident, lambda r: r["id"])
        area = {"Users": self.users, "Groups": self.groups}.get(kind)
        if area is None:
            raise ScimError(404, f"no SCIM endpoint {path!r}; Roost serves /Users, /Groups, "
                            "/ServiceProviderConfig, /ResourceTypes and /Schemas")
        if not ident:
            if method == "GET":
                start, count = _paging(query)
                predicate = compile_filter(query.get("filter", ""))
                found = [r for r in area.all(base_url) if predicate(r)]
                return 200, resources.list_response(found, start, count)
            if method == "POST":
                return 201, area.create(document, base_url)
        else:
            if method == "GET":
                return 200, area.get(ident, base_url)
            if method == "PUT":
                return 200, area.replace(ident, document, base_url)
            if method == "PATCH":
                return 200, area.patch(ident, document, base_url)
            if method == "DELETE":
                area.delete(ident)
                return 204, None
        raise ScimError(405, f"{method} is not supported on {path!r}")

    @staticmethod
    def _one_or_list(found: list[dict], ident: str, key):
        if not ident:
            return 200, resources.list_response(found, 1, len(found))
        for resource in found:
            if key(resource) == ident:
                return 200, resource
        raise ScimError(404, f"{ident!r} does not exist")

