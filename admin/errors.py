"""Error answers: JSON with a message a person can act on, and the right status."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from roost.admin.graphql.http_status import GRAPHQL_ENDPOINTS
from roost.core.errors import RoostError

log = logging.getLogger("roost.front")


def error_response(status: int, message: str):
    body = {"error": message}
    if request and request.endpoint in GRAPHQL_ENDPOINTS:
        # wandb-core (Go) reads a GraphQL endpoint's non-200 answer as a GraphQL response and
        # prints only its "errors" (a bare {"error": ...} showed as "<no message>"); the Python
        # SDK and scripts read "error". Both, so every client says what is wrong.
        body["errors"] = [{"message": message}]
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="roost"'
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(RoostError)
    def roost_error(exc: RoostError):
        if exc.http_status >= 500:
            log.error("%s: %s", exc.__class__.__name__, exc.message)
        return error_response(exc.http_status, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            413: "request body is larger than this server accepts",
            405: "method not allowed here",
        }
        return error_response(exc.code or 500, messages.get(exc.code, exc.description))
