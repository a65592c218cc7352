"""SCIM 2.0 for identity providers: ``/scim/v2/...`` is forwarded to the core
(IdentityService.Scim), which checks the bearer token and answers. The front only carries
the request and the answer (``application/scim+json``)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from roost.admin.urls import base_url

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
CONTENT_TYPE = "application/scim+json"


@bp.route("", defaults={"path": ""}, methods=METHODS)
@bp.route("/<path:path>", methods=METHODS)
def scim(path: str):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    status, body = current_app.extensions["roost.core"].identity.scim(
        token.strip() if scheme.lower() == "bearer" else "", request.method, "/" + path,
        request.args.to_dict(), request.get_data(as_text=True), base_url() + "/scim/v2")
    response = Response(body, status=status, content_type=CONTENT_TYPE if body else None)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="roost-scim"'
    return response
