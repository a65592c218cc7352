"""Built-in auth plugin: API keys (``Basic api:KEY``) and local passwords."""

import time
from dataclasses import replace

from roost.core.auth import REJECT, Principal, api_key_hash, principal_from_user, verify_password
from roost.core.hookspecs import hookimpl

# last_used_at is a convenience, not an audit trail: write it at most once a minute per key
# so that a busy run does not turn every request into a database write.
TOUCH_INTERVAL = 60.0


def principal_for(storage, user: dict) -> Principal:
    return principal_from_user(user)


@hookimpl
def roost_authenticate(credentials, storage):
    if credentials.scheme == "api_key":
        key = storage.find_api_key(api_key_hash(credentials.secret))
        if key is None:
            return None
        user = storage.get_user_by_id(key["user_id"])
        now = time.time()
        if user is None or user["disabled"] or (key["expires_at"] and now >= key["expires_at"]):
            return REJECT
        if now - key["last_used_at"] > TOUCH_INTERVAL:
            storage.touch_api_key(key["id"], now)
        return principal_for(storage, user)
    if credentials.scheme == "password":
        user = storage.get_user(credentials.username)
        if user is None or not user["password_hash"]:
            return None
        if user["disabled"] or not verify_password(credentials.secret, user["password_hash"]):
            return REJECT
        return replace(principal_for(storage, user), method="password")
    return None


@hookimpl
def roost_sign_in_methods(config):
    methods = [{"id": "password", "label": "Username and password (local accounts)"}]
    if str(config.get("trusted_auth_headers") or "").strip():
        methods.append({"id": "header", "label": "Reverse proxy header "
                        f"({config.get('trusted_auth_headers')})"})
    return methods
