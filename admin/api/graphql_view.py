"""POST /graphql through graphql-server, with the quirks wandb clients need."""

from __future__ import annotations

import logging


from flask import request as flask_request
from graphql_server.flask.views import GraphQLView
from graphql_server.http.exceptions import HTTPException

from roost.admin.core_client import core_client
from roost.admin.errors import error_response
from roost.admin.graphql.context import GraphQLContext
from roost.admin.request_auth import authenticated_principal
from roost.admin.urls import base_url
from roost.core.errors import RoostError

log = logging.getLogger("roost.graphql")


class ClientErrorsAreNotServerErrors(logging.Filter):
    """graphql-server logs every resolver error at ERROR with a traceback. A refusal the core
    meant for the client (not found, forbidden, invalid input) is not a server fault: it is
    logged once, at INFO, by the view below, and only real failures keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, RoostError) and error.http_status < 500)


logging.getLogger("graphql_server.execution").addFilter(ClientErrorsAreNotServerErrors())


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
                              core=core_client(), base_url=base_url())


def make_view(schema):
    return WandbGraphQLView.as_view("graphql", schema=schema, graphql_ide=None)
