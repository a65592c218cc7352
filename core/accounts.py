"""Accounts: who a request is (authentication, sign-in limits), users and their API keys.

The Core builds one ``Accounts`` (``core.accounts``) and gives it what it uses: the storage
provider, the hooks (``roost_authenticate``), config (the key prefix, the sign-in limits), the
``Authorizer`` (who may manage which account) and the audit log. The AuthService servicer
(core/accounts_servicer.py), Tenancy (sign-ups, service accounts), Identity (web sign-ins) and
the CLI call it.
"""

from __future__ import annotations

import secrets
import time

from roost.core import auth, share_links
from roost.core.audit import Audit
from roost.core.auth import REJECT, Credentials, Principal
from roost.core.authorizer import Authorizer
from roost.core.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from roost.core.login_limits import LoginLimiter
from roost.core.views.tokens import principal as view_token_principal


class Accounts:
    def __init__(self, storage, pm, config, authorizer: Authorizer, audit: Audit):
        self.storage = storage
        self.pm = pm
        self.config = config
        self.authorizer = authorizer
        self.audit = audit
        self.login_limiter = LoginLimiter(storage, int(config.get("login_max_failures", 10)),
                                          float(config.get("login_window_seconds", 300)))

    # -- first start -------------------------------------------------------------------------
    def bootstrap_admin(self) -> str | None:
        """Create the ``admin`` user with a random password when there are no users yet."""
        if self.storage.count_users():
            return None
        password = secrets.token_urlsafe(18)
        self.storage.create_user("admin", "", auth.hash_password(password), admin=True)
        return password

    # -- identity ----------------------------------------------------------------------------
    def authenticate(self, credentials: Credentials) -> Principal:
        if credentials.scheme == "share":
            # Share tokens are the core's own, not an auth plugin's: read-only, revocable.
            return share_links.principal(self.storage, credentials.secret)
        if credentials.scheme == "view_token":  # a report's view-only link
            return view_token_principal(self.storage, credentials.secret)
        if not credentials.secret and credentials.scheme != "header":
            raise Unauthenticated("no credentials given")
        password = credentials.scheme == "password"
        if password:
            self.login_limiter.check(credentials.username, credentials.remote_addr)
        result = self.pm.hook.roost_authenticate(credentials=credentials, storage=self.storage)
        if result is None or result is REJECT:
            if password:
                self.login_limiter.failed(credentials.username, credentials.remote_addr)
            if credentials.scheme == "api_key":
                raise Unauthenticated(
                    "invalid API key: this server knows no such key (mistyped, revoked, or made "
                    "for another server); create one with `roost key create USER` or under "
                    "Settings in the web UI")
            raise Unauthenticated("invalid username or password")
        if password:
            self.login_limiter.succeeded(credentials.username)
        return result

    # -- users -------------------------------------------------------------------------------
    def _require_admin_or_self(self, principal: Principal | None, username: str) -> None:
        if not self.authorizer.may_manage_account(principal, username):
            raise PermissionDenied("only an admin may manage other users' accounts and keys")

    def create_user(self, principal: Principal | None, username: str, email: str = "",
                    password: str = "", admin: bool = False, audit: bool = True) -> dict:
        """``principal`` None means a local operator (the CLI on the server itself)."""
        if principal is not None:
            self.authorizer.require_admin(principal, "create users")
        auth.validate_name("user", username)
        if password and len(password) < 8:
            raise InvalidArgument("password must be at least 8 characters")
        if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
            raise InvalidArgument(f"{email!r} is not an email address")
        user = self.storage.create_user(username, email,
                                        auth.hash_password(password) if password else None, admin)
        if audit:  # sign-ups through an invite or /register are recorded as such instead
            self.audit.record(principal, "user.create", username, admin=admin, email=email)
        return user

    def get_user(self, username: str) -> dict:
        user = self.storage.get_user(username)
        if user is None:
            raise NotFound(f"user {username!r} does not exist")
        return user

    def read_user(self, principal: Principal, username: str) -> dict:
        """A user's account (email, admin flag, teams): for that user and admins only."""
        self._require_admin_or_self(principal, username)
        return self.get_user(username)

    # -- API keys ----------------------------------------------------------------------------
    def create_api_key(self, principal: Principal | None, username: str,
                       description: str = "", expires_at: float = 0.0) -> tuple[dict, str]:
        """A new key for ``username``; ``expires_at`` (epoch seconds, 0: never) ends it."""
        self._require_admin_or_self(principal, username)
        if expires_at and expires_at <= time.time():
            raise InvalidArgument("a key's expiry must be in the future")
        user = self.get_user(username)
        key = auth.generate_api_key(self.config.get("key_prefix", ""))
        record = self.storage.create_api_key(user["id"], auth.api_key_hash(key), auth.key_hint(key),
                                             description, expires_at or None)
        if principal is None or principal.username != username:
            self.audit.record(principal, "api_key.create", username, key_id=record["id"])
        return record | {"username": username}, key

    def list_api_keys(self, principal: Principal | None, username: str) -> list[dict]:
        self._require_admin_or_self(principal, username)
        return self.storage.list_api_keys(self.get_user(username)["id"])

    def revoke_api_key(self, principal: Principal | None, key_id: str) -> None:
        key = self.storage.get_api_key(key_id)
        if key is None or not self.authorizer.may_manage_account(principal, key["username"]):
            raise NotFound(f"API key {key_id!r} does not exist")
        self.storage.revoke_api_key(key_id)
        if principal is None or principal.username != key["username"]:
            self.audit.record(principal, "api_key.revoke", key["username"], key_id=key_id)
