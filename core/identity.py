"""Identity beyond one request: web sign-ins recorded per method, the sign-in methods the
plugins offer, every API key at once, and SCIM bearer tokens.

The Core owns one ``Identity``; the IdentityService servicer and the CLI call it.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time

from roost.core import auth
from roost.core.auth import Credentials, Principal
from roost.core.errors import InvalidArgument, NotFound, Unauthenticated

DURATION = re.compile(r"^(\d+)\s*([mhdw])$")
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# Sign-ins shown per method on the console.
RECENT_SIGN_INS = 10
# last_used_at of a SCIM token is written at most this often (as API keys' last use).
TOUCH_INTERVAL = 60.0


def parse_expiry(text: str, now: float | None = None) -> float:
    """A key's expiry as epoch seconds: ``30d``, ``12h``, ``2w``, ``90m`` from now, or an ISO
    date/time (UTC unless it says). The CLI's ``--expires`` and the console's form."""
    now = time.time() if now is None else now
    text = (text or "").strip()
    match = DURATION.match(text)
    if match:
        return now + int(match.group(1)) * UNIT_SECONDS[match.group(2)]
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"expiry {text!r}: give a duration (30d, 12h, 2w, 90m) or a "
                              "date (2027-01-31 or 2027-01-31T18:00)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


def flatten_methods(results) -> list[dict]:
    """``roost_sign_in_methods`` answers (each a dict or a list of them) as one list."""
    methods = []
    for result in results:
        for method in result if isinstance(result, (list, tuple)) else [result]:
            if method:
                methods.append({"id": str(method["id"]), "label": str(method.get("label", "")),
                                "url": str(method.get("url", "")),
                                "replaces_password": bool(method.get("replaces_password"))})
    return methods


class Identity:
    def __init__(self, storage, tenancy, authenticate, pm, config):
        """``authenticate``: the Core's (the roost_authenticate hooks and sign-in limits)."""
        self.storage = storage
        self.tenancy = tenancy
        self.authenticate = authenticate
        self.pm = pm
        self.config = config

    # -- sign-ins ----------------------------------------------------------------------------
    def sign_in(self, credentials: Credentials) -> Principal:
        """Authenticate a person for a web session and record how they signed in."""
        principal = self.authenticate(credentials)
        if principal.kind != "user":
            raise Unauthenticated("this account cannot sign in to the web pages")
        self.storage.record_sign_in(principal.user_id, principal.username,
                                    principal.method or credentials.scheme,
                                    credentials.remote_addr)
        return principal

    def sign_in_methods(self) -> list[dict]:
        return flatten_methods(self.pm.hook.roost_sign_in_methods(config=self.config))

    def sign_in_overview(self, principal: Principal | None) -> tuple[list[dict], list[dict]]:
        self.tenancy.require_admin(principal, "see sign-in methods")
        return self.sign_in_methods(), self.storage.last_sign_ins(RECENT_SIGN_INS)

    # -- keys --------------------------------------------------------------------------------
    def list_all_api_keys(self, principal: Principal | None,
                          include_revoked: bool = False) -> list[dict]:
        self.tenancy.require_admin(principal, "list every API key")
        return self.storage.list_all_api_keys(include_revoked)

    # -- SCIM tokens -------------------------------------------------------------------------
    def create_scim_token(self, principal: Principal | None, description: str) -> tuple[dict, str]:
        self.tenancy.require_admin(principal, "create SCIM tokens")
        description = (description or "").strip()
        if len(description) > 255:
            raise InvalidArgument("a SCIM token description is at most 255 characters")
        secret = "scim-" + secrets.token_urlsafe(32)
        record = self.storage.create_scim_token(auth.api_key_hash(secret), description,
                                                principal.username if principal else "")
        self.tenancy.audit.record(principal, "scim.token.create", record["id"],
                                  description=description)
        return record, secret

    def list_scim_tokens(self, principal: Principal | None) -> list[dict]:
        self.tenancy.require_admin(principal, "list SCIM tokens")
        return self.storage.list_scim_tokens()

    def revoke_scim_token(self, principal: Principal | None, token_id: str) -> None:
        self.tenancy.require_admin(principal, "revoke SCIM tokens")
        if self.storage.revoke_scim_token(token_id) is None:
            raise NotFound(f"SCIM token {token_id!r} does not exist")
        self.tenancy.audit.record(principal, "scim.token.revoke", token_id)

    def check_scim_token(self, secret: str) -> dict:
        """The live token behind ``secret``; Unauthenticated otherwise."""
        token = self.storage.find_scim_token(auth.api_key_hash(secret)) if secret else None
        if token is None:
            raise Unauthenticated("missing, unknown or revoked SCIM bearer token; an admin "
                                  "creates one on the console (Sign-in -> SCIM tokens)")
        now = time.time()
        if now - token["last_used_at"] > TOUCH_INTERVAL:
            self.storage.touch_scim_token(token["id"], now)
        return token
