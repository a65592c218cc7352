"""Who sent this request, decided by the core: HTTP Basic ``api:KEY`` (what the SDK sends),
a bearer key, a share token in the URL path (``/share/<share_token>/...``), a signed-in
web session, or nobody (the anonymous principal, which may only read public projects)."""

from __future__ import annotations

import base64
import binascii

from flask import current_app, g, request

from roost.admin.core_client import core_client
from roost.core.access import anonymous
from roost.core.auth import Credentials, Principal
from roost.core.errors import Unauthenticated


def credentials_from_request() -> Credentials | None:
    """The credentials this request carries, or None when it carries none."""
    share_token = (request.view_args or {}).get("share_token")
    if share_token is not None:
        # The token in the path is the credential; an Authorization header is ignored here.
        return Credentials("share", "", share_token, request.remote_addr or "")
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        return None
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


def _session_principal() -> Principal | None:
    if not hasattr(current_app, "login_manager"):  # an app without web sessions
        return None
    from roost.admin.web_auth import current_principal

    return current_principal()


def authenticated_principal() -> Principal:
    """The caller, authenticated once per request; raises Unauthenticated (401) for bad
    credentials. Without credentials: the web session's user, else the anonymous principal,
    whom the core lets read public projects only."""
    if "principal" not in g:
        credentials = credentials_from_request()
        if credentials is not None:
            g.principal = core_client().authenticate(credentials)
        else:
            g.principal = _session_principal() or anonymous()
    return g.principal
