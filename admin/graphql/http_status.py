"""GraphQL answers 401/403 when an operation failed only because of who is asking.

GraphQL errors normally travel with HTTP 200. wandb clients do not retry 401/403 (they do
retry most other statuses, for minutes), and a person scripting against the API expects the
status to say "not allowed". So when no field produced data and every error carries an auth
status (core/errors.py puts it in the error's extensions), the response takes that status.
"""

from __future__ import annotations

import orjson
from flask import Flask, request

GRAPHQL_ENDPOINTS = {"graphql", "share_graphql"}
AUTH_STATUSES = {401, 403}


def status_for(body: dict) -> int | None:
    errors = body.get("errors") or []
    data = body.get("data")
    if not errors or (isinstance(data, dict) and any(v is not None for v in data.values())):
        return None
    statuses = {(e.get("extensions") or {}).get("status") for e in errors}
    if statuses and statuses <= AUTH_STATUSES:
        return 401 if 401 in statuses else 403
    return None


def init_app(app: Flask) -> None:
    @app.after_request
    def auth_failures_keep_their_status(response):
        if (request.endpoint not in GRAPHQL_ENDPOINTS or response.status_code != 200
                or response.direct_passthrough or response.mimetype != "application/json"):
            return response
        raw = response.get_data()
        if b'"errors"' not in raw:
            return response
        try:
            status = status_for(orjson.loads(raw))
        except orjson.JSONDecodeError:
            return response
        if status:
            response.status_code = status
            if status == 401:
                response.headers["WWW-Authenticate"] = 'Basic realm="roost"'
        return response
