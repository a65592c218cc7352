"""PATCH operations (RFC 7644 §3.5.2) in the shapes IdPs send them: Okta's
``{"op": "replace", "value": {"active": false}}``, Azure AD's ``{"op": "Replace", "path":
"active", "value": "False"}``, value paths such as ``emails[type eq "work"].value`` and
``members[value eq "12"]``."""

from __future__ import annotations

import re

from roost.core.scim.errors import ScimError
from roost.core.scim.resources import PATCH_SCHEMA

VALUE_PATH = re.compile(r'^(?P<attr>\w+)\[(?P<filter>[^\]]*)\](?:\.(?P<sub>\w+))?$')
MEMBER_FILTER = re.compile(r'^\s*value\s+eq\s+"(?P<value>[^"]*)"\s*$', re.IGNORECASE)


def operations(document: dict) -> list[tuple[str, str, object]]:
    """``(op, path, value)`` for each operation, op lower-case, path as sent ("" for none)."""
    if PATCH_SCHEMA not in document.get("schemas", [PATCH_SCHEMA]):
        raise ScimError(400, f"a PATCH body names the schema {PATCH_SCHEMA}", "invalidSyntax")
    found = []
    for operation in document.get("Operations") or []:
        if not isinstance(operation, dict):
            raise ScimError(400, "each of Operations must be an object", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"unknown PATCH op {operation.get('op')!r}; use add, "
                            "replace or remove", "invalidSyntax")
        path = str(operation.get("path") or "")
        if op == "remove" and not path:
            raise ScimError(400, "a remove operation needs a path", "noTarget")
        found.append((op, path, operation.get("value")))
    if not found:
        raise ScimError(400, "a PATCH body needs at least one of Operations", "invalidSyntax")
    return found


def as_bool(value, attribute: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"  # Azure AD sends "True"/"False"
    raise ScimError(400, f"{attribute} must be true or false, not {value!r}", "invalidValue")


def member_value(path: str) -> str | None:
    """The id in ``members[value eq "ID"]``; None for a plain ``members`` path."""
    match = VALUE_PATH.match(path.strip())
    if not match:
        return None
    if match.group("attr").lower() != "members":
        raise ScimError(400, f"cannot PATCH {path!r}", "invalidPath")
    inner = MEMBER_FILTER.match(match.group("filter"))
    if not inner:
        raise ScimError(400, f"only members[value eq \"ID\"] is understood, not {path!r}",
                        "invalidFilter")
    return inner.group("value")


def member_ids(value) -> list[str]:
    values = value if isinstance(value, list) else [value] if value is not None else []
    ids = []
    for item in values:
        if not isinstance(item, dict) or not item.get("value"):
            raise ScimError(400, 'members are objects with a "value" (a user id)',
                            "invalidValue")
        ids.append(str(item["value"]))
    return ids
