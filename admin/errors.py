"""Error answers: JSON with a message a person can act on, and the right status."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from roost.core.errors import RoostError

log = logging.getLogger("roost.front")


def error_response(status: int, message: str):
    response = jsonify({"error": message})
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
