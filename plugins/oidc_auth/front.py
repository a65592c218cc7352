"""The front's half of OpenID Connect sign-in: ``/oidc/login`` and ``/oidc/callback``.

Authorization code flow with PKCE (S256). State, nonce and the code verifier live in the
signed session cookie for ten minutes and are used once: a callback whose state is missing
(replayed, or another browser's) or different (forged) is refused before any code is
exchanged. The ID token goes to the core (``IdentityService.SignIn``, scheme ``"oidc"``),
which verifies it and provisions the account; the front never decides who someone is.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from urllib.parse import urlencode

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Blueprint, current_app, redirect, render_template, request, session

from roost.core.auth import Credentials
from roost.core.errors import RoostError
from roost.plugins.oidc_auth.provider import Provider, ProviderError, TokenRejected

log = logging.getLogger("roost.oidc")
PENDING = "oidc_pending"
PENDING_SECONDS = 600


def _front():
    """The front's sign-in helpers (admin/web_auth.py PluginSignIn): a plugin never imports
    the front, it finds them on the app."""
    return current_app.extensions["roost.sign_in"]


def _refuse(status: int, message: str):
    return render_template("error.html", status=status, message=message), status


def make_blueprint(config) -> Blueprint:
    provider = Provider(config.get("oidc_issuer"), config.get("oidc_client_id"),
                        config.get("oidc_client_secret"), float(config.get("oidc_timeout")))
    scopes = " ".join(str(config.get("oidc_scopes") or "openid").split())
    if "openid" not in scopes.split():
        scopes = "openid " + scopes
    label = config.get("oidc_label")
    bp = Blueprint("oidc", __name__, url_prefix="/oidc")

    def callback_url() -> str:
        return _front().base_url() + "/oidc/callback"

    @bp.get("/login")
    def login():
        try:
            endpoint = provider.discovery()["authorization_endpoint"]
        except ProviderError as exc:
            log.warning("OpenID provider unusable: %s", exc)
            return _refuse(503, f"{label} does not answer ({exc}); try again later")
        verifier = generate_token(64)
        pending = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32),
                   "verifier": verifier, "at": time.time(),
                   "next": _front().safe_next(request.args.get("next"))}
        session[PENDING] = pending
        query = urlencode({"response_type": "code", "client_id": provider.client_id,
                           "redirect_uri": callback_url(), "scope": scopes,
                           "state": pending["state"], "nonce": pending["nonce"],
                           "code_challenge": create_s256_code_challenge(verifier),
                           "code_challenge_method": "S256"})
        return redirect(f"{endpoint}{'&' if '?' in endpoint else '?'}{query}")

    @bp.get("/callback")
    def callback():
        pending = session.pop(PENDING, None)
        if request.args.get("error"):
            return _refuse(401, f"{label} did not sign you in: "
                           f"{request.args.get('error_description') or request.args['error']}")
        state = request.args.get("state", "")
        if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
            return _refuse(400, "this sign-in is unknown or has expired (a reused or replayed "
                           "link); start again from the sign-in page")
        if not hmac.compare_digest(pending["state"], state):
            return _refuse(400, "the sign-in answer does not belong to this sign-in (state "
                           "mismatch); start again from the sign-in page")
        code = request.args.get("code", "")
        if not code:
            return _refuse(400, f"{label} sent no authorization code")
        try:
            token = provider.exchange_code(code, pending["verifier"], callback_url())
            principal = _front().finish(
                Credentials("oidc", "", token["id_token"], _front().remote_addr(),
                            {"nonce": pending["nonce"],
                             "access_token": token.get("access_token", "")}),
                _sign_out_url(provider, token["id_token"]))
        except TokenRejected as exc:
            return _refuse(401, f"{label} sign-in refused: {exc}")
        except ProviderError as exc:
            return _refuse(503, f"{label} does not answer ({exc}); try again later")
        except RoostError as exc:
            return _refuse(exc.http_status, exc.message)
        return redirect(_front().landing(principal, pending.get("next", "")))

    return bp


def _sign_out_url(provider: Provider, id_token: str) -> str:
    """The provider's RP-initiated logout, back to Roost's sign-in page afterwards."""
    try:
        endpoint = provider.discovery().get("end_session_endpoint")
    except ProviderError:
        return ""
    if not endpoint:
        return ""
    query = urlencode({"id_token_hint": id_token, "client_id": provider.client_id,
                       "post_logout_redirect_uri": _front().base_url() + "/login"})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
