"""Web sessions for people in a browser (the admin console, the researchers' web UI).

- flask-login keeps the signed-in user's id in Flask's signed session cookie; every request
  re-reads the principal from the core (``AdminService.PrincipalForUser``), so a disabled
  account or a revoked admin right takes effect on the next click.
- The cookie's signing key is derived from the core secret (:func:`session_key`), so every
  front of a deployment signs and checks sessions and CSRF tokens alike.
- Cookies are HttpOnly and SameSite=Lax, and Secure whenever the request came over TLS
  (directly or, with ``proxy_count``, as the proxy's X-Forwarded-Proto says).
- Flask-WTF's CSRFProtect checks every unsafe request that is authenticated by the session
  cookie or that posts an HTML form (``csrf_token()`` in templates); the SDK's requests carry
  an Authorization header and no cookie, so they are not affected.
- HTML pages get security headers: a CSP without inline scripts, no framing, no referrer
  (share links carry their token in the path).

Use: ``web_auth.init_app(app, config)``, then ``sign_in(...)``, ``sign_out()``,
``current_principal()``, ``@login_required_page`` and ``@admin_required_page``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from urllib.parse import urlparse

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from roost.admin.core_client import core_client
from roost.core.auth import Credentials, Principal
from roost.core.errors import PermissionDenied, Unauthenticated

csrf = CSRFProtect()
login_manager = LoginManager()
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SIGN_OUT_URL = "roost_sign_out_url"
SIGN_IN_EXTENSION = "roost.sign_in"
# Blueprints whose every unsafe request is a browser form, checked even without a session
# (a forged sign-in is an attack too).
FORM_BLUEPRINTS = {"console", "account"}
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'")


class SessionUser(UserMixin):
    def __init__(self, principal: Principal):
        self.principal = principal
        self.id = principal.user_id


class TlsAwareSessionInterface(SecureCookieSessionInterface):
    """Secure cookies whenever this request came over https, whatever the config says."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)



@login_manager.user_loader
def _load_user(user_id: str):
    try:
        return SessionUser(core_client().principal_for_user(user_id))
    except Unauthenticated:
        return None


@login_manager.request_loader
def _load_user_from_proxy_headers(req):
    """Single sign-on behind a reverse proxy: when the request carries one of the headers
    named by ``trusted_auth_headers`` (and no session), the auth plugins decide whether to
    trust it. The TCP peer's address goes along as ``x-roost-peer`` (the proxy's, even when
    ProxyFix rewrote remote_addr to the client's), so a plugin can accept the header from the
    proxy only."""
    names = current_app.config.get("ROOST_TRUSTED_AUTH_HEADERS") or ()
    found = {name.lower(): req.headers[name] for name in names if req.headers.get(name)}
    if not found:
        return None
    found["x-roost-peer"] = req.environ.get("werkzeug.proxy_fix.orig", {}).get(
        "REMOTE_ADDR", req.environ.get("REMOTE_ADDR", ""))
    try:
        return SessionUser(core_client().authenticate(Credentials("header", "", "", remote_addr(),
                                                            found)))
    except Unauthenticated:
        return None


@login_manager.unauthorized_handler
def _unauthorized():
    return redirect(url_for("account.login", next=safe_next(request.full_path)))


SESSION_KEY_PURPOSE = b"roost web session cookies and CSRF tokens, v1"


def session_key(core_secret: str) -> str:
    """The key that signs session cookies and CSRF tokens, derived from the core secret.

    Every front must accept a cookie or form token that another front issued. The core secret
    is the one secret every front of a deployment necessarily shares (a front with another one
    cannot reach the core at all), so a key derived from it is the same on every front by
    construction: two fronts with different session keys cannot be deployed. Its holder can
    already act as anyone over gRPC, so deriving widens no trust; the derivation (HMAC with a
    fixed purpose) keeps the core secret itself out of Flask's signing code."""
    return hmac.new(core_secret.encode(), SESSION_KEY_PURPOSE, hashlib.sha256).hexdigest()


