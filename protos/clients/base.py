"""The one way every client of the core calls it: a stub method, a request, the core secret
in the metadata, and the core's own errors (NotFound, PermissionDenied, ...) instead of
gRPC's."""

from __future__ import annotations

from typing import Iterator

import grpc

from roost.core.auth import Principal
from roost.core.errors import from_grpc
from roost.protos.wire import principal_to_proto

DEFAULT_TIMEOUT = object()  # the client's timeout; None means no deadline


def _reraised(stream):
    """Re-raise gRPC errors from a server stream as the core's errors."""
    try:
        yield from stream
    except grpc.RpcError as exc:
        raise from_grpc(exc) from None


class Rpc:
    """Calls over one channel. ``rpc`` is always a stub's method (``self._stub.GetRun``)."""

    def __init__(self, channel: grpc.Channel, metadata, timeout: float):
        self._channel = channel
        self._metadata = metadata
        self._timeout = timeout

    def _send(self, rpc, request, timeout=DEFAULT_TIMEOUT):
        """Send a built request (or, for a client stream, an iterator of messages)."""
        try:
            return rpc(request, metadata=self._metadata,
                       timeout=self._timeout if timeout is DEFAULT_TIMEOUT else timeout)
        except grpc.RpcError as exc:
            raise from_grpc(exc) from None

    def _call(self, rpc, request_cls, principal: Principal | None, **fields):
        """Build ``request_cls`` for the principal (None: a call made for nobody, such as
        registration); fields given as None are left unset."""
        fields = {k: v for k, v in fields.items() if v is not None}
        if principal is not None:
            fields["principal"] = principal_to_proto(principal)
        return self._send(rpc, request_cls(**fields))

    def _open_stream(self, rpc, request) -> tuple[int, Iterator[bytes]]:
        """Start a server stream of chunks and wait for the first, so errors (not found, bad
        signature) surface here; returns the total size and the chunks' bytes."""
        try:
            stream = _reraised(rpc(request, metadata=self._metadata))
            first = next(stream)
        except grpc.RpcError as exc:
            raise from_grpc(exc) from None

        def chunks():
            if first.data:
                yield first.data
            for chunk in stream:
                yield chunk.data

        return first.total_size, chunks()


class ServiceClient(Rpc):
    """A client of one gRPC service (``stub_class``) on the shared channel."""

    stub_class: type

    def __init__(self, channel: grpc.Channel, metadata, timeout: float):
        super().__init__(channel, metadata, timeout)
        self._stub = self.stub_class(channel)
