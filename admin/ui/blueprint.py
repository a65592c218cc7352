"""The ``ui`` blueprint and what its views share: the caller, the core, errors, static URLs.

Every page and JSON endpoint reads through the front's core client with the signed-in
person's principal (or the anonymous one), so what a page shows is exactly what the API
would answer for the same person. A page that may not be read is a 404, as if it did not
exist; an anonymous visitor who needs to sign in is sent to the sign-in page.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from pathlib import Path

from flask import (Blueprint, jsonify, redirect, render_template, request,
                   send_from_directory, url_for)

from roost.admin.core_client import core_client
from roost.admin import web_auth
from roost.core.access import anonymous
from roost.core.errors import NotFound, PermissionDenied, RoostError, Unauthenticated

STATIC = Path(__file__).resolve().parent / "static"
# JSON bigger than this is gzipped when the browser accepts it (chart data, table pages).
GZIP_MIN_BYTES = 2048


bp = Blueprint("ui", __name__, template_folder="templates")


@functools.lru_cache(maxsize=1)
def static_version() -> str:
    """A hash of every static file. Static URLs carry it as a path segment, so a cached copy
    is never stale and ES modules importing "./ui.js" resolve to the same versioned URL as
    the page's own tag (a query string would load a second copy of the module)."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(STATIC)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/_ui/static/<version>/<path:filename>")
def static(version: str, filename: str):
    max_age = 365 * 24 * 3600 if version == static_version() else 0
    return send_from_directory(STATIC, filename, max_age=max_age)


core = core_client  # the views' short name for it


def me():
    """The signed-in person's principal, or the anonymous one (public projects only)."""
    return web_auth.current_principal() or anonymous()


def signed_in() -> bool:
    return web_auth.current_principal() is not None


def static_url(filename: str) -> str:
    return url_for("ui.static", version=static_version(), filename=filename)


@bp.app_template_global("ui_static")
def _ui_static(filename: str) -> str:
    return static_url(filename)


def wants_json() -> bool:
    return request.path.startswith("/_ui/api/")


def _login_redirect():
    return redirect(url_for("account.login", next=web_auth.safe_next(request.full_path)))


def error_page(status: int, message: str):
    return render_template("ui/error.html", status=status, message=message), status


@bp.errorhandler(RoostError)
def roost_error(exc: RoostError):
    status, message = exc.http_status, exc.message
    if isinstance(exc, Unauthenticated) and not signed_in():
        if wants_json():
            return jsonify({"error": "sign in to see this"}), 401
        return _login_redirect()
    if isinstance(exc, PermissionDenied) and request.method == "GET":
        # Reading what one may not read looks like reading what does not exist: a private
        # project's name is not revealed to people outside it.
        status, message = 404, "not found, or you do not have access to it"
    if wants_json():
        return jsonify({"error": message}), status
    return error_page(status, message)


def not_found(what: str):
    raise NotFound(f"{what} does not exist")


@bp.after_app_request
def compress_json(response):
    if (not request.path.startswith("/_ui/api/") or response.mimetype != "application/json"
            or response.direct_passthrough or response.status_code != 200
            or "gzip" not in request.headers.get("Accept-Encoding", "")
            or "Content-Encoding" in response.headers):
        return response
    data = response.get_data()
    if len(data) < GZIP_MIN_BYTES:
        return response
    response.set_data(gzip.compress(data, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


@bp.after_request
def no_cache_for_data(response):
    if request.path.startswith("/_ui/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.app_context_processor
def _layout_context():
    principal = web_auth.current_principal()
    return {"viewer": principal}