def init_app(app: Flask, config) -> None:
    app.secret_key = session_key(config.secret_file("core.secret", "core_secret"))
    app.session_interface = TlsAwareSessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME="roost_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=str(config.get("base_url") or "").startswith("https://"),
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_CSRF_SSL_STRICT=False,  # Referer is not sent (Referrer-Policy: no-referrer)
        ROOST_TRUSTED_AUTH_HEADERS=[h.strip() for h in str(
            config.get("trusted_auth_headers") or "").split(",") if h.strip()],
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    app.extensions[SIGN_IN_EXTENSION] = PluginSignIn()

    @app.before_request
    def check_csrf():
        if request.method not in UNSAFE_METHODS:
            return
        # A browser's request is authenticated by its cookie or by a proxy's SSO header,
        # both of which a forged cross-site request carries too; an SDK's by its key.
        ambient = "_user_id" in session or any(
            request.headers.get(name) for name in app.config["ROOST_TRUSTED_AUTH_HEADERS"])
        if ("Authorization" not in request.headers and ambient) or \
                request.blueprint in FORM_BLUEPRINTS:
            csrf.protect()

    @app.errorhandler(CSRFError)
    def csrf_refused(exc: CSRFError):
        from roost.admin.errors import error_response

        message = ("this form expired or did not come from this site (CSRF check failed: "
                   f"{exc.description}); reload the page and try again")
        if request.accept_mimetypes.best == "application/json":
            return error_response(400, message)
        from flask import render_template
        return render_template("error.html", status=400, message=message), 400

    @app.context_processor
    def signed_in_user():
        return {"principal_nav": current_principal()}

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            headers.setdefault("X-Frame-Options", "DENY")
            headers.setdefault("Cache-Control", "no-store")
        return response


TOKEN_PATH = re.compile(r"^(/(?:share|invite)/)[^/]+")


def loggable_path(path: str) -> str:
    """A request path fit for logs: share and invite tokens (bearer secrets) are masked."""
    return TOKEN_PATH.sub(r"\1***", path)


def safe_next(target: str | None) -> str:
    """Only same-site paths: ``next`` must never send a person to another host."""
    if not target:
        return ""
    # Browsers read "/\\evil.example" as "//evil.example" and drop tabs and newlines from
    # URLs ("/\t/evil.example"): a path with either is refused, not cleaned.
    if "\\" in target or any(ord(c) < 0x21 or ord(c) == 0x7f for c in target):
        return ""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target.rstrip("?")


def remote_addr() -> str:
    return request.remote_addr or ""


def sign_in(username: str, password: str) -> Principal:
    """Check a password through the core (auth plugins, rate limits; the sign-in is
    recorded) and start a session. Raises Unauthenticated, TooManyRequests."""
    principal = core_client().identity.sign_in(Credentials("password", username.strip(), password,
                                                     remote_addr()))
    return start_session(principal)


def start_session(principal: Principal, sign_out_url: str = "") -> Principal:
    """A fresh session for a person the core accepted (``IdentityService.SignIn``).

    ``sign_out_url``: where signing out sends the browser afterwards (an OpenID provider's
    end_session URL), so that leaving Roost also ends the provider's session."""
    if principal.kind != "user":
        raise Unauthenticated("this account cannot sign in to the web pages")
    session.clear()  # a fresh session: nothing from before sign-in carries over (fixation)
    login_user(SessionUser(principal))
    session.permanent = True
    if sign_out_url:
        session[SIGN_OUT_URL] = sign_out_url
    g.principal = principal
    return principal


def sign_out() -> str:
    """End the session; returns the ``sign_out_url`` it was started with ("" when none)."""
    follow = session.get(SIGN_OUT_URL, "")
    logout_user()
    session.clear()
    return follow


class PluginSignIn:
    """What a plugin's front blueprint uses to finish a sign-in it started (a redirect-based
    protocol such as OpenID Connect), as ``current_app.extensions["roost.sign_in"]``: plugins
    never import the front (docs/plugins.md, roost_sign_in_methods)."""

    @staticmethod
    def finish(credentials: Credentials, sign_out_url: str = "") -> Principal:
        """The core decides (``IdentityService.SignIn``: the roost_authenticate hooks, the
        sign-in recorded); then a fresh session. Raises the core's errors."""
        return start_session(core_client().identity.sign_in(credentials), sign_out_url)

    @staticmethod
    def landing(principal: Principal, target: str = "") -> str:
        """Where to go after signing in: ``target`` when it is a same-site path, else the
        console for admins and the home page for everyone else."""
        target = safe_next(target)
        if target:
            return target
        return url_for("console.index") if principal.admin else url_for("ui.home")

    safe_next = staticmethod(safe_next)
    remote_addr = staticmethod(remote_addr)

    @staticmethod
    def base_url() -> str:
        from roost.admin.urls import base_url

        return base_url()


def current_principal() -> Principal | None:
    """The signed-in person, or None."""
    if current_user.is_authenticated:
        return current_user.principal
    return None


def login_required_page(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_principal() is None:
            return login_manager.unauthorized()
        return view(*args, **kwargs)
    return wrapper


def admin_required_page(view):
    """Console pages: signed in, and an admin (the core re-checks every call anyway)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        principal = current_principal()
        if principal is None:
            return login_manager.unauthorized()
        if not principal.admin:
            raise PermissionDenied("the admin console is for server admins only")
        return view(*args, **kwargs)
    return wrapper


__all__ = ["init_app", "sign_in", "start_session", "sign_out", "current_principal", "login_required_page",
           "admin_required_page", "safe_next", "loggable_path", "csrf"]
