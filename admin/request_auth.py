"""Authenticate a request through the core: HTTP Basic ``api:KEY`` (what the SDK sends)."""

from __future__ import annotations

import base64
import binascii

from flask import current_app, g, request

from roost.core.auth import Credentials, Principal
from roost.core.errors import Unauthenticated


def credentials_from_request() -> Credentials:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        raise Unauthenticated("no API key given: send HTTP Basic auth with user 'api' and "
                              "your key as the password (wandb does this from WANDB_API_KEY)")
    if scheme.lower() == "basic":
        try:
            user, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthenticated("malformed Basic authorization header") from None
        if user == "api":
            return Credentials("api_key", "", secret, request.remote_addr or "")
        return Credentials("password", user, secret, request.remote_addr or "")
    if scheme.lower() == "bearer":
        return Credentials("api_key", "", value.strip(), request.remote_addr or "")
    raise Unauthenticated(f"unsupported authorization scheme {scheme!r}; use Basic api:KEY")


def authenticated_principal() -> Principal:
    """The caller, authenticated once per request; raises Unauthenticated (401)."""
    if "principal" not in g:
        g.principal = current_app.extensions["roost.core"].authenticate(credentials_from_request())
    return g.principal
