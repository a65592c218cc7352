"""Roost users and teams as SCIM resources, and the discovery documents IdPs read first
(ServiceProviderConfig, ResourceTypes, Schemas)."""

from __future__ import annotations

import datetime as dt

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
MAX_RESULTS = 1000


def _time(value: float) -> str:
    return dt.datetime.fromtimestamp(value or 0, dt.timezone.utc).isoformat().replace(
        "+00:00", "Z")


def user_resource(user: dict, link: dict | None, base_url: str) -> dict:
    link = link or {}
    name = user.get("name") or user["username"]
    given, _, family = name.partition(" ")
    resource = {
        "schemas": [USER_SCHEMA],
        "id": user["id"],
        "userName": link.get("name") or user["username"],
        "name": {"formatted": name, "givenName": given, "familyName": family},
        "displayName": name,
        "active": not user["disabled"],
        "emails": ([{"value": user["email"], "type": "work", "primary": True}]
                   if user.get("email") else []),
        "groups": [{"display": team} for team in user.get("teams", [])],
        "meta": {"resourceType": "User", "created": _time(user.get("created_at", 0)),
                 "lastModified": _time(user.get("created_at", 0)),
                 "location": f"{base_url}/Users/{user['id']}"},
    }
    if link.get("external_id"):
        resource["externalId"] = link["external_id"]
    return resource


def group_resource(team: dict, members: list[dict], link: dict | None, base_url: str) -> dict:
    link = link or {}
    resource = {
        "schemas": [GROUP_SCHEMA],
        "id": team["id"],
        "displayName": link.get("name") or team["name"],
        "members": [{"value": m["user_id"], "display": m["username"],
                     "$ref": f"{base_url}/Users/{m['user_id']}"} for m in members],
        "meta": {"resourceType": "Group", "created": _time(team.get("created_at", 0)),
                 "lastModified": _time(team.get("created_at", 0)),
                 "location": f"{base_url}/Groups/{team['id']}"},
    }
    if link.get("external_id"):
        resource["externalId"] = link["external_id"]
    return resource


def list_response(resources: list[dict], start: int, count: int) -> dict:
    page = resources[start - 1:start - 1 + count]
    return {"schemas": [LIST_SCHEMA], "totalResults": len(resources), "startIndex": start,
            "itemsPerPage": len(page), "Resources": page}


def service_provider_config(base_url: str) -> dict:
    return {
        "schemas": [CONFIG_SCHEMA],
        "documentationUri": "https://github.com/roost/roost/blob/main/docs/tenancy.md",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "Bearer token", "primary": True,
            "description": "A token an admin creates on Roost's console (Sign-in page)."}],
        "meta": {"resourceType": "ServiceProviderConfig",
                 "location": f"{base_url}/ServiceProviderConfig"},
    }


def resource_types(base_url: str) -> list[dict]:
    return [{"schemas": [RESOURCE_TYPE_SCHEMA], "id": kind, "name": kind,
             "endpoint": f"/{kind}s", "schema": schema, "description": description,
             "meta": {"resourceType": "ResourceType",
                      "location": f"{base_url}/ResourceTypes/{kind}"}}
            for kind, schema, description in (
                ("User", USER_SCHEMA, "A Roost account"),
                ("Group", GROUP_SCHEMA, "A Roost team"))]


def _attribute(name: str, kind: str = "string", *, multi: bool = False, required: bool = False,
               unique: str = "none", mutability: str = "readWrite", sub=None) -> dict:
    attribute = {"name": name, "type": kind, "multiValued": multi, "required": required,
                 "caseExact": False, "mutability": mutability, "returned": "default",
                 "uniqueness": unique}
    if sub:
        attribute["subAttributes"] = sub
    return attribute


def schemas(base_url: str) -> list[dict]:
    user = [
        _attribute("userName", required=True, unique="server"),
        _attribute("name", "complex", sub=[_attribute("formatted"), _attribute("givenName"),
                                           _attribute("familyName")]),
        _attribute("displayName"),
        _attribute("active", "boolean"),
        _attribute("emails", "complex", multi=True,
                   sub=[_attribute("value"), _attribute("type"),
                        _attribute("primary", "boolean")]),
        _attribute("groups", "complex", multi=True, mutability="readOnly",
                   sub=[_attribute("value", mutability="readOnly"),
                        _attribute("display", mutability="readOnly")]),
        _attribute("externalId"),
    ]
    group = [
        _attribute("displayName", required=True, unique="server"),
        _attribute("members", "complex", multi=True,
                   sub=[_attribute("value", mutability="immutable"),
                        _attribute("display", mutability="readOnly")]),
        _attribute("externalId"),
    ]
    return [{"schemas": [SCHEMA_SCHEMA], "id": schema, "name": name, "description": text,
             "attributes": attributes,
             "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{schema}"}}
            for schema, name, text, attributes in (
                (USER_SCHEMA, "User", "User Account", user),
                (GROUP_SCHEMA, "Group", "Group (a Roost team)", group))]
