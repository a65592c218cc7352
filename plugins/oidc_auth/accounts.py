"""The core's half of OpenID Connect sign-in: verify the ID token the front brings, check who
may sign in, and provision or update the account (through ``roost.core.provisioning``)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace

from roost.core.auth import principal_from_user
from roost.core.errors import PermissionDenied, Unauthenticated, Unavailable
from roost.core.provisioning import (apply_group_map, create_account, parse_group_map,
                                     update_profile)
from roost.plugins.oidc_auth.provider import Provider, ProviderError, TokenRejected

log = logging.getLogger("roost.oidc")
SOURCE = "oidc_auth"
# A nonce is remembered this long after use; ID tokens older than that are expired anyway.
NONCE_MEMORY_SECONDS = 24 * 3600


@dataclass
class Settings:
    provider: Provider
    username_claim: str
    email_claim: str
    name_claim: str
    groups_claim: str
    group_map: dict
    allowed_domains: tuple[str, ...]
    required_group: str
    label: str
    disable_passwords: bool
    used_nonces: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_config(cls, config) -> "Settings":
        missing = [name for name in ("oidc_client_id", "oidc_client_secret")
                   if not config.get(name)]
        if missing:
            raise ValueError(f"oidc_issuer is set but {' and '.join(missing)} is not")
        return cls(
            provider=Provider(config.get("oidc_issuer"), config.get("oidc_client_id"),
                              config.get("oidc_client_secret"), float(config.get("oidc_timeout"))),
            username_claim=config.get("oidc_username_claim"),
            email_claim=config.get("oidc_email_claim"),
            name_claim=config.get("oidc_name_claim"),
            groups_claim=config.get("oidc_groups_claim"),
            group_map=parse_group_map(config.get("oidc_group_map"), "oidc_group_map"),
            allowed_domains=tuple(d.strip().lower().lstrip("@") for d in
                                  str(config.get("oidc_allowed_domains") or "").split(",")
                                  if d.strip()),
            required_group=str(config.get("oidc_required_group") or "").lower(),
            label=config.get("oidc_label"),
            disable_passwords=bool(config.get("oidc_disable_passwords")))

    def use_nonce(self, nonce: str) -> bool:
        """False when this nonce signed someone in before (a replayed ID token)."""
        now = time.time()
        with self.lock:
            for old in [n for n, at in self.used_nonces.items()
                        if now - at > NONCE_MEMORY_SECONDS]:
                del self.used_nonces[old]
            if nonce in self.used_nonces:
                return False
            self.used_nonces[nonce] = now
            return True


def _groups(claims: dict, name: str) -> set[str]:
    value = claims.get(name) or []
    if isinstance(value, str):
        value = [value]
    # Keycloak may send full paths ("/ml"); both spellings match a map entry.
    groups = set()
    for group in value:
        group = str(group).lower()
        groups.add(group)
        groups.add(group.lstrip("/"))
    return groups


def _claims(settings: Settings, credentials) -> dict:
    nonce = credentials.headers.get("nonce", "")
    try:
        claims = settings.provider.verify_id_token(credentials.secret, nonce)
        wanted = (settings.email_claim, settings.groups_claim, settings.username_claim,
                  settings.name_claim)
        if any(name not in claims for name in wanted):
            # Some providers (Azure AD for groups, Keycloak by mapper) put claims only in
            # userinfo; the subject must match the ID token's.
            extra = settings.provider.userinfo(credentials.headers.get("access_token", ""))
            if extra.get("sub") == claims["sub"]:
                claims = {**extra, **claims}
    except TokenRejected as exc:
        log.warning("OpenID Connect sign-in refused: %s", exc)
        raise Unauthenticated(f"OpenID Connect sign-in refused: {exc}") from None
    except ProviderError as exc:
        log.warning("OpenID provider unusable: %s", exc)
        raise Unavailable(f"the OpenID provider does not answer properly ({exc}); try again "
                          "later") from None
    if not settings.use_nonce(nonce):
        raise Unauthenticated("OpenID Connect sign-in refused: this ID token was used before "
                              "(a replayed response); sign in again")
    return claims


def _admitted(settings: Settings, email: str, groups: set[str]) -> None:
    if settings.allowed_domains:
        domain = email.rpartition("@")[2].lower() if "@" in email else ""
        if domain not in settings.allowed_domains:
            raise PermissionDenied(f"e-mail addresses of {domain or '(none given)'!r} may not "
                                   "sign in to this Roost; ask your administrator")
    if settings.required_group and settings.required_group not in groups:
        raise PermissionDenied("your account is not in the group allowed to use this Roost; "
                               "ask your administrator")


def _account(settings: Settings, storage, claims: dict, email: str, name: str) -> dict:
    """The account linked to this subject; else the one with this (verified) e-mail, linked
    now; else a new one."""
    source = settings.provider.issuer
    user_id = storage.find_external_identity(source, claims["sub"])
    user = storage.get_user_by_id(user_id) if user_id else None
    if user is None and email and claims.get("email_verified") is not False:
        user = storage.find_user_by_email(email)
        if user is not None and user.get("kind") == "service":
            user = None
    if user is None:
        hint = str(claims.get(settings.username_claim) or email or claims["sub"])
        user = create_account(storage, SOURCE, hint, email, name)
    storage.link_external_identity(source, claims["sub"], user["id"])
    return user


def sign_in(settings: Settings, credentials, storage):
    claims = _claims(settings, credentials)
    email = str(claims.get(settings.email_claim) or "").strip()
    name = str(claims.get(settings.name_claim) or "").strip()
    groups = _groups(claims, settings.groups_claim)
    _admitted(settings, email, groups)
    user = _account(settings, storage, claims, email, name)
    if user["disabled"]:
        log.info("OpenID Connect sign-in of disabled account %r refused", user["username"])
        raise Unauthenticated(f"the account {user['username']!r} is disabled; ask your "
                              "administrator")
    update_profile(storage, SOURCE, user, email, name)
    apply_group_map(storage, SOURCE, user, groups, settings.group_map)
    return replace(principal_from_user(storage.get_user_by_id(user["id"])), method="oidc")
