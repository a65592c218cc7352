"""POST /graphql through graphql-server, with the quirks wandb clients need."""

from __future__ import annotations

import logging

from flask import current_app
from flask import request as flask_request
from graphql_server.flask.views import GraphQLView
from graphql_server.http.exceptions import HTTPException

from roost.admin.errors import error_response
from roost.admin.graphql.context import GraphQLContext
from roost.admin.request_auth import authenticated_principal
from roost.admin.urls import base_url

log = logging.getLogger("roost.graphql")


class WandbGraphQLView(GraphQLView):
    """graphql-server's view; ``operationName: ""`` (sent by wandb 0.31) means "none"."""

    allow_queries_via_get = False

    def dispatch_request(self):
        try:
            return self.run(request=flask_request)
        except HTTPException as exc:
            # graphql-server answers bad requests in plain text; ours are JSON like every error.
            return error_response(exc.status_code, exc.reason)

    def get_graphql_request_data(self, request, context, data, protocol):
        if not isinstance(data, dict):
            raise HTTPException(400, "the request body must be a JSON object with a 'query' "
                                "(batched requests are not supported)")
        if data.get("operationName") == "":
            data = {k: v for k, v in data.items() if k != "operationName"}
        return super().get_graphql_request_data(request, context, data, protocol)

    def _handle_errors(self, errors, response_data):
        for error in errors:
            log.info("graphql error: %s (at %s)", error.message, error.path)

    def get_context(self, request, response):
        return GraphQLContext(principal=authenticated_principal(),
                              core=current_app.extensions["roost.core"], base_url=base_url())


def make_view(schema):
    return WandbGraphQLView.as_view("graphql", schema=schema, graphql_ide=None)
