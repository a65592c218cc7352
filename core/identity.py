"""Identity beyond one request: web sign-ins recorded per method, the sign-in methods the
plugins offer, every API key at once, and SCIM bearer tokens.

The Core builds one ``Identity`` (``core.identity``) and gives it what it uses: storage, the
``Authorizer`` (admin checks), the audit log, ``Accounts.authenticate``, the hooks and
config. The IdentityService servicer and the CLI call it.
"""

from __future__ import annotations

import secrets
import time

from roost.core import auth
from roost.core.auth import Credentials, Principal
from roost.core.errors import InvalidArgument, NotFound, Unauthenticated
from roost.core.formats import flatten_methods
# Sign-ins shown per method on the console.
RECENT_SIGN_INS = 10
# last_used_at of a SCIM token is written at most this often (as API keys' last use).
TOUCH_INTERVAL = 60.0


class Identity:
    def __init__(self, storage, authorizer, audit, authenticate, pm, config):
        """``authenticate``: the Accounts service's (the roost_authenticate hooks and sign-in
        limits)."""
        self.storage = storage
        self.authorizer = authorizer
        self.audit = audit
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
        self.authorizer.require_admin(principal, "see sign-in methods")
        return self.sign_in_methods(), self.storage.last_sign_ins(RECENT_SIGN_INS)

    # -- keys --------------------------------------------------------------------------------
    def list_all_api_keys(self, principal: Principal | None,
                          include_revoked: bool = False) -> list[dict]:
        self.authorizer.require_admin(principal, "list every API key")
        return self.storage.list_all_api_keys(include_revoked)

    # -- SCIM tokens -------------------------------------------------------------------------
    def create_scim_token(self, principal: Principal | None, description: str) -> tuple[dict, str]:
        self.authorizer.require_admin(principal, "create SCIM tokens")
        description = (description or "").strip()
        if len(description) > 255:
            raise InvalidArgument("a SCIM token description is at most 255 characters")
        secret = "scim-" + secrets.token_urlsafe(32)
        record = self.storage.create_scim_token(auth.api_key_hash(secret), description,
                                                principal.username if principal else "")
        self.audit.record(principal, "scim.token.create", record["id"], description=description)
        return record, secret

    def list_scim_tokens(self, principal: Principal | None) -> list[dict]:
        self.authorizer.require_admin(principal, "list SCIM tokens")
        return self.storage.list_scim_tokens()

    def revoke_scim_token(self, principal: Principal | None, token_id: str) -> None:
        self.authorizer.require_admin(principal, "revoke SCIM tokens")
        if self.storage.revoke_scim_token(token_id) is None:
            raise NotFound(f"SCIM token {token_id!r} does not exist")
        self.audit.record(principal, "scim.token.revoke", token_id)

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
