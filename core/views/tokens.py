"""View-only links of reports (W&B's "access tokens").

The token is a bearer secret in a URL (``...--<id>?accessToken=<token>``). It is derived as
HMAC(core secret, nonce) and only its nonce and SHA-256 hash are stored, so the database alone
does not reveal a working link, while the report's editors can still be shown the link again
(wandb-workspaces' ``get_share_url`` reads it back).

A principal of kind ``view_token`` (``user_id`` = the token's storage id) reads its one report
and, for the report's panels, the runs of the projects the token lists; it never writes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from roost.core.auth import Principal, api_key_hash
from roost.core.errors import NotFound, PermissionDenied, Unauthenticated

KIND = "view_token"


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"roost view token:" + secret.encode()).digest()


def _token(config, nonce: str) -> str:
    key = _key(config.secret_file("core.secret", "core_secret"))
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def with_token(config, record: dict) -> dict:
    return record | {"token": _token(config, record["nonce"])}


def create(storage, config, view: dict, projects: list[list[str]], user_id: str) -> dict:
    nonce = secrets.token_urlsafe(24)
    token = _token(config, nonce)
    record = storage.create_view_token(view["id"], nonce, api_key_hash(token), projects,
                                            user_id)
    return record | {"token": token}


def find(storage, token: str) -> dict:
    record = storage.find_view_token(api_key_hash(token or ""))
    if record is None:
        raise NotFound("this view-only link does not exist")
    return record


def principal(storage, token: str) -> Principal:
    """The principal of a view-only link; Unauthenticated when unknown or revoked."""
    record = storage.find_view_token(api_key_hash(token or ""))
    if record is None or record["revoked_at"]:
        raise Unauthenticated("this view-only link was revoked or does not exist")
    return Principal(user_id=record["id"], username="", default_entity="", kind=KIND,
                     name="view-only link")


def _active(storage, principal_: Principal) -> dict:
    record = storage.get_view_token(principal_.user_id)
    if record is None:
        raise Unauthenticated("this view-only link does not exist")
    if record["revoked_at"]:
        raise Unauthenticated("this view-only link was revoked")
    return record


def check_view(storage, principal_: Principal, view: dict) -> None:
    """A view-only link reads its own report only."""
    record = _active(storage, principal_)
    if record["view_id"] != view["id"]:
        raise NotFound("this view-only link covers another report")


def check_access(storage, principal_: Principal, level: str, resource: dict) -> None:
    """access.check for a view-only link: reads of the token's projects (the report's
    runsets), nothing else."""
    record = storage.get_view_token(principal_.user_id)
    if record is None or record["revoked_at"]:
        raise Unauthenticated("this view-only link was revoked or does not exist")
    if level != "read":
        raise PermissionDenied("a view-only link gives read-only access")
    if [resource.get("entity"), resource.get("project")] not in record["projects"]:
        raise PermissionDenied("this view-only link does not cover "
                               f"{resource.get('entity')}/{resource.get('project')}")
