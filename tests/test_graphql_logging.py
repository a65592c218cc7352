"""Refusals meant for the client are not logged as server errors; real failures still are."""

import logging

from roost.admin.api.graphql_view import ClientErrorsAreNotServerErrors
from roost.core.errors import InvalidArgument, NotFound, PermissionDenied, RoostError


def record_for(error: Exception) -> logging.LogRecord:
    return logging.LogRecord("graphql_server.execution", logging.ERROR, __file__, 1, "failed",
                             None, (type(error), error, None))


def test_client_refusals_are_filtered_and_server_faults_kept():
    keep = ClientErrorsAreNotServerErrors().filter
    for refusal in (PermissionDenied("no"), NotFound("gone"), InvalidArgument("bad")):
        assert not keep(record_for(refusal))
    assert keep(record_for(RoostError("internal error: OperationalError")))
    assert keep(record_for(ValueError("a bug")))
    assert keep(logging.LogRecord("x", logging.ERROR, __file__, 1, "no exception", None, None))
