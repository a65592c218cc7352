"""Errors the core raises for bad requests; each maps to one gRPC status and one HTTP status.

The front turns the gRPC status back into the HTTP answer, so a message written here is
what the person at the other end reads: say what was wrong and what to do.
"""

import grpc


class RoostError(Exception):
    grpc_code = grpc.StatusCode.INTERNAL
    http_status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def extensions(self) -> dict:
        """GraphQL error extensions (graphql-core copies them from the original error): the
        front answers 401/403 when every error of a failed operation says so."""
        return {"code": self.grpc_code.name, "status": self.http_status}


class InvalidArgument(RoostError):
    grpc_code = grpc.StatusCode.INVALID_ARGUMENT
    http_status = 400


class Unauthenticated(RoostError):
    grpc_code = grpc.StatusCode.UNAUTHENTICATED
    http_status = 401


class PermissionDenied(RoostError):
    grpc_code = grpc.StatusCode.PERMISSION_DENIED
    http_status = 403


class NotFound(RoostError):
    grpc_code = grpc.StatusCode.NOT_FOUND
    http_status = 404


class Conflict(RoostError):
    grpc_code = grpc.StatusCode.FAILED_PRECONDITION
    http_status = 409


class AlreadyExists(RoostError):
    grpc_code = grpc.StatusCode.ALREADY_EXISTS
    http_status = 409


class TooLarge(RoostError):
    grpc_code = grpc.StatusCode.OUT_OF_RANGE
    http_status = 413


class Unavailable(RoostError):
    grpc_code = grpc.StatusCode.UNAVAILABLE
    http_status = 503


class TooManyRequests(RoostError):
    grpc_code = grpc.StatusCode.RESOURCE_EXHAUSTED
    http_status = 429


BY_GRPC_CODE = {cls.grpc_code: cls for cls in
                (InvalidArgument, Unauthenticated, PermissionDenied, NotFound, Conflict,
                 AlreadyExists, TooLarge, Unavailable, TooManyRequests)}


def from_grpc(error: grpc.RpcError) -> RoostError:
    """Rebuild the core's error on the front side of a gRPC call."""
    cls = BY_GRPC_CODE.get(error.code(), RoostError)
    return cls(error.details() or str(error.code()))


class CoreAlreadyServing(RuntimeError):
    """Another core process serves this database, and its storage engine allows only one
    (``Storage.claim_core``). Raised at start, never to a request."""
